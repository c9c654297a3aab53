"""The comparative framework: its rules on plain values, then on the bundled case studies and through the CLI.

Expectations come from the study (seed 003, annex): scenarios at lines 764-772, planning groups at
lines 782-805, the capacity table at lines 812-837 (Seoul 40 staff and EUR 8.79 million; Montreal
18 + 4 staff and EUR 2 + 0.55 million; Medellín 53 and EUR 1.75 million; Barcelona AMB 18 and EUR
1.97 million plus the city's 16 + 14 + 12 and EUR 2.6 + 10.2 + 1 million).
"""

import csv
import io
import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from metrodiplomacy import cli
from metrodiplomacy.analysis.capacity import ExchangeRate, check_rates, measure_capacity
from metrodiplomacy.analysis.comparative import (
    CHART_COLUMNS,
    Derivation,
    build_framework,
    capacity_chart_table,
    classify,
    derive_governance_scenario,
    derive_planning_group,
)
from metrodiplomacy.analysis.comparative_profiles import cooperation_shares, covers_whole_territory
from metrodiplomacy.analysis.comparative_records import (
    CodingRecord,
    MechanismRecord,
    OrganisationRecord,
    PlaceRecords,
    StatisticRecord,
    StrategyRecord,
    UnitRecord,
)
from metrodiplomacy.analysis.comparative_tables import comparison_tables

runner = CliRunner()

METRO = OrganisationRecord("metro", "Metro Council", "metropolitan_government", home_place="area")
CITY = OrganisationRecord("city", "City Hall", "city_government", home_place="town")
TOWN = OrganisationRecord("town-hall", "Town Hall", "city_government", home_place="village")
AGENCY = OrganisationRecord("agency", "Promotion Agency", "agency", parent="city", home_place="town")


def territory(*organisations, **records) -> PlaceRecords:
    return PlaceRecords(
        key="area", name="Area", kind="metropolitan_area", place_keys=("area", "town", "village"),
        organisations=organisations, **records,
    )  # fmt: skip


def unit(key, organisation, staff=None, budget=None, currency="", specialty="international_relations", flag=""):
    return UnitRecord(
        key, organisation, key.title(), specialty, staff=staff,
        budget=None if budget is None else Decimal(budget), budget_scale="million", budget_currency=currency, flag=flag,
    )  # fmt: skip


# --- governance scenario -----------------------------------------------------------------------------


def test_a_metropolitan_government_acting_alone_is_scenario_1():
    derived = derive_governance_scenario(territory(METRO, CITY, units=(unit("u1", "metro"),)))
    assert derived.value == 1
    assert "Metro Council" in derived.reason
    assert [ref.key for ref in derived.records] == ["u1"]


def test_the_main_city_acting_through_its_agency_is_scenario_2_even_with_an_idle_metropolitan_government():
    derived = derive_governance_scenario(territory(METRO, CITY, AGENCY, units=(unit("u1", "agency"),)))
    assert derived.value == 2
    assert "City Hall" in derived.reason and "Metro Council" in derived.reason


def test_a_metropolitan_government_and_a_municipality_acting_each_on_its_own_is_scenario_3():
    strategies = (StrategyRecord("s1", "town-hall", "Town plan", "integral_international_plan"),)
    derived = derive_governance_scenario(territory(METRO, TOWN, units=(unit("u1", "metro"),), strategies=strategies))
    assert derived.value == 3
    assert {ref.key for ref in derived.records} == {"u1", "s1"}


def test_several_cities_without_a_metropolitan_government_are_scenario_3():
    units = (unit("u1", "city"), unit("u2", "town-hall"))
    assert derive_governance_scenario(territory(CITY, TOWN, units=units)).value == 3


def test_no_government_abroad_gives_no_scenario_and_says_why():
    derived = derive_governance_scenario(territory(METRO, units=(unit("u1", "metro", specialty="other"),)))
    assert derived.value is None
    assert "No metropolitan or city government" in derived.reason


# --- planning group ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kinds", "group"),
    [
        (("integral_international_plan", "sectoral_plan"), 1),
        (("development_plan_internationalisation", "sectoral_plan"), 2),
        (("strategic_plan",), 2),
        (("sectoral_plan",), 3),
        (("informal_strategy",), 4),
        ((), 4),
    ],
)
def test_the_planning_group_follows_the_best_plan_of_the_place_s_own_governments(kinds, group):
    strategies = tuple(StrategyRecord(f"s{n}", "metro", f"Plan {n}", kind) for n, kind in enumerate(kinds))
    assert derive_planning_group(territory(METRO, strategies=strategies)).value == group


def test_a_municipality_s_own_plan_does_not_make_the_metropolitan_area_group_1():
    strategies = (
        StrategyRecord("metro-plan", "metro", "Action plan", "development_plan_internationalisation"),
        StrategyRecord("town-plan", "town-hall", "Town plan", "integral_international_plan"),
    )
    derived = derive_planning_group(territory(METRO, TOWN, strategies=strategies))
    assert derived.value == 2
    assert [ref.key for ref in derived.records] == ["metro-plan"]


# --- codings ----------------------------------------------------------------------------------------


def test_an_override_coding_beats_the_derived_value_and_both_are_kept():
    coding = CodingRecord("c1", "governance_scenario", 3, "Coder A", "fragmented")
    result = classify("governance_scenario", Derivation(1, "derived reason"), [coding])
    assert (result.derived.value, result.coded, result.used, result.source) == (1, 3, 3, "coded")


def test_disagreeing_coders_leave_the_derived_value_in_use_until_one_is_chosen():
    codings = [
        CodingRecord("c1", "planning_group", 2, "Coder A"),
        CodingRecord("c2", "planning_group", 3, "Coder B"),
    ]
    result = classify("planning_group", Derivation(4, "r"), codings)
    assert (result.used, result.source) == (4, "derived")
    assert "Coder A" in result.note and "Coder B" in result.note
    assert classify("planning_group", Derivation(4, "r"), codings, coder="Coder B").used == 3


# --- capacity and currencies ------------------------------------------------------------------------


def test_two_readings_of_one_unit_are_counted_once_with_the_other_as_an_alternative():
    units = (
        unit("bureau-table", "metro", 40, "8.79", "EUR", flag="the text says USD (see bureau-text)"),
        unit("bureau-text", "metro", 40, "8.79", "USD", flag="the table says EUR (see bureau-table)"),
        unit("office", "metro", 5),
    )
    capacity = measure_capacity(territory(METRO, units=units))
    assert capacity.staff == 45
    assert capacity.budgets == {"EUR": Decimal("8790000")}
    counted = {c.unit.key: [a.key for a in c.alternatives] for c in capacity.units}
    assert counted == {"bureau-table": ["bureau-text"], "office": []}


def test_budgets_in_different_currencies_are_never_summed_together():
    units = (unit("a", "metro", budget="2", currency="EUR"), unit("b", "city", budget="3", currency="USD"))
    capacity = measure_capacity(territory(METRO, CITY, units=units))
    assert capacity.budgets == {"EUR": Decimal("2000000"), "USD": Decimal("3000000")}
    assert capacity.conversion is None


def test_a_conversion_uses_only_the_stated_rates_and_names_what_it_could_not_convert():
    units = (
        unit("a", "metro", budget="2", currency="EUR"),
        unit("b", "city", budget="3", currency="USD"),
        unit("c", "city", budget="1", currency="ZAR"),
    )
    rate = ExchangeRate.parse("EUR=1.12:USD:2019")
    capacity = measure_capacity(territory(METRO, CITY, units=units), [rate])
    assert capacity.conversion.currency == "USD"
    assert capacity.conversion.amount == Decimal("5240000")
    assert capacity.conversion.not_converted == ("ZAR",)
    assert str(rate) == "1 EUR = 1.12 USD (2019 rate)"


@pytest.mark.parametrize("text", ["EUR=1.12", "EUR=0:USD:2019", "EUR=1.1:EUR:2019", "eur=x:usd:2019", "EUR=1:USD:19"])
def test_a_malformed_rate_is_refused(text):
    with pytest.raises(ValueError):
        ExchangeRate.parse(text)


def test_rates_into_two_currencies_are_refused():
    with pytest.raises(ValueError, match="one currency"):
        check_rates([ExchangeRate.parse("EUR=1.1:USD:2019"), ExchangeRate.parse("GBP=1.2:EUR:2019")])


def test_units_of_bodies_no_local_government_answers_for_are_left_out_of_the_sums():
    region = OrganisationRecord("region", "Province", "regional_government", home_place="town")
    capacity = measure_capacity(territory(METRO, region, units=(unit("a", "metro", 3), unit("b", "region", 40))))
    assert capacity.staff == 3
    assert [u.key for u in capacity.left_out] == ["b"]


def test_the_chart_table_is_long_with_one_row_per_place_measure_and_unit():
    units = (unit("a", "metro", 4, "2", "EUR"), unit("b", "city", 6, "3", "USD"))
    framework = build_framework(territory(METRO, CITY, units=units), [ExchangeRate.parse("EUR=1.5:USD:2019")])
    table = capacity_chart_table([framework])
    assert table.columns == CHART_COLUMNS == ("place", "measure", "value", "unit")
    assert table.rows == (
        ("Area", "staff", 10, "persons"),
        ("Area", "budget", Decimal("2"), "EUR million"),
        ("Area", "budget", Decimal("3"), "USD million"),
        ("Area", "budget, converted", Decimal("6.00"), "USD million"),
    )
    assert any("1 EUR = 1.5 USD (2019 rate)" in note for note in table.notes)


# --- coordination and cooperation -------------------------------------------------------------------


def test_only_an_overall_mechanism_convened_for_the_whole_place_covers_the_territory():
    records = territory(METRO, TOWN, units=(unit("u1", "metro"), unit("u2", "town-hall")))
    acting = ["metro", "town-hall"]
    whole = MechanismRecord("m1", "Metro table", "council", "intergovernmental", "overall", "metro")
    town_only = MechanismRecord("m2", "Town table", "council", "intergovernmental", "overall", "town-hall")
    joined = MechanismRecord(
        "m3", "Joint table", "council", "intergovernmental", "overall", None, ("metro", "town-hall")
    )
    sectoral = MechanismRecord("m4", "Trade board", "council", "public_private", "sectoral", "metro")
    assert covers_whole_territory(records, whole, acting)
    assert not covers_whole_territory(records, town_only, acting)
    assert covers_whole_territory(records, joined, acting)
    assert not covers_whole_territory(records, sectoral, acting)


def test_the_cooperation_share_is_computed_recorded_or_its_missing_record_named():
    statistics = (
        StatisticRecord("coop", "cooperation_budget", Decimal("1.5"), "EUR", "metro", scale="million"),
        StatisticRecord("total", "total_budget", Decimal("600"), "EUR", "metro", scale="million"),
        StatisticRecord("city-coop", "cooperation_budget", Decimal("10"), "EUR", "city", scale="million"),
        StatisticRecord("town-share", "cooperation_budget_share", Decimal("0.8"), "percent", "town-hall"),
    )
    shares = {s.organisation: s for s in cooperation_shares(territory(METRO, CITY, TOWN, statistics=statistics))}
    assert shares["metro"].share == Decimal("0.25") and shares["metro"].basis == "computed"
    assert shares["town-hall"].share == Decimal("0.8") and shares["town-hall"].basis == "recorded"
    assert shares["city"].share is None and shares["city"].missing == ("a total_budget statistic",)


# --- the bundled case studies -----------------------------------------------------------------------

STUDY_SCENARIOS = {"Durban": 1, "Seoul": 1, "Vienna": 1, "Medellín": 2, "Montréal": 2, "Barcelona": 3}
STUDY_PLANNING = {"Montréal": 1, "Seoul": 1, "Medellín": 2, "Durban": 3, "Vienna": 4, "Barcelona": 2}


def frameworks_for(*names, user=None, rates=(), coder=None):
    from metrodiplomacy.analysis.comparative import compare
    from metrodiplomacy.observatory.inputs.comparative import comparative_records, resolve_place
    from metrodiplomacy.records import OPERATOR

    places = [resolve_place(name) for name in names]
    return compare(comparative_records(places, user or OPERATOR), rates, coder)


@pytest.mark.django_db
def test_the_rules_derive_the_study_s_scenarios_and_planning_groups_for_its_six_cases(casestudies):
    frameworks = frameworks_for(*STUDY_SCENARIOS)
    names = [f.name.replace(" Metropolitan Area", "") for f in frameworks]
    assert dict(zip(names, (f.governance.derived.value for f in frameworks), strict=True)) == STUDY_SCENARIOS
    assert dict(zip(names, (f.governance.used for f in frameworks), strict=True)) == STUDY_SCENARIOS
    assert dict(zip(names, (f.planning.derived.value for f in frameworks), strict=True)) == STUDY_PLANNING
    assert all(f.externalities.used == 0 for f in frameworks)


@pytest.mark.django_db
def test_capacity_reproduces_the_study_s_unit_table(casestudies):
    frameworks = {f.name: f.capacity for f in frameworks_for("Seoul", "Montreal", "Medellin", "Barcelona")}
    assert (frameworks["Seoul"].staff, frameworks["Seoul"].budgets) == (40, {"EUR": Decimal("8790000")})
    assert (frameworks["Montréal"].staff, frameworks["Montréal"].budgets) == (22, {"EUR": Decimal("2550000")})
    assert (frameworks["Medellín"].staff, frameworks["Medellín"].budgets) == (53, {"EUR": Decimal("1750000")})
    barcelona = frameworks["Barcelona Metropolitan Area"]
    assert (barcelona.staff, barcelona.budgets) == (60, {"EUR": Decimal("15770000")})
    # The Provincial Council's team (about 40, EUR 4 million) is a regional government's, not counted.
    assert "s-unit-diba-international-team" in {u.key for u in barcelona.left_out}


@pytest.mark.django_db
def test_barcelona_resolves_to_the_metropolitan_case_and_its_key_to_the_municipality(casestudies):
    from metrodiplomacy.observatory.inputs.comparative import resolve_place

    assert resolve_place("Barcelona").key == "barcelona-metropolitan-area"
    assert resolve_place("barcelona").key == "barcelona"
    assert resolve_place("Medellin").key == "medellin"
    assert resolve_place("Atlantis") is None


@pytest.mark.django_db
def test_the_records_are_read_in_a_fixed_number_of_queries(casestudies, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from metrodiplomacy.observatory.inputs.comparative import comparative_records, resolve_place
    from metrodiplomacy.records import OPERATOR

    # Two places that have records of every kind: an empty kind would skip its query and hide growth.
    two = [resolve_place(n) for n in ("Montreal", "Barcelona")]
    six = [resolve_place(n) for n in STUDY_SCENARIOS]
    with CaptureQueriesContext(connection) as small:
        comparative_records(two, OPERATOR)
    with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as large:
        comparative_records(six, OPERATOR)
    assert len(small.captured_queries) == len(large.captured_queries)


@pytest.mark.django_db
def test_a_chosen_coder_s_override_beats_the_derived_scenario(casestudies):
    from metrodiplomacy.evidence.models import ClassificationCoding
    from metrodiplomacy.places.models import Place

    vienna = Place.objects.get(key="vienna")
    ClassificationCoding.objects.create(
        key="test-vienna-scenario", place=vienna, scheme="governance_scenario", value=3, coder="Tester",
        rationale="A test coder reads Vienna as fragmented.", visibility="public", publication="published",
    )  # fmt: skip
    (disagreeing,) = frameworks_for("Vienna")
    assert (disagreeing.governance.used, disagreeing.governance.source) == (1, "derived")
    (chosen,) = frameworks_for("Vienna", coder="Tester")
    assert (chosen.governance.derived.value, chosen.governance.used, chosen.governance.source) == (1, 3, "coded")
    result = runner.invoke(cli.app, ["compare", "Vienna", "Seoul", "--coder", "Tester", "--format", "csv"])
    assert "3 (metropolitan government and municipalities each act), coded" in result.output


@pytest.mark.django_db
def test_another_organisation_s_private_records_do_not_feed_the_outsider_s_comparison(casestudies, personas):
    from metrodiplomacy.actors.models import Organisation, Unit
    from metrodiplomacy.evidence.models import ClassificationCoding
    from metrodiplomacy.places.models import Place

    seoul_government = Organisation.objects.get(key="seoul-metropolitan-government")
    Unit.objects.create(
        key="org-a-private-seoul-team", organisation=seoul_government, name="Private team",
        specialty="international_relations", staff=100, owner=personas["org_a"], visibility="private",
    )  # fmt: skip
    ClassificationCoding.objects.create(
        key="org-a-private-seoul-coding", place=Place.objects.get(key="seoul"), scheme="planning_group", value=4,
        coder="Org A", rationale="private", owner=personas["org_a"], visibility="private",
    )  # fmt: skip
    (outsider,) = frameworks_for("Seoul", user=personas["outsider"])
    (owner,) = frameworks_for("Seoul", user=personas["owner"])
    assert outsider.capacity.staff == 40 and owner.capacity.staff == 140
    assert [c.key for c in outsider.planning.codings] == ["s-cc-plan-seoul"]
    assert {c.key for c in owner.planning.codings} == {"s-cc-plan-seoul", "org-a-private-seoul-coding"}


# --- the command ------------------------------------------------------------------------------------


def run(*args):
    return runner.invoke(cli.app, list(args), env={"COLUMNS": "240"})


@pytest.mark.django_db
def test_compare_shows_the_study_s_scenarios_groups_staff_budgets_and_roles_in_every_format(casestudies, tmp_path):
    table = run("compare", "Montreal", "Seoul", "Barcelona")
    assert table.exit_code == 0, table.output
    for expected in (
        "2 (main city manages)",
        "1 (metropolitan government manages)",
        "3 (metropolitan government and municipalities each act)",
        "1 (specific international plan)",
        "2 (inside a strategic or development plan)",
        "EUR 2.55 million",
        "EUR 8.79 million",
        "EUR 15.77 million",
        "Metropolis: co-presidency",
        "CITYNET: presidency",
        "s-unit-seoul-icb-text",
    ):
        assert expected in table.output, expected

    csv_output = run("compare", "Montreal", "Seoul", "Barcelona", "--format", "csv").output
    governance = list(csv.reader(io.StringIO(csv_output.split("\n\n")[0])))
    assert governance[0] == ["measure", "Montréal", "Seoul", "Barcelona Metropolitan Area"]
    staff = next(row for row in governance if row[0] == "international staff")
    assert staff[1:] == ["22", "40", "60"]

    tables = json.loads(run("compare", "Montreal", "Seoul", "Barcelona", "--format", "json").output)
    assert [t["title"] for t in tables][:4] == [
        "Governance", "City diplomacy", "International outreach", "Decentralised cooperation",
    ]  # fmt: skip
    assert "The 3 places together: 18 international units, 122 staff, EUR 27.11 million." in tables[0]["notes"]
    evidence = tables[-1]["rows"]
    derived = next(r for r in evidence if r["place"] == "Seoul" and r["measure"] == "governance scenario, derived")
    assert "s-unit-seoul-icb-table" in derived["records"]

    latex = run("compare", "Montreal", "Seoul", "--format", "latex").output
    assert latex.count(r"\begin{table}") == len(tables)

    svg = tmp_path / "capacity.svg"
    assert run("compare", "Montreal", "Seoul", "--format", "svg", "--output", str(svg)).exit_code == 0
    assert svg.read_text().lstrip().startswith("<svg")


@pytest.mark.django_db
def test_compare_converts_only_with_a_stated_rate_and_says_so(casestudies):
    plain = run("compare", "Montreal", "Seoul", "--format", "csv").output
    assert "USD" not in plain.split("\n\n")[0]
    converted = run("compare", "Montreal", "Seoul", "--format", "json", "--rate", "EUR=1.12:USD:2019").output
    governance = json.loads(converted)[0]
    row = next(r for r in governance["rows"] if r["measure"] == "budget, converted at the stated rates")
    assert row == {"measure": "budget, converted at the stated rates", "Montréal": "USD 2.86 million",
                   "Seoul": "USD 9.84 million"}  # fmt: skip
    assert any("1 EUR = 1.12 USD (2019 rate)" in note for note in governance["notes"])


@pytest.mark.django_db
def test_compare_refuses_bad_arguments(casestudies):
    assert run("compare", "Montreal").exit_code == 2
    assert run("compare", *["Seoul"] * 7).exit_code == 2
    assert run("compare", "Montreal", "Atlantis").exit_code == 1
    assert run("compare", "Montreal", "Seoul", "--rate", "EUR=x").exit_code == 2
    assert run("compare", "Montreal", "Montreal").exit_code == 2


def test_every_theme_table_has_a_column_per_place():
    frameworks = [build_framework(territory(METRO)), build_framework(territory(CITY))]
    for table in comparison_tables(frameworks)[:4]:
        assert table.columns == ("measure", "Area", "Area")
