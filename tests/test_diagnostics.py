"""Diagnostics: each check on plain values, then `metrodip diagnose` on the bundled case studies.

Barcelona's expectations, worked out by hand from the package: seven governments of the metropolitan
area act abroad (the AMB, the Provincial Council and the councils of Barcelona, Esplugues, Gavà, Sant
Feliu and Viladecans); eight coordination mechanisms involve its organisations, two overall but each
convened by one municipality, five sectoral and one of unstated scope (the study: no overall mechanism,
seed 003 lines 899 and 1169); six externality indicators are named, none observed (the study: none is
gauged, line 920).
"""

import csv
import io
import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from metrodiplomacy import cli
from metrodiplomacy.analysis.comparative import build_framework
from metrodiplomacy.analysis.comparative_records import (
    CodingRecord,
    IndicatorRecord,
    MechanismRecord,
    MembershipRecord,
    OrganisationRecord,
    PlaceRecords,
    ReportRecord,
    StatisticRecord,
    StrategyRecord,
    UnitRecord,
)
from metrodiplomacy.analysis.diagnostics import (
    NO_ISSUE,
    NOT_ASSESSABLE,
    RECOMMENDATION,
    Thresholds,
    diagnose,
    diagnostics_table,
)

runner = CliRunner()

METRO = OrganisationRecord("metro", "Metro Council", "metropolitan_government", home_place="area")
TOWN = OrganisationRecord("town-hall", "Town Hall", "city_government", home_place="village")
ACTING = (
    UnitRecord("metro-office", "metro", "International office", "international_relations"),
    UnitRecord("town-office", "town-hall", "Twinning office", "international_relations"),
)


def area(*organisations, **records) -> PlaceRecords:
    organisations = organisations or (METRO, TOWN)
    return PlaceRecords("area", "Area", "metropolitan_area", ("area", "village"), organisations, **records)


DEFAULTS = Thresholds()


def finding(records: PlaceRecords, code: str, thresholds: Thresholds = DEFAULTS):
    found = [f for f in diagnose(build_framework(records), thresholds) if f.code == code]
    assert len(found) == 1, found
    return found[0]


def test_fragmented_governance_without_an_overall_mechanism_is_named_with_the_mechanisms_there():
    mechanisms = (
        MechanismRecord("trade-board", "Trade board", "advisory_board", "public_private", "sectoral", "metro"),
        MechanismRecord("town-table", "Town table", "roundtable", "intergovernmental", "overall", "town-hall"),
    )
    result = finding(area(units=ACTING, mechanisms=mechanisms), "fragmented_without_overall_coordination")
    assert result.status == RECOMMENDATION
    assert "2 governments act abroad on their own (Metro Council and Town Hall)" in result.reason
    assert "1 is sectoral (Trade board)" in result.reason
    assert "Town table, convened by Town Hall" in result.reason
    assert {ref.key for ref in result.records} == {"metro", "town-hall", "trade-board", "town-table"}


def test_an_overall_mechanism_convened_for_the_whole_area_answers_fragmentation():
    mechanisms = (MechanismRecord("metro-table", "Metro table", "council", "intergovernmental", "overall", "metro"),)
    result = finding(area(units=ACTING, mechanisms=mechanisms), "fragmented_without_overall_coordination")
    assert result.status == NO_ISSUE
    assert "Metro table" in result.reason


def test_one_government_acting_abroad_is_not_fragmented():
    result = finding(area(units=ACTING[:1]), "fragmented_without_overall_coordination")
    assert result.status == NO_ISSUE


def test_the_fragmentation_threshold_is_a_parameter():
    result = finding(
        area(units=ACTING), "fragmented_without_overall_coordination", Thresholds(fragmented_governments=3)
    )
    # Scenario 3 (a metropolitan government and a town both acting) still makes it fragmented.
    assert result.status == RECOMMENDATION
    assert "governance scenario 3 (derived)" in result.reason
    assert "governments act abroad" not in result.reason


def test_named_but_unobserved_externalities_are_listed_with_those_never_named():
    indicators = (
        IndicatorRecord("traffic", "metro", "Port traffic", "custom", "externality"),
        IndicatorRecord("visitors", "metro", "Congress visitors", "fair_and_congress_visitors", "outcome", 3),
    )
    result = finding(area(indicators=indicators), "no_externality_indicator")
    assert result.status == RECOMMENDATION
    assert "Port traffic" in result.reason
    assert "not even named: gentrification and housing, pollution, mass tourism and job precarity." in result.reason
    assert [ref.key for ref in result.records] == ["traffic"]


def test_an_observed_externality_indicator_clears_the_externality_check():
    indicators = (IndicatorRecord("rents", "metro", "Housing rents near the port", "custom", "externality", 4),)
    assert finding(area(indicators=indicators), "no_externality_indicator").status == NO_ISSUE


def test_a_coding_that_externalities_are_not_measured_is_stated_in_the_reason():
    codings = (CodingRecord("c1", "externalities_measured", 0, "Study team"),)
    result = finding(area(codings=codings), "no_externality_indicator")
    assert "coded 0 (not measured) by Study team" in result.reason


def test_cooperation_below_the_reference_is_recommended_and_missing_budgets_are_named():
    statistics = (
        StatisticRecord("coop", "cooperation_budget", Decimal("1"), "EUR", "metro", scale="million"),
        StatisticRecord("total", "total_budget", Decimal("400"), "EUR", "metro", scale="million"),
        StatisticRecord("town-coop", "cooperation_budget", Decimal("2"), "EUR", "town-hall", scale="million"),
    )
    results = [
        f for f in diagnose(build_framework(area(statistics=statistics))) if f.code == "cooperation_below_target"
    ]
    by_status = {f.status: f for f in results}
    assert "Metro Council: 0.25 % of its budget goes to cooperation (computed), below the 0.7 %" in (
        by_status[RECOMMENDATION].reason
    )
    assert by_status[NOT_ASSESSABLE].reason == (
        "Town Hall: the 0.7 % reference cannot be checked; missing a total_budget statistic."
    )
    higher = Thresholds(cooperation_target=Decimal("0.2"))
    lowered = diagnose(build_framework(area(statistics=statistics)), higher)
    assert all(f.status != RECOMMENDATION for f in lowered if f.code == "cooperation_below_target")


def _seats(total: int, prioritised: int) -> tuple[MembershipRecord, ...]:
    return tuple(
        MembershipRecord(f"seat-{n}", f"net-{n}", f"Network {n}", "metro", n < prioritised) for n in range(total)
    )


def test_many_networks_with_few_prioritised_is_recommended_by_the_named_thresholds():
    result = finding(area(memberships=_seats(12, 3)), "many_networks_few_prioritised")
    assert result.status == RECOMMENDATION
    assert "12 networks, 3 of them prioritised" in result.reason
    assert finding(area(memberships=_seats(9, 1)), "many_networks_few_prioritised").status == NO_ISSUE
    lenient = Thresholds(prioritised_share=Decimal("0.2"))
    assert finding(area(memberships=_seats(12, 3)), "many_networks_few_prioritised", lenient).status == NO_ISSUE


def test_web_pages_and_sectoral_evaluations_are_not_an_accountability_report():
    reports = (
        ReportRecord("page", "metro", "International web page", "web_portal", "organisation", reports_results=False),
        ReportRecord("eval", "metro", "Aid plan evaluation", "plan_evaluation", "sector", "cooperation", True),
    )
    result = finding(area(reports=reports), "no_accountability_report")
    assert result.status == RECOMMENDATION
    assert "International web page (no results)" in result.reason
    assert "Aid plan evaluation (one sector: cooperation)" in result.reason
    review = ReportRecord("review", "metro", "Annual review", "annual_review", "organisation", reports_results=True)
    assert finding(area(reports=(*reports, review)), "no_accountability_report").status == NO_ISSUE


def test_a_place_without_an_integral_plan_is_told_so_with_its_group():
    strategies = (StrategyRecord("aid-plan", "metro", "Aid plan", "sectoral_plan", "cooperation"),)
    result = finding(area(strategies=strategies), "no_integral_plan")
    assert result.status == RECOMMENDATION
    assert "planning group 3 (sectoral plans only, derived)" in result.reason
    integral = (StrategyRecord("plan", "metro", "Plan", "integral_international_plan"),)
    assert finding(area(strategies=integral), "no_integral_plan").status == NO_ISSUE


def test_recommendations_come_first_and_the_table_states_its_thresholds():
    framework = build_framework(area(units=ACTING))
    findings = diagnose(framework)
    statuses = [f.status for f in findings]
    assert statuses == sorted(statuses, key=[RECOMMENDATION, NOT_ASSESSABLE, NO_ISSUE].index)
    table = diagnostics_table(framework, findings)
    assert table.columns == ("code", "status", "reason", "advice", "records")
    assert any("many networks = 10 or more" in note for note in table.notes)


# --- the bundled case studies -----------------------------------------------------------------------


def run(*args):
    return runner.invoke(cli.app, list(args), env={"COLUMNS": "240"})


def _rows(output: str) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {}
    for row in json.loads(output)["rows"]:
        rows.setdefault(row["code"], []).append(row)
    return rows


@pytest.mark.django_db
def test_diagnose_barcelona_names_the_missing_overall_mechanism_and_externality_indicators(casestudies):
    result = run("diagnose", "Barcelona", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    (coordination,) = rows["fragmented_without_overall_coordination"]
    assert coordination["status"] == RECOMMENDATION
    assert "7 governments act abroad on their own" in coordination["reason"]
    assert (
        "none of the 8 coordination mechanisms recorded there covers the whole external action"
        in (coordination["reason"])
    )
    assert (
        "Barcelona quarterly roundtable of international players, convened by Barcelona City Council"
        in (coordination["reason"])
    )
    for key in ("amb", "barcelona-city-council", "s-cm-bcn-city-promotion-advisory-board", "m-coord-port-board"):
        assert key in coordination["records"], key

    (externality,) = rows["no_externality_indicator"]
    assert externality["status"] == RECOMMENDATION
    assert "6 externality indicators are named but have no observed value" in externality["reason"]
    assert "not even named: gentrification and housing, mass tourism and job precarity" in externality["reason"]
    for key in ("m-ind-amb-traffic", "m-ind-barcelona-mega-event-externalities", "s-cc-externalities-barcelona"):
        assert key in externality["records"], key

    assert rows["no_integral_plan"][0]["status"] == RECOMMENDATION
    assert rows["no_accountability_report"][0]["status"] == RECOMMENDATION
    cooperation = {row["status"]: row for row in rows["cooperation_below_target"]}
    assert "Àrea Metropolitana de Barcelona: 0.7 %" in cooperation[NO_ISSUE]["reason"]
    assert "Barcelona City Council: the 0.7 % reference cannot be checked; missing a total_budget statistic" in (
        "".join(row["reason"] for row in rows["cooperation_below_target"])
    )


@pytest.mark.django_db
def test_a_recorded_overall_mechanism_for_the_metropolis_clears_the_finding(casestudies):
    """The finding follows the data: record the mechanism the study asks for and it goes away."""
    from metrodiplomacy.actors.models import Organisation
    from metrodiplomacy.coordination.models import CoordinationMechanism

    CoordinationMechanism.objects.create(
        key="test-metropolitan-international-council", name="Metropolitan international council",
        kind="council", logic="intergovernmental", scope="overall", convenor=Organisation.objects.get(key="amb"),
        visibility="public", publication="published",
    )  # fmt: skip
    (coordination,) = _rows(run("diagnose", "Barcelona", "--format", "json").output)[
        "fragmented_without_overall_coordination"
    ]
    assert coordination["status"] == NO_ISSUE
    assert "Metropolitan international council" in coordination["reason"]


@pytest.mark.django_db
def test_diagnose_other_cases_from_their_records(casestudies):
    montreal = _rows(run("diagnose", "Montreal", "--format", "json").output)
    assert montreal["no_accountability_report"][0]["status"] == NO_ISSUE
    assert montreal["no_integral_plan"][0]["status"] == NO_ISSUE
    assert montreal["fragmented_without_overall_coordination"][0]["status"] == NO_ISSUE
    # The thesis' Buenos Aires sits in 13 networks and prioritises two.
    buenos_aires = _rows(run("diagnose", "Buenos Aires", "--format", "json").output)
    (networks,) = buenos_aires["many_networks_few_prioritised"]
    assert networks["status"] == RECOMMENDATION
    assert "13 networks, 2 of them prioritised" in networks["reason"]
    relaxed = _rows(run("diagnose", "Buenos Aires", "--many-networks", "20", "--format", "json").output)
    assert relaxed["many_networks_few_prioritised"][0]["status"] == NO_ISSUE


@pytest.mark.django_db
def test_diagnose_writes_every_format(casestudies, tmp_path):
    table = run("diagnose", "Barcelona")
    assert table.exit_code == 0
    assert "fragmented_without_overall_coordination" in table.output
    rows = list(csv.DictReader(io.StringIO(run("diagnose", "Barcelona", "--format", "csv").output)))
    assert {row["code"] for row in rows} >= {"no_integral_plan", "no_externality_indicator"}
    latex = tmp_path / "diagnose.tex"
    assert run("diagnose", "Barcelona", "--format", "latex", "--output", str(latex)).exit_code == 0
    assert r"\begin{table}" in latex.read_text()
    assert run("diagnose", "Barcelona", "--format", "svg").exit_code == 2
    assert run("diagnose", "Atlantis").exit_code == 1
    assert run("diagnose", "Barcelona", "--prioritised-share", "2").exit_code == 2
