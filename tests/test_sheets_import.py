"""Spreadsheet import (CSV and XLSX) through the data-package importer: templates, problems, preview, commit."""

import io

import openpyxl
import pytest
from typer.testing import CliRunner

from metrodiplomacy import cli
from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.diplomacy.models import Agreement, AgreementParty, Engagement
from metrodiplomacy.importers.datapackage.spec import table, tables
from metrodiplomacy.importers.spreadsheet import ImportOptions, SpreadsheetInvalid, import_spreadsheet
from metrodiplomacy.importers.spreadsheet.templates import csv_template, xlsx_template
from metrodiplomacy.places.models import Place

pytestmark = pytest.mark.django_db
runner = CliRunner()

PLACES = [["es", "country", "Spain", "ES"], ["barcelona", "city", "Barcelona", "ES"]]
ORGANISATIONS = [["bcn-council", "Barcelona City Council", "BCN", "city_government", "barcelona"]]
ENGAGEMENTS = [
    ["mission-seoul", "outgoing_mission", "Mission to Seoul", "bcn-council", "barcelona", 2019, None, "tourism"],
    ["fair-2020", "fair", "Smart City Expo", "bcn-council", "barcelona", 2020, None, "tourism;economic"],
]


def workbook(**sheets) -> io.BytesIO:
    """The template workbook with rows appended under the help row of the sheets named."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx_template()))
    for name, rows in sheets.items():
        for row in rows:
            book[name].append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def good_workbook() -> io.BytesIO:
    return workbook(places=PLACES, organisations=ORGANISATIONS, engagements=ENGAGEMENTS)


def problems_of(stream, name="data.xlsx", **options) -> list:
    with pytest.raises(SpreadsheetInvalid) as caught:
        import_spreadsheet(stream, name, ImportOptions(**options))
    return caught.value.problems


def test_every_entity_has_a_sheet_in_the_template_with_a_header_and_a_help_row():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_template()))
    for t in tables():
        sheet = book[t.name]
        header = [cell.value for cell in sheet[1]]
        assert header == [column.name for column in t.all_columns]
        help_row = [cell.value for cell in sheet[2]]
        assert help_row[0].startswith("# ")
        for column, text in zip(t.all_columns, help_row, strict=True):
            assert ("required" if column.required else "optional") in text
            if column.kind == "enum":
                assert all(choice in text for choice in column.choices)
            if column.kind == "ref":
                assert column.target in text or column.target == "policy_areas"
    assert book["README"]["A1"].value


def test_a_workbook_filled_from_the_template_imports_and_a_second_import_changes_nothing():
    summary = import_spreadsheet(good_workbook(), "data.xlsx", ImportOptions())
    assert summary.created == {"places": 2, "organisations": 1, "engagements": 2}
    mission = Engagement.objects.get(key="mission-seoul")
    assert mission.organisation.key == "bcn-council" and mission.year == 2019
    assert sorted(Engagement.objects.get(key="fair-2020").policy_areas.values_list("code", flat=True)) == [
        "economic",
        "tourism",
    ]
    versions = Engagement.history.count()
    again = import_spreadsheet(good_workbook(), "data.xlsx", ImportOptions())
    assert again.total_written == 0
    assert again.unchanged == {"places": 2, "organisations": 1, "engagements": 2}
    assert Engagement.history.count() == versions


def test_a_filled_csv_template_imports_with_its_help_row_skipped():
    import_spreadsheet(workbook(places=PLACES, organisations=ORGANISATIONS), "base.xlsx", ImportOptions())
    text = csv_template(table("engagements"))
    text += "visit-1,incoming_delegation,Delegation from Medellín,bcn-council,barcelona,2021,,,,,,,,\n"
    summary = import_spreadsheet(io.BytesIO(text.encode()), "engagements.csv", ImportOptions())
    assert summary.created == {"engagements": 1}
    assert Engagement.objects.get(key="visit-1").title == "Delegation from Medellín"


def test_a_semicolon_csv_from_a_european_excel_imports():
    import_spreadsheet(workbook(places=PLACES, organisations=ORGANISATIONS), "base.xlsx", ImportOptions())
    text = 'id;kind;title;organisation;policy_areas\nvisit-2;training;Training;bcn-council;"tourism;economic"\n'
    summary = import_spreadsheet(io.BytesIO(text.encode()), "Engagements.csv", ImportOptions())
    assert summary.created == {"engagements": 1}


def test_the_entity_of_a_csv_comes_from_the_option_the_file_name_or_the_header():
    import_spreadsheet(workbook(places=PLACES, organisations=ORGANISATIONS), "base.xlsx", ImportOptions())
    rows = b"id,kind,title,organisation\nvisit-3,training,Training course,bcn-council\n"
    assert import_spreadsheet(io.BytesIO(rows), "mine.csv", ImportOptions(entity="engagements")).created
    hosting = b"id,place,organisation,kind\nhost-1,barcelona,bcn-council,headquarters\n"
    assert import_spreadsheet(io.BytesIO(hosting), "export (3).csv", ImportOptions()).created == {"hostings": 1}
    problems = problems_of(io.BytesIO(b"id,name\nx,y\n"), "export.csv")
    assert "cannot tell which entity" in problems[0].reason


def test_three_kinds_of_errors_are_all_reported_with_file_sheet_row_column_and_cell_and_nothing_is_written():
    bad = workbook(
        places=PLACES,
        organisations=ORGANISATIONS,
        engagements=[
            ["ok-row", "fair", "Fine", "bcn-council", "barcelona", 2019],
            ["bad-kind", "picnic", "Unknown kind", "bcn-council"],
            ["bad-year", "fair", "Year in words", "bcn-council", None, "twenty"],
            ["bad-ref", "fair", "Unknown organisation", "atlantis-council"],
            ["no-title", "fair", None, "bcn-council"],
        ],
    )
    problems = problems_of(bad, "my data.xlsx")
    located = {(p.file, p.sheet, p.row, p.column, p.cell) for p in problems}
    assert ("my data.xlsx", "engagements", 4, "kind", "B4") in located
    assert ("my data.xlsx", "engagements", 5, "year", "F5") in located
    assert ("my data.xlsx", "engagements", 6, "organisation", "D6") in located
    assert ("my data.xlsx", "engagements", 7, "title", "C7") in located
    reasons = " ".join(p.reason for p in problems)
    assert "'picnic' is not one of" in reasons and "not a whole number" in reasons
    assert "unknown organisation 'atlantis-council'" in reasons and "a value is required" in reasons
    assert "data.xlsx, sheet engagements, row 4, column kind (B4):" in str(problems[0]) or any(
        str(p).startswith("my data.xlsx, sheet engagements, row 4, column kind (B4)") for p in problems
    )
    assert not Engagement.objects.exists() and not Organisation.objects.filter(key="bcn-council").exists()
    assert not Place.objects.filter(key="barcelona").exists()


def test_errors_in_a_csv_name_the_file_row_and_column_without_a_sheet():
    rows = b"id,kind,title\nx-1,fair,\nx-2,brunch,Brunch\n"
    problems = problems_of(io.BytesIO(rows), "engagements.csv")
    assert {(p.file, p.sheet, p.row, p.column, p.cell) for p in problems} == {
        ("engagements.csv", "", 2, "title", "C2"),
        ("engagements.csv", "", 3, "kind", "B3"),
    }


def test_unknown_sheets_columns_and_cells_beyond_the_header_are_reported():
    book = openpyxl.Workbook()
    book.active.title = "engagement"  # a typo for engagements
    other = book.create_sheet("organisations")
    other.append(["id", "name", "kind", "colour"])
    other.append(["org-x", "Org X", "ngo", "blue", "extra"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    problems = problems_of(buffer)
    text = [str(p) for p in problems]
    assert any("sheet engagement:" in t and "not an entity" in t for t in text)
    assert any("sheet organisations, row 1, column colour" in t and "unknown column" in t for t in text)
    assert any("sheet organisations, row 2" in t and "more cells than the header" in t for t in text)


def test_a_preview_counts_what_would_be_created_changed_and_unchanged_and_writes_nothing():
    import_spreadsheet(good_workbook(), "data.xlsx", ImportOptions())
    changed = [list(ENGAGEMENTS[0]), ["new-one", "training", "New", "bcn-council"]]
    changed[0][2] = "Mission to Seoul and Busan"
    preview = import_spreadsheet(
        workbook(places=PLACES, organisations=ORGANISATIONS, engagements=changed + [ENGAGEMENTS[1]]),
        "data.xlsx",
        ImportOptions(),
        dry_run=True,
    )
    assert preview.created == {"engagements": 1}
    assert preview.updated == {"engagements": 1}
    assert preview.unchanged == {"places": 2, "organisations": 1, "engagements": 1}
    assert Engagement.objects.get(key="mission-seoul").title == "Mission to Seoul"
    assert not Engagement.objects.filter(key="new-one").exists()


def test_agreements_with_their_parties_import_from_two_sheets():
    stream = workbook(
        places=[*PLACES, ["fr", "country", "France", "FR"], ["lyon", "city", "Lyon", "FR"]],
        agreements=[["bcn-lyon", "twinning", "Barcelona and Lyon", 1999]],
        agreement_parties=[["bcn-lyon", "barcelona"], ["bcn-lyon", "lyon"]],
    )
    import_spreadsheet(stream, "agreements.xlsx", ImportOptions())
    assert AgreementParty.objects.filter(agreement__key="bcn-lyon").count() == 2
    alone = workbook(agreements=[["solo", "twinning", "One party", 1999]])
    problems = problems_of(alone)
    assert any(p.sheet == "agreements" and "two or more parties" in p.reason for p in problems)
    assert not Agreement.objects.filter(key="solo").exists()


def run(*args):
    return runner.invoke(cli.app, list(args), env={"COLUMNS": "200"})


def test_the_cli_imports_a_sheet_with_a_dry_run_first_and_lists_problems(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(good_workbook().getvalue())
    dry = run("import", "sheet", str(path), "--owner", "bcn-office", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Dry run" in dry.output and not Engagement.objects.exists()
    real = run("import", "sheet", str(path), "--owner", "bcn-office", "--visibility", "public", "--publish")
    assert real.exit_code == 0, real.output
    assert "Import summary" in real.output
    mission = Engagement.objects.get(key="mission-seoul")
    assert mission.owner.key == "bcn-office" and mission.is_public
    bad = tmp_path / "engagements.csv"
    bad.write_text("id,kind,title\nx,fair,\n")
    result = run("import", "sheet", str(bad))
    assert result.exit_code == 1
    assert "nothing was written" in result.output and "a value is required" in result.output


def test_the_cli_writes_templates_and_the_export_command_still_takes_a_folder(tmp_path):
    assert (
        run(
            "export", "template", "--entity", "engagements", "--format", "csv", "--output", str(tmp_path / "e.csv")
        ).exit_code
        == 0
    )
    assert (tmp_path / "e.csv").read_text().startswith("id,kind,title")
    assert run("export", "template", "--format", "xlsx", "--output", str(tmp_path / "all.xlsx")).exit_code == 0
    assert "engagements" in openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True).sheetnames
    assert run("export", "template", "--format", "csv", "--output", str(tmp_path / "x.csv")).exit_code == 2
    assert run("export", str(tmp_path / "package")).exit_code == 0
    assert (tmp_path / "package" / "datapackage.json").exists()
