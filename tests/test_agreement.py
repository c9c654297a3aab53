"""Agreement between codings: percent agreement and Cohen's kappa, checked by hand and by property."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from metrodiplomacy import cli
from metrodiplomacy.analysis.agreement import cohen_kappa, compare_codings, percent_agreement
from metrodiplomacy.analysis.reliance import LEVELS

runner = CliRunner()
pairs = st.lists(st.tuples(st.sampled_from(LEVELS), st.sampled_from(LEVELS)), min_size=1, max_size=40)


def test_kappa_computed_by_hand():
    # p_o = 3/4; chance: + 2/4 * 1/4 + - 2/4 * 3/4 = 1/2; kappa = (0.75 - 0.5) / 0.5 = 0.5
    assert cohen_kappa(["+", "+", "-", "-"], ["+", "-", "-", "-"]) == pytest.approx(0.5)
    assert percent_agreement(["+", "+", "-", "-"], ["+", "-", "-", "-"]) == 0.75


def test_kappa_is_negative_when_coders_systematically_disagree():
    assert cohen_kappa(["+", "-", "+", "-"], ["-", "+", "-", "+"]) == pytest.approx(-1)


def test_one_shared_level_throughout_is_perfect_agreement():
    assert cohen_kappa(["0", "0", "0"], ["0", "0", "0"]) == 1


def test_codings_of_different_lengths_are_refused():
    with pytest.raises(ValueError):
        cohen_kappa(["+"], ["+", "-"])
    with pytest.raises(ValueError):
        percent_agreement([], [])


@given(pairs)
def test_kappa_is_symmetric_and_bounded(items):
    first, second = [a for a, _ in items], [b for _, b in items]
    kappa = cohen_kappa(first, second)
    assert kappa == pytest.approx(cohen_kappa(second, first))
    assert -1 - 1e-9 <= kappa <= 1 + 1e-9
    assert 0 <= percent_agreement(first, second) <= 1


@given(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=40))
def test_identical_codings_have_kappa_one(levels):
    assert cohen_kappa(levels, list(levels)) == pytest.approx(1)
    assert percent_agreement(levels, list(levels)) == 1


def test_cells_that_one_coding_leaves_blank_are_left_out_and_counted():
    report = compare_codings({"a": "+", "b": "-", "c": ""}, {"a": "+", "b": "+", "d": "0"}, "one", "two")
    assert (report.compared, report.agreed, sorted(report.left_out)) == (2, 1, ["c", "d"])
    assert report.percent == 0.5


@pytest.mark.django_db
def test_agreement_between_coded_and_derived_levels_for_the_four_thesis_cities(casestudies):
    result = runner.invoke(cli.app, ["agreement", "--format", "json"])
    assert result.exit_code == 0, result.output
    summary, cells, confusion, *per_place = json.loads(result.output)
    figures = {row["measure"]: row["value"] for row in summary["rows"]}
    # 15 of the 28 cells agree (see test_derivation for the derived levels). Coded: 17 +, 6 0, 4 -, 1 ?;
    # derived: 15 +, 1 0, 12 -; chance = (17*15 + 6*1 + 4*12) / 28^2 = 309/784;
    # kappa = (15/28 - 309/784) / (1 - 309/784) = 111/475 = 0.2337.
    assert figures["cells compared"] == 28
    assert figures["cells in agreement"] == 15
    assert figures["percent agreement"] == pytest.approx(53.6)
    assert figures["Cohen's kappa"] == pytest.approx(0.234)
    assert [table["title"].split(":")[0] for table in per_place] == [
        "Buenos Aires",
        "Guangzhou",
        "Los Angeles",
        "Paris",
    ]
    assert len(cells["rows"]) == 28
    assert sum(sum(v for k, v in row.items() if k) for row in confusion["rows"]) == 28


@pytest.mark.django_db
def test_agreement_between_two_named_coders(casestudies):
    from metrodiplomacy.evidence.models import RelianceCoding

    for coding in RelianceCoding.objects.filter(place__key="paris"):
        coding.pk, coding.key, coding.coder = None, coding.key + "-b", "Second coder"
        coding.level = "+" if coding.policy_area.code == "sports" else coding.level
        coding.save()
    result = runner.invoke(
        cli.app, ["agreement", "--coder", "Blake Ledna", "--coder", "Second coder", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    figures = {row["measure"]: row["value"] for row in json.loads(result.output)[0]["rows"]}
    # Paris only (the second coder coded nothing else): 6 of 7 agree.
    assert (figures["cells compared"], figures["cells in agreement"]) == (7, 6)
    assert figures["cells left out (not coded by both)"] == 21
