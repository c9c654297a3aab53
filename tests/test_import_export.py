"""The data-package importer rejects bad packages whole, and export → import → export is lossless."""

import csv
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.evidence.migrations import _codelists
from metrodiplomacy.importers.datapackage import PackageInvalid, import_package
from metrodiplomacy.importers.datapackage.exporter import export_package
from metrodiplomacy.places.models import Place, Statistic


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def bad_package(tmp_path):
    write_csv(tmp_path / "sources.csv", ["id", "title", "kind"], [["notes", "Field notes", "other"]])
    write_csv(
        tmp_path / "places.csv",
        ["id", "kind", "name", "country"],
        [["atlantis", "city", "Atlantis", "GR"], ["lyon", "city", "Lyon", "FR"]],
    )
    write_csv(
        tmp_path / "statistics.csv",
        ["id", "place", "metric", "year", "value", "unit"],
        [
            ["lyon-pop", "lyon", "population", "2020", "1,2 million", "persons"],
            ["lyon-gdp", "lyon", "gdp", "2020", "80", "EUR"],
        ],
    )
    write_csv(
        tmp_path / "citations.csv",
        ["record", "source", "section", "lines", "note"],
        [["statistics/lyon-pop", "notes", "Intro", "3", "Population of Lyon"]],
    )
    return tmp_path


@pytest.mark.django_db
def test_it_rejects_a_package_with_an_unknown_city_a_missing_citation_and_a_malformed_number(bad_package):
    places_before, statistics_before = Place.objects.count(), Statistic.objects.count()
    with pytest.raises(PackageInvalid) as raised:
        import_package(bad_package)
    problems = {(p.file, p.row, p.column): p.reason for p in raised.value.problems}
    assert "unknown city" in problems[("places.csv", 2, "name")]
    assert "not a number" in problems[("statistics.csv", 2, "value")]
    assert "missing citation" in problems[("statistics.csv", 3, "id")]
    assert len(problems) == 3
    assert (Place.objects.count(), Statistic.objects.count()) == (places_before, statistics_before)


@pytest.mark.django_db
def test_it_names_unknown_columns_and_references(tmp_path):
    write_csv(
        tmp_path / "organisations.csv",
        ["id", "name", "kind", "colour", "home_place"],
        [["x", "X", "ngo", "red", "nowhere"]],
    )
    with pytest.raises(PackageInvalid) as raised:
        import_package(tmp_path)
    reasons = [str(p) for p in raised.value.problems]
    assert "organisations.csv, row 1, column colour: unknown column" in reasons
    assert "organisations.csv, row 2, column home_place: unknown place 'nowhere'" in reasons


@pytest.mark.django_db
def test_loading_the_case_studies_twice_writes_nothing_the_second_time(casestudies):
    from metrodiplomacy.places.models import HistoricalStatistic

    versions = HistoricalStatistic.objects.count()
    owner = Organisation.objects.get(key=settings.CASESTUDIES_OWNER)
    again = import_package(settings.CASESTUDIES_DIR, owner=owner, visibility="public", publication="published")
    assert again.total_written == 0
    assert HistoricalStatistic.objects.count() == versions


@pytest.mark.django_db
def test_an_edit_is_kept_as_a_version(casestudies):
    statistic = Statistic.objects.get(key="t-ba-population-2010")
    original = statistic.flag
    statistic.flag = "checked against the census"
    statistic.save()
    assert statistic.history.count() == 2
    assert statistic.history.earliest().flag == original


def test_export_import_into_an_empty_database_export_gives_identical_files(tmp_path, emptied_database):
    from metrodiplomacy.actors.services import ensure_owner_organisation

    owner = ensure_owner_organisation(settings.CASESTUDIES_OWNER, "Metrodiplomacy case studies")
    import_package(settings.CASESTUDIES_DIR, owner=owner, visibility="public", publication="published")
    first, second = tmp_path / "first", tmp_path / "second"
    export_package(first)
    call_command("flush", interactive=False, verbosity=0)
    _codelists.load_codelists(Place._meta.apps)
    assert not Place.objects.exists()
    import_package(first)
    export_package(second)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_text() == (second / name).read_text(), name
    shutil.rmtree(tmp_path)


@pytest.mark.django_db
def test_an_import_cannot_take_over_another_organisations_record(casestudies, tmp_path):
    from metrodiplomacy.actors.services import ensure_owner_organisation

    write_csv(tmp_path / "sources.csv", ["id", "title", "kind"], [["ledna-2019", "Renamed by someone else", "other"]])
    intruder = ensure_owner_organisation("intruder", "Intruder")
    with pytest.raises(PackageInvalid) as raised:
        import_package(tmp_path, owner=intruder)
    assert "belongs to another organisation" in str(raised.value)
    from metrodiplomacy.evidence.models import Source

    assert Source.objects.get(key="ledna-2019").title != "Renamed by someone else"


@pytest.mark.django_db
def test_it_rejects_two_notes_on_the_same_passage_of_one_record(tmp_path):
    write_csv(tmp_path / "sources.csv", ["id", "title", "kind"], [["notes", "Field notes", "other"]])
    write_csv(tmp_path / "places.csv", ["id", "kind", "name", "country"], [["lyon", "city", "Lyon", "FR"]])
    write_csv(
        tmp_path / "statistics.csv",
        ["id", "place", "metric", "year", "value", "unit"],
        [["lyon-pop", "lyon", "population", "2020", "1200000", "persons"]],
    )
    write_csv(
        tmp_path / "citations.csv",
        ["record", "source", "section", "lines", "note"],
        [
            ["statistics/lyon-pop", "notes", "Intro", "3", "Population of Lyon"],
            ["statistics/lyon-pop", "notes", "Intro", "3", "Also the population"],
        ],
    )
    with pytest.raises(PackageInvalid) as raised:
        import_package(tmp_path)
    assert [str(p) for p in raised.value.problems] == [
        "citations.csv, row 3, column record: same record, source, section, lines as row 2"
    ]
    assert not Statistic.objects.filter(key="lyon-pop").exists()
