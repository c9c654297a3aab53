"""The reliance matrix: consensus of coders, the thesis' figures reproduced, findings computed from the cells."""

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from metrodiplomacy import cli
from metrodiplomacy.analysis.findings import compute_findings, group_table
from metrodiplomacy.analysis.reliance import (
    LEVELS,
    Area,
    Coding,
    build_matrix,
    consensus,
    disagreement_table,
    matrix_table,
)
from metrodiplomacy.evidence.models import PolicyArea, RelianceCoding
from metrodiplomacy.observatory.inputs.reliance import framework_areas, reliance_codings, resolve_places
from metrodiplomacy.places.models import Place
from tests.seedfigures import figure_rows, without_policy_suffix

runner = CliRunner()
level = st.sampled_from(LEVELS)


def run(*args):
    result = runner.invoke(cli.app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


# The consensus rule ----------------------------------------------------------------------------------------


def test_consensus_of_no_codings_is_not_coded():
    assert consensus([]) == ""


def test_consensus_sets_not_clear_aside_when_a_coder_is_definite():
    assert consensus(["?", "+"]) == "+"
    assert consensus(["?", "?"]) == "?"


def test_consensus_takes_a_strict_majority_and_otherwise_says_not_clear():
    assert consensus(["+", "+", "0"]) == "+"
    assert consensus(["+", "0"]) == "?"
    assert consensus(["+", "0", "-"]) == "?"


@given(level, st.integers(min_value=1, max_value=6))
def test_unanimous_coders_give_their_level(value, coders):
    assert consensus([value] * coders) == value


@given(st.lists(level, min_size=1, max_size=8), st.randoms())
def test_consensus_ignores_the_order_of_coders(levels, random):
    shuffled = list(levels)
    random.shuffle(shuffled)
    assert consensus(levels) == consensus(shuffled)
    assert consensus(levels) in LEVELS


@given(st.lists(level, min_size=1, max_size=8))
def test_a_consensus_level_other_than_not_clear_holds_a_majority_of_definite_codes(levels):
    result = consensus(levels)
    definite = [value for value in levels if value != "?"]
    if result != "?":
        assert definite.count(result) * 2 > len(definite)


def test_disputed_cells_are_listed_with_every_coder():
    areas = [Area("security", "Security")]
    matrix = build_matrix(
        [Coding("Paris", "security", "-", "A"), Coding("Paris", "security", "0", "B")], ["Paris"], areas
    )
    assert matrix.level("Paris", "security") == "?"
    assert disagreement_table(matrix).rows == (("Paris", "Security", "A: -; B: 0", "?"),)


# Findings on the thesis' own matrix ---------------------------------------------------------------------------


def figure_11_matrix():
    header, *rows = figure_rows(11)
    places = header[1:]
    areas = [Area(without_policy_suffix(row[0]).lower(), without_policy_suffix(row[0])) for row in rows]
    codings = [
        Coding(place, area.code, row[i + 1], "thesis")
        for area, row in zip(areas, rows, strict=True)
        for i, place in enumerate(places)
    ]
    return build_matrix(codings, places, areas)


def findings_by_code(matrix, groups=None, more_than=3):
    return {finding.code: finding for finding in compute_findings(matrix, groups, more_than)}


def test_every_thesis_city_relies_on_economic_development_and_environment():
    found = findings_by_code(figure_11_matrix())["relied_on_by_all"]
    assert found.values["areas"] == ["economic development and business", "environmental and sustainability"]
    assert "Economic Development and Business and Environmental and Sustainability" in found.sentence


def test_security_is_the_least_relied_area_of_the_thesis():
    found = findings_by_code(figure_11_matrix())["least_relied"]
    # Security: + (LA), 0 (BA), - (GZ, Paris) = -1; Sports ties on + counts but scores 0 (its ? is left out).
    assert found.values == {"areas": ["security"], "score": -1}
    assert "Security" in found.sentence and "Los Angeles" in found.sentence


def test_counts_of_reliance_per_city_and_per_area():
    found = findings_by_code(figure_11_matrix())
    assert found["relies_per_place"].values["counts"] == {
        "Buenos Aires": 4,
        "Guangzhou": 3,
        "Los Angeles": 6,
        "Paris": 4,
    }
    assert found["relies_per_area"].values["counts"]["security"] == 1
    assert found["relies_per_area"].values["counts"]["cultural"] == 3
    assert found["active_in_more_than"].values["places"] == ["Buenos Aires", "Los Angeles", "Paris"]
    assert findings_by_code(figure_11_matrix(), more_than=4)["active_in_more_than"].values["places"] == ["Los Angeles"]


def test_north_and_south_are_compared_with_the_numbers_behind_the_comparison():
    groups = {"Buenos Aires": "South", "Guangzhou": "South", "Los Angeles": "North", "Paris": "North"}
    matrix = figure_11_matrix()
    found = findings_by_code(matrix, groups)["groups"]
    # South: 4 + 3 = 7 of 14 cells; North: 6 + 4 = 10 of 14.
    assert found.values["South"] == {"places": ["Buenos Aires", "Guangzhou"], "coded": 14, "relies": 7}
    assert found.values["North"] == {"places": ["Los Angeles", "Paris"], "coded": 14, "relies": 10}
    assert "the North cities are the more engaged" in found.sentence
    assert group_table(matrix, groups).column("+ per city") == [pytest.approx(3.5), pytest.approx(5)]


def test_all_but_one_finding_names_the_outlier():
    found = [f for f in compute_findings(figure_11_matrix()) if f.code == "relied_on_by_all_but_one"]
    assert [(f.values["area"], f.values["outlier"]) for f in found] == [("cultural", "Guangzhou")]


# The bundled data through the database and the CLI ---------------------------------------------------------------


@pytest.mark.django_db
def test_matrix_csv_equals_the_thesis_figure_11_row_by_row(casestudies):
    rows = list(csv.reader(io.StringIO(run("matrix", "--format", "csv"))))
    header, *expected = figure_rows(11)
    assert rows[0] == ["Policy area", *header[1:]]
    assert rows[1:] == [[without_policy_suffix(row[0]), *row[1:]] for row in expected]

    # The per-city tables are the thesis' Figures 3, 6, 8 and 10.
    tables = json.loads(run("matrix", "--view", "cities", "--format", "json"))
    for table, figure in zip(tables, (3, 6, 8, 10), strict=True):
        header, *expected = figure_rows(figure)
        assert table["columns"][1] == header[1]
        assert [[row["Policy area"], row[header[1]]] for row in table["rows"]] == [
            [without_policy_suffix(name), value] for name, value in expected
        ]

    findings = {
        row["finding"]: row["statement"]
        for row in json.loads(run("matrix", "--view", "findings", "--format", "json"))["rows"]
    }
    assert "Economic Development and Business and Environmental and Sustainability" in findings["relied_on_by_all"]
    assert findings["least_relied"].startswith("The least-relied area is Security")
    assert "Global North cities (Los Angeles and Paris) rely on international action in 10 of 14" in findings["groups"]
    assert (
        "Global South cities (Buenos Aires and Guangzhou) rely on international action in 7 of 14" in findings["groups"]
    )


@pytest.mark.django_db
def test_matrix_takes_any_places_framework_and_grouping(casestudies):
    table = json.loads(run("matrix", "Paris", "Guangzhou", "--framework", "extended", "--format", "json"))
    assert table["columns"] == ["Policy area", "Paris", "Guangzhou"]
    assert len(table["rows"]) == PolicyArea.objects.filter(frameworks__key="extended").count()
    mobility = next(row for row in table["rows"] if row["Policy area"] == "Mobility")
    assert mobility == {"Policy area": "Mobility", "Paris": "", "Guangzhou": ""}

    groups = json.loads(
        run(
            "matrix",
            "--view",
            "groups",
            "--group",
            "Capitals=Paris,Buenos Aires",
            "--group",
            "Others=Los Angeles,Guangzhou",
            "--format",
            "json",
        )
    )
    assert [(row["group"], row["cells +"]) for row in groups["rows"]] == [("Capitals", 8), ("Others", 9)]

    latex = run("matrix", "--format", "latex")
    assert r"\begin{tabular}{lllll}" in latex and r"Security & 0 & $-$ & + & $-$ \\" in latex


@pytest.mark.django_db
def test_a_second_coder_creates_a_disagreement_and_the_consensus_applies(casestudies):
    paris = Place.objects.get(key="paris")
    original = RelianceCoding.objects.get(place=paris, policy_area__code="sports")
    RelianceCoding.objects.create(
        key="second-paris-sports",
        place=paris,
        policy_area=original.policy_area,
        level="0",
        coder="Second coder",
        rationale="Test coding.",
        owner=original.owner,
        visibility="public",
        publication="published",
    )
    disagreements = json.loads(run("matrix", "--view", "disagreements", "--format", "json"))
    assert disagreements["rows"] == [
        {
            "place": "Paris",
            "policy area": "Sports",
            "codings": f"{original.coder}: ?; Second coder: 0",
            "consensus": "0",
        }
    ]


@pytest.mark.django_db
def test_an_outsider_does_not_see_another_organisations_private_coding(casestudies, personas):
    paris = Place.objects.get(key="paris")
    area = PolicyArea.objects.get(code="security")
    RelianceCoding.objects.create(
        key="private-paris-security",
        place=paris,
        policy_area=area,
        level="+",
        coder="Org A analyst",
        rationale="Private working coding.",
        owner=personas["org_a"],
        visibility="private",
    )
    areas = framework_areas()
    places = resolve_places(["Paris"])
    seen_by = {
        name: {c.coder for c in reliance_codings(personas[name], places, areas)} for name in ("viewer", "outsider")
    }
    assert "Org A analyst" in seen_by["viewer"]
    assert "Org A analyst" not in seen_by["outsider"]


@pytest.mark.django_db
def test_matrix_reports_unknown_places_and_frameworks(casestudies):
    result = runner.invoke(cli.app, ["matrix", "Atlantis"])
    assert result.exit_code == 1 and "No place called 'Atlantis'" in result.output
    result = runner.invoke(cli.app, ["matrix", "--framework", "nine-areas"])
    assert result.exit_code == 1 and "No policy-area framework called 'nine-areas'" in result.output


def test_matrix_table_notes_the_legend():
    assert "+ relies" in matrix_table(figure_11_matrix()).notes[0]
