"""The results analysis (analysis/results.py) and its charts, on hand-built indicators: no database."""

from decimal import Decimal as D

import pytest

from metrodiplomacy.analysis import charts
from metrodiplomacy.analysis.results import (
    MET,
    NO_DATA,
    ON_TRACK,
    WORSE,
    ResultIndicator,
    ResultValue,
    breakdown_table,
    externality_table,
    kinds_table,
    progress,
    progress_table,
    reading,
    series_table,
    slope,
    status,
)


def indicator(key="firms", kind="outcome", direction="higher", values=(), name=None, unit="firms"):
    return ResultIndicator(key, name or key, kind, "custom", unit, direction, tuple(values))


def value(year, role, amount, **extra):
    return ResultValue(year, role, None if amount is None else D(str(amount)), **extra)


FIRMS = indicator(
    values=[
        value(2016, "baseline", 100),
        value(2016, "observed", 100),
        value(2017, "observed", 110),
        value(2018, "observed", 130),
        value(2019, "observed", 150),
        value(2019, "target", 200),
    ]
)
NO2 = indicator(
    "no2",
    "externality",
    "lower",
    [value(2016, "baseline", 44), value(2017, "observed", 43), value(2019, "observed", 40), value(2019, "target", 40)],
    unit="µg/m³",
)


def test_progress_is_the_share_of_the_way_from_baseline_to_target_in_either_direction():
    assert progress(D(100), D(200), D(150)) == 50
    assert progress(D(44), D(40), D(42), "lower") == 50
    assert progress(D(44), D(40), D(40), "lower") == 100


def test_progress_is_unknown_without_a_value_or_a_way_to_go():
    assert progress(None, D(200), D(150)) is None
    assert progress(D(100), D(100), D(150)) is None
    assert progress(D(100), D(200), None) is None


def test_a_target_worse_than_the_baseline_is_a_limit_without_a_share_of_the_way():
    # Rent may rise to 15 at most: exceeding the limit is "moving away", never "146 % of the way".
    assert progress(D("13.5"), D(15), D("15.7"), "lower") is None
    assert status("lower", D("13.5"), D(15), D("15.7")) == WORSE
    assert status("lower", D("13.5"), D(15), D("14.9")) == MET


def test_status_reads_the_observed_value_in_the_indicators_direction():
    assert status("higher", D(100), D(200), D(210)) == MET
    assert status("higher", D(100), D(200), D(150)) == ON_TRACK
    assert status("higher", D(100), D(200), D(90)) == WORSE
    assert status("lower", D(44), D(40), D(46)) == WORSE
    assert status("lower", D(44), D(40), None) == NO_DATA


def test_slope_is_the_least_squares_change_per_year():
    assert slope([(2016, 100), (2017, 110), (2018, 120)]) == pytest.approx(10)
    assert slope([(2019, 5)]) is None
    assert reading("lower", -2.5) == "improving"
    assert reading("higher", -2.5) == "worsening"
    assert reading("higher", None) == NO_DATA


def test_an_unknown_value_is_never_read_as_zero():
    jobs = indicator(
        "jobs",
        values=[value(2016, "baseline", 10), value(2019, "observed", None), value(2019, "target", 20)],
    )
    row = progress_table([jobs], 2019).records()[0]
    assert row["observed"] is None
    assert row["status"] == NO_DATA
    assert row["% of the way"] is None
    assert "Reported as unknown in 2019: jobs." in progress_table([jobs], 2019).notes


def test_the_progress_table_gives_baseline_target_observed_share_status_and_trend():
    rows = {row["indicator"]: row for row in progress_table([FIRMS, NO2], 2019).records()}
    assert rows["firms"]["baseline"] == 100 and rows["firms"]["target"] == 200 and rows["firms"]["observed"] == 150
    assert rows["firms"]["% of the way"] == 50.0
    assert rows["firms"]["status"] == ON_TRACK
    assert rows["firms"]["trend per year"] == pytest.approx(17.0)  # least squares over 2016-2019
    assert rows["no2"]["status"] == MET
    assert rows["no2"]["trend reading"] == "improving"


def test_a_later_target_stands_for_a_year_without_its_own():
    plan = indicator("plan", values=[value(2016, "baseline", 0), value(2018, "observed", 5), value(2020, "target", 10)])
    row = progress_table([plan], 2018).records()[0]
    assert row["target year"] == 2020 and row["% of the way"] == 50.0


def test_an_empty_direction_means_lower_for_externalities_and_higher_otherwise():
    assert indicator(kind="externality", direction="").better == "lower"
    assert indicator(kind="output", direction="").better == "higher"


def test_outputs_and_outcomes_are_counted_apart_with_the_median_share():
    output = indicator("missions", "output", values=[value(2016, "baseline", 0), value(2019, "observed", 5)])
    table = kinds_table([FIRMS, NO2, output], 2019)
    rows = {row["kind"]: row for row in table.records()}
    assert [row["kind"] for row in table.records()] == ["output", "outcome", "externality"]
    assert rows["outcome"]["median % of the way"] == 50.0
    assert rows["externality"]["target met"] == 1
    assert rows["output"]["measured in the year"] == 1


def test_externality_trends_compare_first_and_last_observed_years():
    row = externality_table([FIRMS, NO2]).records()[0]
    assert (row["first year"], row["last year"]) == (2017, 2019)
    assert row["change %"] == pytest.approx(-7.0)
    assert row["reading"] == "improving"
    assert len(externality_table([FIRMS, NO2]).rows) == 1


def test_disaggregated_values_stay_out_of_the_totals_and_have_their_own_table():
    split = indicator(
        "projects",
        values=[
            value(2019, "observed", 12),
            value(2019, "observed", 7, dimension="region", dimension_value="Latin America"),
            value(2019, "observed", None, dimension="region", dimension_value="Africa"),
        ],
    )
    assert progress_table([split], 2019).records()[0]["observed"] == 12
    parts = breakdown_table([split], 2019).records()
    assert [(p["part"], p["value"], p["total"]) for p in parts] == [("Africa", None, 12), ("Latin America", 7, 12)]


def test_the_trend_chart_draws_the_target_as_a_dashed_rule_and_a_point():
    svg = charts.render(charts.indicator_trend(series_table(NO2)), "svg").decode()
    assert charts.TARGET_COLOUR in svg
    assert "stroke-dasharray" in svg
    assert "target 2019: 40" in svg  # the ARIA label of the target point
    assert charts.chart_table(charts.indicator_trend(series_table(NO2))).rows == series_table(NO2).rows


def test_the_progress_chart_marks_the_target_at_100_percent_and_keeps_exact_labels():
    far = indicator(
        "trucks", "externality", "lower", [value(2016, "baseline", D("11.2")), value(2019, "observed", D("12.9"))]
    )
    far = ResultIndicator(**{**far.__dict__, "values": (*far.values, value(2019, "target", 11))})
    svg = charts.render(charts.progress_bars(progress_table([FIRMS, far], 2019)), "svg").decode()
    assert "-850 %" in svg  # drawn within the range, labelled with the exact share
    assert charts.TARGET_COLOUR in svg


def test_the_progress_chart_refuses_a_table_without_any_share():
    with pytest.raises(ValueError, match="no indicator has a baseline"):
        charts.progress_bars(progress_table([indicator("empty")], 2019))
