"""`metrodip import twinning`: a twinning list matched to the gazetteer and written as agreements."""

from dataclasses import replace
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from typer.testing import CliRunner

from metrodiplomacy import cli
from metrodiplomacy.diplomacy.models import Agreement, AgreementParty
from metrodiplomacy.evidence.models import Citation, Source
from metrodiplomacy.importers.twinning import TwinningFileInvalid, import_twinning
from metrodiplomacy.places import gazetteer, matching, services
from metrodiplomacy.places.models import MatchDecision, Place

SAMPLE = Path(__file__).parent / "data" / "twinning_sample.csv"
COUNTRIES = {"CO", "ES", "DE", "FR", "PL", "KR", "TR", "CI", "CA", "US", "CZ"}


@pytest.fixture(scope="module")
def small_index():
    """cities15000 of the sample's countries: the real gazetteer, small enough for a fast suite."""
    cities = {
        geonames_id: replace(entry, alternate_names=tuple(n for n in entry.alternate_names if gazetteer.is_latin(n)))
        for geonames_id, entry in gazetteer._cities()[0].items()
        if entry.country_iso2 in COUNTRIES
    }
    return matching.CityIndex(cities)


@pytest.fixture
def small_gazetteer(small_index, monkeypatch):
    monkeypatch.setattr(matching, "city_index", lambda: small_index)
    return small_index


def history_rows() -> int:
    return sum(model.history.count() for model in (Agreement, AgreementParty, Citation, Place, MatchDecision))


@pytest.mark.django_db
def test_it_writes_matched_pairs_as_cited_twinning_agreements(small_gazetteer):
    report = import_twinning(SAMPLE)
    outcomes = report.outcomes()
    assert (outcomes["matched"], outcomes["repeated"], outcomes["unmatched"], outcomes["ambiguous"]) == (7, 1, 1, 1)
    assert Agreement.objects.filter(kind="twinning").count() == 7
    medellin = Place.objects.get(name="Medellín")
    partners = set(
        AgreementParty.objects.filter(agreement__parties__place=medellin)
        .exclude(place=medellin)
        .values_list("place__name", flat=True)
    )
    assert partners == {"Barcelona", "Bilbao"}
    source = Source.objects.get()
    assert "MIT License" in source.title and source.author == "Sample Holder" and source.year == 2026
    assert source.licence == "MIT License"
    agreement = Agreement.objects.filter(parties__place=medellin).get(parties__place__name="Barcelona")
    lines = sorted(
        Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(Agreement), object_id=agreement.pk
        ).values_list("line_start", flat=True)
    )
    assert lines == [2, 11]  # the pair and its repetition, by line number in the file
    district = Place.objects.get(name="Prague 1")
    assert district.kind == "municipality" and district.parent.name == "Prague"
    assert agreement.visibility == "public" and agreement.history.count() == 1


@pytest.mark.django_db
def test_a_second_import_writes_nothing(small_gazetteer):
    import_twinning(SAMPLE)
    before = (Agreement.objects.count(), Citation.objects.count(), Place.objects.count(), history_rows())
    report = import_twinning(SAMPLE)
    assert sum(report.written.values()) == 0 and report.queued == 0
    assert (Agreement.objects.count(), Citation.objects.count(), Place.objects.count(), history_rows()) == before


@pytest.mark.django_db
def test_a_malformed_file_writes_nothing_and_names_every_problem(tmp_path, small_gazetteer):
    bad = tmp_path / "twinning_bad.csv"
    bad.write_text("city1,country1,city2,country2\nLyon,France,Bilbao\n,Spain,Lyon,France\nLyon,France,Seoul,Korea\n")
    with pytest.raises(TwinningFileInvalid) as raised:
        import_twinning(bad)
    problems = [(p.file, p.row, p.column, p.reason) for p in raised.value.problems]
    assert problems == [
        ("twinning_bad.csv", 2, "", "3 cells where 4 are expected"),
        ("twinning_bad.csv", 3, "city1", "empty city name"),
    ]
    assert Agreement.objects.count() == 0 and Place.objects.count() == 0


@pytest.mark.django_db
def test_a_wrong_header_is_refused(tmp_path):
    bad = tmp_path / "pairs.csv"
    bad.write_text("a,b\nLyon,Bilbao\n")
    with pytest.raises(TwinningFileInvalid, match="the header must be city1,country1,city2,country2"):
        import_twinning(bad)


@pytest.mark.django_db
def test_a_reviewers_decision_is_applied_by_the_next_import(small_gazetteer):
    import_twinning(SAMPLE)
    springfield = MatchDecision.objects.get(raw_name="Springfield")
    assert springfield.decision == "pending" and springfield.confidence < 0.8 and springfield.occurrences == 1
    atlantis = MatchDecision.objects.get(raw_name="Atlantisville")
    services.accept_match(springfield, by="reviewer")
    services.reject_match(atlantis, by="reviewer")
    report = import_twinning(SAMPLE)
    assert report.written["agreements"] == 1
    assert Agreement.objects.filter(parties__place__name="Springfield").count() == 1
    springfield.refresh_from_db()
    assert springfield.decided_by == "reviewer" and springfield.history.count() == 2
    assert "rejected by a reviewer" in report.pairs[7].reason


@pytest.mark.django_db
def test_a_correction_points_a_name_at_another_place(small_gazetteer):
    import_twinning(SAMPLE)
    springfield = MatchDecision.objects.get(raw_name="Springfield")
    massachusetts = small_gazetteer.lookup("springfield", "US")[1]
    services.correct_match(springfield, str(massachusetts.geonames_id), by="reviewer")
    import_twinning(SAMPLE)
    assert AgreementParty.objects.filter(place__geonames_id=massachusetts.geonames_id).count() == 1


@pytest.mark.django_db
def test_the_command_prints_the_match_report_and_writes_the_unmatched_rows(tmp_path, small_gazetteer):
    runner = CliRunner()
    report = tmp_path / "unmatched.csv"
    result = runner.invoke(
        cli.app, ["import", "twinning", str(SAMPLE), "--report", str(report)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "both places matched" in result.output and "8 of 10 rows matched (80.0%)" in result.output
    rows = report.read_text().splitlines()
    assert len(rows) == 3 and "Atlantisville" in rows[1] + rows[2] and "unknown country" in report.read_text()
    review = runner.invoke(cli.app, ["places", "review"], env={"COLUMNS": "200"})
    assert "Springfield" in review.output and "Atlantisville" in review.output
    number = MatchDecision.objects.get(raw_name="Springfield").pk
    decided = runner.invoke(cli.app, ["places", "review", "--accept", str(number), "--by", "ana"])
    assert decided.exit_code == 0 and "accepted" in decided.output
    assert MatchDecision.objects.get(pk=number).decided_by == "ana"


@pytest.mark.django_db
def test_an_admin_area_becomes_a_place_labelled_with_its_kind_and_no_made_up_point(tmp_path, small_gazetteer):
    path = tmp_path / "twinning_areas.csv"
    path.write_text("city1,country1,city2,country2\nHaringey,England,Bremerhaven,Germany\n")
    report = import_twinning(path)
    assert report.outcomes()["matched"] == 1
    borough = Place.objects.get(key="admin-gb-hry")
    assert borough.kind == "admin_area" and borough.name == "Haringey (london borough)"
    assert borough.latitude is None and borough.country.iso2 == "GB" and "GB-HRY" in borough.note
    assert Agreement.objects.filter(parties__place=borough).get().parties.count() == 2
    again = import_twinning(path)
    assert sum(again.written.values()) == 0
