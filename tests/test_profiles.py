"""City profiles: population and GDP growth between two years, as the thesis' Figures 1, 4, 7 and 9 print it."""

import csv
import io
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from metrodiplomacy import cli
from metrodiplomacy.analysis.profiles import (
    GROWTH_COLUMNS,
    StatisticValue,
    compute_profiles,
    figure_tables,
    growth_table,
    percent_growth,
)

runner = CliRunner()

# Worked by hand from the thesis' figures (seed 000, Figures 1, 4, 7, 9): GDP in billion USD 2010 and
# 2025, their difference, and the percentage the thesis prints; population in million persons.
THESIS_GDP = {
    "Buenos Aires": ("191.7", "384.3", "192.6", 100),
    "Guangzhou": ("146.1", "573", "426.9", 292),
    "Los Angeles": ("731.8", "1051.5", "319.7", 44),
    "Paris": ("764.2", "971.4", "207.2", 27),
}
THESIS_POPULATION = {
    "Buenos Aires": ("13.1", "15.2"),
    "Guangzhou": ("11.1", "14.9"),
    "Los Angeles": ("12.9", "15"),
    "Paris": ("11.8", "12.9"),
}
COUNTRIES = {"Buenos Aires": "Argentina", "Guangzhou": "China", "Los Angeles": "United States", "Paris": "France"}


def run(*args):
    return runner.invoke(cli.app, ["profiles", *args], env={"COLUMNS": "250"})


def stat(place, year, value, metric="gdp", **fields):
    defaults = {"country": "Nowhere", "scale": "billion", "unit": "USD", "key": f"{place}-{metric}-{year}"}
    return StatisticValue(place=place, metric=metric, year=year, value=Decimal(value), **{**defaults, **fields})


@pytest.mark.django_db
def test_the_cli_computes_the_four_thesis_profiles_in_csv(casestudies):
    result = run("--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == GROWTH_COLUMNS
    by_key = {(row["place"], row["metric"]): row for row in rows}
    for place, (start, end, total, percent) in THESIS_GDP.items():
        row = by_key[place, "gdp"]
        assert (row["country"], row["unit"], row["year from"], row["year to"]) == (
            COUNTRIES[place],
            "billion USD",
            "2010",
            "2025",
        )
        assert (row["value from"], row["value to"], row["growth"], row["growth %"]) == (start, end, total, str(percent))
    for place, (start, end) in THESIS_POPULATION.items():
        row = by_key[place, "population"]
        assert (row["unit"], row["value from"], row["value to"]) == ("million persons", start, end)
        assert Decimal(row["growth"]) == Decimal(end) - Decimal(start)
    # Countries with a single GDP year (the thesis' comparisons) give no row but are named on stderr.
    assert ("Sweden", "gdp") not in by_key
    assert "Sweden gdp: only one year recorded (2018)" in result.stderr


@pytest.mark.django_db
def test_the_cli_prints_the_thesis_figure_layout_in_json(casestudies):
    result = run("Buenos Aires", "Guangzhou", "Los Angeles", "Paris", "--figures", "--format", "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert [figure["rows"][0]["city"] for figure in figures] == list(THESIS_GDP)
    for figure in figures:
        row = figure["rows"][0]
        start, end, total, percent = THESIS_GDP[row["city"]]
        population = THESIS_POPULATION[row["city"]]
        assert row["country"] == COUNTRIES[row["city"]]
        assert (row["population 2010"], row["population 2025"]) == tuple(float(value) for value in population)
        assert (row["GDP 2010"], row["GDP 2025"]) == (float(start), float(end))
        assert (row["total growth"], row["% GDP growth"]) == (float(total), percent)
        assert "GDP in billions of USD." in figure["notes"]


@pytest.mark.django_db
def test_the_cli_names_the_duplicate_los_angeles_gdp_and_the_rule_it_applied(casestudies):
    result = run("Los Angeles", "--format", "json")
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)
    gdp = next(row for row in table["rows"] if row["metric"] == "gdp")
    assert gdp["value to"] == 1051.5
    conflict = next(note for note in table["notes"] if "recorded 2 times" in note)
    assert "used 1051.5 billion USD (t-la-gdp-2025)" in conflict
    assert "set aside 1051 billion USD (t-la-gdp-2025-text)" in conflict
    assert "most precise" in conflict


@pytest.mark.django_db
def test_a_place_without_statistics_is_reported_not_dropped(casestudies):
    result = run("Seoul", "Paris", "--format", "json")
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)
    assert {row["place"] for row in table["rows"]} == {"Paris"}
    assert any(note.startswith("Seoul: no population or GDP statistic") for note in table["notes"])

    alone = run("Seoul", "--format", "csv")
    assert alone.exit_code == 0
    assert alone.stdout.strip() == ",".join(GROWTH_COLUMNS)
    assert "Seoul: no population or GDP statistic" in alone.stderr


@pytest.mark.django_db
def test_the_cli_refuses_an_unknown_place_and_reversed_years():
    unknown = run("Atlantis")
    assert unknown.exit_code == 1 and "No place called 'Atlantis'" in unknown.output
    reversed_years = run("--from", "2025", "--to", "2010")
    assert reversed_years.exit_code == 2 and "must be earlier" in reversed_years.output


@pytest.mark.django_db
def test_the_cli_draws_the_growth_bars_as_svg(casestudies):
    result = run("--format", "svg")
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().startswith("<svg")
    for label in ("+100 %", "+292 %", "+44 %", "+27 %", "GDP (billion USD)", "Population (million persons)"):
        assert label in result.stdout, label


@pytest.mark.django_db
def test_the_cli_years_can_be_chosen_and_a_missing_year_is_named(casestudies):
    result = run("Paris", "--from", "2010", "--to", "2020", "--format", "json")
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)
    assert table["rows"] == []
    assert "Paris gdp: no value for 2020 (years recorded: 2010, 2025)." in table["notes"]


def test_growth_on_plain_values_compares_values_stated_in_different_scales():
    statistics = [
        stat("Lyon", 2000, "13100000", metric="population", scale="units", unit="persons"),
        stat("Lyon", 2020, "15.2", metric="population", scale="million", unit="persons"),
    ]
    table = growth_table(compute_profiles(statistics))
    (row,) = table.records()
    assert row["unit"] == "million persons"
    assert (row["value from"], row["value to"], row["growth"], row["growth %"]) == (
        Decimal("13.1"),
        Decimal("15.2"),
        Decimal("2.1"),
        Decimal(16),
    )
    assert any("rounded half away from zero to whole percent" in note for note in table.notes)


def test_the_rounding_follows_the_thesis_and_can_keep_decimals():
    assert percent_growth(Decimal("191.7"), Decimal("384.3")) == 100
    assert percent_growth(Decimal("764.2"), Decimal("971.4")) == 27
    assert percent_growth(Decimal("731.8"), Decimal("1051.5"), places=1) == Decimal("43.7")
    assert percent_growth(Decimal(200), Decimal(201)) == 1  # 0.5 % rounds up, away from zero
    assert percent_growth(Decimal(200), Decimal(199)) == -1
    assert percent_growth(Decimal(0), Decimal(5)) is None


def test_the_default_years_are_each_metric_s_earliest_and_latest_and_options_choose_others():
    statistics = [stat("Lyon", year, value) for year, value in ((2000, "10"), (2010, "15"), (2020, "30"))]
    assert [(g.start.year, g.end.year) for g in compute_profiles(statistics).growths] == [(2000, 2020)]
    chosen = compute_profiles(statistics, year_from=2010, year_to=2020).growths
    assert [(g.start.year, g.end.year, g.growth) for g in chosen] == [(2010, 2020, Decimal(15))]
    with pytest.raises(ValueError):
        compute_profiles(statistics, year_from=2020, year_to=2010)


def test_the_duplicate_rule_prefers_unflagged_then_exact_then_precise_and_says_so():
    flagged = stat("Lyon", 2020, "30", key="b-flagged", flag="contradicted by a-plain")
    plain = stat("Lyon", 2020, "29", key="c-plain")
    rough = stat("Lyon", 2020, "31.25", key="a-rough", qualifier="about")
    profiles = compute_profiles([stat("Lyon", 2000, "10"), flagged, plain, rough])
    assert profiles.growths[0].end is plain
    (conflict,) = [note for note in profiles.notes if "recorded 3 times" in note]
    assert "used 29 billion USD (c-plain)" in conflict
    assert "about 31.25 billion USD (a-rough)" in conflict and "30 billion USD (b-flagged)" in conflict

    coarse, fine = stat("Lyon", 2020, "1051", key="a"), stat("Lyon", 2020, "1051.5", key="b")
    assert compute_profiles([stat("Lyon", 2000, "10"), coarse, fine]).growths[0].end is fine


def test_places_asked_for_come_first_and_those_without_two_years_are_named():
    statistics = [stat("Zagreb", 2000, "1"), stat("Zagreb", 2010, "2"), stat("Arles", 2010, "5")]
    profiles = compute_profiles(statistics, places=["Zagreb", "Atlantis"])
    assert profiles.places == ("Zagreb", "Arles")
    assert "Arles gdp: only one year recorded (2010), so no growth." in profiles.notes
    assert "Atlantis: no population or GDP statistic recorded (or none visible to you)." in profiles.notes


def test_a_figure_without_gdp_keeps_population_and_says_what_is_missing():
    statistics = [
        stat("Lyon", 2010, "1.1", metric="population", scale="million", unit="persons"),
        stat("Lyon", 2025, "1.25", metric="population", scale="million", unit="persons"),
    ]
    (figure,) = figure_tables(compute_profiles(statistics))
    assert figure.columns == ("city", "country", "population 2010", "population 2025")
    assert figure.rows[0][2:] == (Decimal("1.1"), Decimal("1.3"))  # one decimal, half away from zero
    assert any("No GDP growth" in note for note in figure.notes)


def test_projected_approximate_and_unit_mismatched_values_are_flagged_in_the_notes():
    statistics = [
        stat("Lyon", 2010, "10"),
        stat("Lyon", 2025, "12", kind="projected", qualifier="about"),
        stat("Nice", 2010, "10", unit="EUR"),
        stat("Nice", 2025, "12"),
    ]
    notes = compute_profiles(statistics).notes
    assert "Values for 2025 are projected, not observed: Lyon." in notes
    assert any(note.startswith("Approximate values") and "Lyon gdp 2025 (about)" in note for note in notes)
    assert "Nice gdp: 2010 is in EUR and 2025 in USD; not compared." in notes


decimals = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("1e9"), places=2, allow_nan=False)


@given(decimals)
def test_equal_values_grow_by_zero(value):
    (growth,) = compute_profiles([stat("Lyon", 2000, value), stat("Lyon", 2020, value)]).growths
    assert growth.growth == 0 and growth.percent() == 0 and str(growth.percent(2)) == "0.00"


@given(decimals, decimals)
def test_the_sign_of_growth_percent_matches_the_sign_of_growth(start, end):
    (growth,) = compute_profiles([stat("Lyon", 2000, start), stat("Lyon", 2020, end)]).growths
    assert growth.growth == end - start
    percent = growth.percent(1)
    assert percent == 0 or (percent > 0) == (growth.growth > 0)
    # No negative zero ("-0.0") for a fall too small to show; a real fall of under one percent ("-0.9") is fine.
    assert not (percent == 0 and percent.is_signed())


@pytest.mark.django_db
def test_the_query_respects_visibility_in_one_query(personas, django_assert_num_queries):
    from metrodiplomacy.observatory.inputs.profiles import profile_statistics
    from metrodiplomacy.places.models import Statistic
    from metrodiplomacy.places.services import ensure_city
    from metrodiplomacy.records import OPERATOR

    lyon = ensure_city("Lyon", "FR")
    for year, value in ((2010, "1.3"), (2020, "1.4")):
        Statistic.objects.create(
            key=f"lyon-{year}",
            place=lyon,
            metric="population",
            year=year,
            value=Decimal(value),
            scale="million",
            unit="persons",
            owner=personas["org_a"],
        )
    with django_assert_num_queries(1):
        seen = profile_statistics(OPERATOR)
    assert [(s.place, s.country, s.year, s.value) for s in seen] == [
        ("Lyon", "France", 2010, Decimal("1.3")),
        ("Lyon", "France", 2020, Decimal("1.4")),
    ]
    assert len(profile_statistics(personas["viewer"], [lyon])) == 2
    assert profile_statistics(personas["outsider"], [lyon]) == []
    assert profile_statistics(None) == []
