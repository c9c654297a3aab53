"""Importing IATI activity files: safe parsing, the mapping to projects, all-or-nothing writes, idempotence."""

import time

import pytest
from django.apps import apps

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.cooperation.models import CooperationProject, OrganisationIdentifier
from metrodiplomacy.importers.iati import IatiFileInvalid, import_iati
from metrodiplomacy.importers.iati.writer import IatiWriter
from metrodiplomacy.writes import Author
from tests.test_iati_samples import BILLION_LAUGHS, EXTERNAL_ENTITY, SAMPLE


def counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def refusal(data: bytes, name: str = "file.xml") -> list:
    with pytest.raises(IatiFileInvalid) as refused:
        import_iati(data, name)
    return refused.value.problems


def test_a_billion_laughs_file_is_refused_in_well_under_a_second(db):
    started = time.perf_counter()
    problems = refusal(BILLION_LAUGHS, "lolz.xml")
    assert time.perf_counter() - started < 0.2
    assert problems[0].column == "DOCTYPE" and "entity" in problems[0].reason
    assert problems[0].row == 2


def test_an_external_entity_is_never_read(db):
    started = time.perf_counter()
    problems = refusal(EXTERNAL_ENTITY)
    assert time.perf_counter() - started < 0.2
    assert "DOCTYPE" in problems[0].column
    assert "root:" not in str(problems)


def test_a_doctype_hidden_in_utf16_is_refused_too(db):
    problems = refusal(EXTERNAL_ENTITY.replace(b'<?xml version="1.0"?>', b"").decode().encode("utf-16"))
    assert problems[0].column == "DOCTYPE"


def test_a_file_that_is_not_xml_says_where_it_breaks(db):
    problems = refusal(b"<iati-activities version='2.03'>\n<iati-activity>\n</iati-activities>", "broken.xml")
    assert problems[0].file == "broken.xml" and problems[0].row == 3 and "well-formed" in problems[0].reason


def test_an_organisation_file_is_named_as_such(db):
    problems = refusal(b"<iati-organisations version='2.03'/>")
    assert "organisation file" in problems[0].reason


def test_schema_problems_name_the_line_and_the_element(db):
    broken = SAMPLE.replace(b'<value currency="EUR" value-date="2021-01-01">150000</value>', b"")
    problems = refusal(broken)
    assert [(p.row, p.column) for p in problems] == [(25, "iati-activity/budget[1]")]
    assert "Missing child element" in problems[0].reason


def test_a_budget_ending_before_it_starts_is_refused_before_anything_is_written(db):
    before = counts()
    problems = refusal(SAMPLE.replace(b'<period-end iso-date="2021-12-31"/>', b'<period-end iso-date="2020-12-31"/>'))
    assert problems[0].column == "budget" and "before it starts" in problems[0].reason
    assert counts() == before


def test_the_same_identifier_twice_in_a_file_is_refused(db):
    activity = SAMPLE[SAMPLE.index(b"<iati-activity ") : SAMPLE.index(b"</iati-activity>") + 16]
    doubled = SAMPLE.replace(b"</iati-activities>", activity + b"\n</iati-activities>")
    problems = refusal(doubled)
    assert problems[0].column == "iati-identifier" and "also used" in problems[0].reason


def test_a_failure_while_writing_leaves_every_table_unchanged(db, monkeypatch):
    second = SAMPLE.replace(b"XM-EXAMPLE-1-MOB-01", b"XM-EXAMPLE-1-MOB-02")
    activity = second[second.index(b"<iati-activity ") : second.index(b"</iati-activity>") + 16]
    two = SAMPLE.replace(b"</iati-activities>", activity + b"\n</iati-activities>")
    original = IatiWriter.write
    written = []

    def fail_on_second(self, activity):
        if written:
            from django.core.exceptions import ValidationError

            raise ValidationError({"title": "refused on purpose"})
        written.append(activity)
        original(self, activity)

    monkeypatch.setattr(IatiWriter, "write", fail_on_second)
    before = counts()
    problems = refusal(two)
    assert problems[0].column == "title"
    assert written and counts() == before


def test_an_activity_becomes_a_project_with_its_organisations_places_sectors_budgets_and_results(db):
    summary = import_iati(SAMPLE, "mobility.xml", visibility="public", publication="published")
    assert summary.projects == [("XM-EXAMPLE-1-MOB-01", "iati-xm-example-1-mob-01", "created")]
    project = CooperationProject.objects.get(iati_identifier="XM-EXAMPLE-1-MOB-01")
    council = Organisation.objects.get(name="Example City Council")
    assert project.owner == council and council.owner == council
    assert OrganisationIdentifier.objects.get(organisation=council).ref == "XM-EXAMPLE-1"
    assert [o.name for o in project.funders.all()] == ["Example City Council"]
    assert [o.name for o in project.implementers.all()] == ["Example Transit Agency"]
    assert [(p.organisation.name, p.role) for p in project.participants.all()] == [("Example Development Bank", "3")]
    assert sorted(place.key for place in project.partner_places.all()) == ["co", "medellin-co"]
    assert [(s.code, s.percentage) for s in project.sectors.all()] == [("21012", 80), ("41010", 20)]
    assert [(g.goal, g.target) for g in project.goals.all()] == [(11, ""), (11, "11.2")]
    assert [(b.amount, b.currency, b.status) for b in project.budgets.all()] == [
        (150000, "EUR", "2"),
        (250000.5, "EUR", "1"),
    ]
    assert project.budget == 400000.5 and project.budget_currency == "EUR"
    assert (project.year_start, project.year_end, project.activity_status) == (2021, 2023, "2")
    assert str(project.actual_start) == "2021-03-15"
    result = project.results.get()
    assert result.title == "Officials trained in transit planning"
    assert result.iati_indicators[0]["periods"][0]["actual"]["value"] == "35"
    assert any("transaction ×1" in note for note in summary.notes)
    assert any("recipient-region '489'" in note for note in summary.notes)


def test_reimporting_the_same_file_changes_nothing(db):
    import_iati(SAMPLE, "mobility.xml")
    before = counts()
    again = import_iati(SAMPLE, "mobility.xml")
    assert again.wrote_nothing and again.projects[0][2] == "unchanged"
    assert counts() == before


def test_a_changed_file_updates_the_project_it_imported_before(db):
    import_iati(SAMPLE, "mobility.xml")
    summary = import_iati(SAMPLE.replace(b"Sustainable mobility partnership", b"Mobility partnership"), "v2.xml")
    assert summary.projects[0][2] == "updated"
    assert CooperationProject.objects.get().title == "Mobility partnership"


def test_organisations_are_matched_by_iati_identifier_before_their_name(db):
    existing = Organisation.objects.create(key="council", name="The Council", kind="city_government")
    OrganisationIdentifier.objects.create(organisation=existing, ref="XM-EXAMPLE-1")
    import_iati(SAMPLE, "mobility.xml")
    assert CooperationProject.objects.get().owner == existing
    assert not Organisation.objects.filter(name="Example City Council").exists()


def test_an_editor_imports_for_their_organisation_and_not_for_another(personas):
    editor = Author.for_user(personas["editor"])
    summary = import_iati(SAMPLE, "mobility.xml", owner=personas["org_a"], author=editor)
    project = CooperationProject.objects.get(key=summary.projects[0][1])
    assert project.owner == personas["org_a"] and project.visibility == "private"
    created = Organisation.objects.get(name="Example Transit Agency")
    assert created.owner == personas["org_a"]
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_iati(SAMPLE, "mobility.xml", owner=personas["org_c"], author=editor)


def test_the_import_command_prints_the_summary_and_refuses_a_bad_file(db, tmp_path):
    from tests.test_cli import run

    good = tmp_path / "mobility.xml"
    good.write_bytes(SAMPLE)
    result = run("import", "iati", str(good), "--visibility", "public", "--publish")
    assert result.exit_code == 0, result.output
    assert "iati-xm-example-1-mob-01" in result.output and "created" in result.output
    bad = tmp_path / "lolz.xml"
    bad.write_bytes(BILLION_LAUGHS)
    refused = run("import", "iati", str(bad))
    assert refused.exit_code == 1 and "nothing was written" in refused.output and "DOCTYPE" in refused.output
