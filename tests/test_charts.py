"""Charts: Vega-Lite specs drawn offline to SVG and PNG, legible at print size, carrying their table."""

import re
import struct
import subprocess
import sys
from decimal import Decimal

import pytest

from metrodiplomacy.analysis.charts import (
    capacity_bars,
    chart_table,
    growth_bars,
    reliance_heatmap,
    render,
)
from metrodiplomacy.analysis.profiles import StatisticValue, compute_profiles, growth_table
from metrodiplomacy.analysis.tables import Table
from tests.seedfigures import figure_rows

PLACES = ("Buenos Aires", "Guangzhou", "Los Angeles", "Paris")
# The thesis' combined reliance figure (seed 000, Figure 11), read from the seed as chart input.
FIGURE_11 = {row[0]: "".join(row[1:]) for row in figure_rows(11)[1:]}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def reliance_table(extra=()) -> Table:
    rows = [(place, area, levels[i]) for i, place in enumerate(PLACES) for area, levels in FIGURE_11.items()]
    return Table.build("Policy areas and metrodiplomacy by city", ("place", "policy area", "level"), [*rows, *extra])


def thesis_growth() -> Table:
    figures = {
        "Buenos Aires": ("13.1", "15.2", "191.7", "384.3"),
        "Paris": ("11.8", "12.9", "764.2", "971.4"),
    }
    statistics = []
    for place, (pop_from, pop_to, gdp_from, gdp_to) in figures.items():
        for metric, scale, unit, values in (
            ("population", "million", "persons", (pop_from, pop_to)),
            ("gdp", "billion", "USD", (gdp_from, gdp_to)),
        ):
            for year, value in zip((2010, 2025), values, strict=True):
                statistics.append(StatisticValue(place, "", metric, year, Decimal(value), scale, unit))
    return growth_table(compute_profiles(statistics))


def svg_texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", png[8:16])
    assert kind == b"IHDR" and length == 13
    return struct.unpack(">II", png[16:24])


def test_the_heatmap_prints_every_level_symbol_and_every_area_name_in_full():
    svg = render(reliance_heatmap(reliance_table([("Seoul", "Security Policy", "")])), "svg").decode()
    texts = svg_texts(svg)
    for symbol in ("+", "0", "\u2212", "?"):
        assert symbol in texts, symbol
    assert (texts.count("+"), texts.count("0"), texts.count("\u2212"), texts.count("?")) == (17, 6, 4, 1)
    for area in FIGURE_11:
        assert area in texts, area
    for place in (*PLACES, "Seoul"):
        assert place in texts, place
    for name in ("+  relies", "0  neutral", "\u2212  no reliance", "?  not clear", "not coded"):
        assert name in texts, name
    assert "Reliance on metrodiplomacy" in texts and "Policy areas and metrodiplomacy by city" in texts
    assert "…" not in svg
    # Each cell names its place, area and level for screen readers, with the symbol as coded.
    assert 'aria-label="Paris, Sports Policy: ? (not clear)"' in svg
    assert 'aria-label="Guangzhou, Security Policy: - (no reliance)"' in svg
    # Pairs the table leaves out are drawn as not coded rather than as holes in the grid.
    assert 'aria-label="Seoul, Sports Policy: blank (not coded)"' in svg


def test_a_long_place_name_is_wrapped_one_word_a_line_not_cut():
    rows = [("Barcelona Metropolitan Area", "Security Policy", "+"), ("Seoul", "Security Policy", "0")]
    chart = reliance_heatmap(Table.build("t", ("place", "policy area", "level"), rows))
    svg = render(chart, "svg").decode()
    assert re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg) == ["Barcelona", "Metropolitan", "Area"]
    assert "Seoul" in svg_texts(svg) and "…" not in svg
    # The labels sit above the grid: padding leaves room for the three lines.
    assert chart.to_dict()["layer"][0]["encoding"]["x"]["axis"]["labelPadding"] >= 3 * 15


def test_every_text_of_every_chart_is_at_least_eleven_pixels():
    charts = [reliance_heatmap(reliance_table()), growth_bars(thesis_growth())]
    for chart in charts:
        sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)px"', render(chart, "svg").decode())]
        assert sizes and min(sizes) >= 11


def test_the_heatmap_png_is_a_valid_image_drawn_at_twice_the_svg_size():
    chart = reliance_heatmap(reliance_table())
    png = render(chart, "png")
    width, height = png_size(png)
    svg_width = int(re.search(r'<svg[^>]* width="(\d+)"', render(chart, "svg").decode()).group(1))
    assert width == 2 * svg_width
    assert 1000 < width < 4000 and 600 < height < 3000
    assert len(png) > 20_000  # text and colour, not a blank canvas


def test_the_heatmap_rejects_an_unknown_level():
    table = Table.build("t", ("place", "policy area", "level"), [("Paris", "Security Policy", "++")])
    with pytest.raises(ValueError, match="Unknown reliance level"):
        reliance_heatmap(table)


def test_the_growth_bars_have_one_panel_per_metric_and_label_the_growth_percent():
    table = thesis_growth()
    chart = growth_bars(table)
    spec = chart.to_dict()
    assert [panel["title"]["text"] for panel in spec["hconcat"]] == [
        "Population (million persons)",
        "GDP (billion USD)",
    ]
    assert spec["resolve"]["scale"]["y"] == "independent"
    texts = svg_texts(render(chart, "svg").decode())
    for label in ("+16 %", "+100 %", "+9 %", "+27 %", "191.7", "971.4", "2010", "2025"):
        assert label in texts, label
    assert png_size(render(chart, "png"))[0] > 1000


def test_the_capacity_bars_never_put_two_currencies_on_one_axis():
    table = Table.build(
        "International capacity",
        ("place", "measure", "value", "unit"),
        [
            ("Barcelona", "international budget", Decimal("13.8"), "million EUR"),
            ("Medellín", "international budget", Decimal("4200000"), "USD"),
            ("Seoul", "international staff", 110, "persons"),
            ("Durban", "international staff", None, "persons"),
        ],
    )
    chart = capacity_bars(table)
    spec = chart.to_dict()
    titles = [panel["title"]["text"] for panel in spec["vconcat"]]
    assert titles == [
        "International budget (million EUR)",
        "International budget (USD)",
        "International staff (persons)",
    ]
    assert spec["resolve"]["scale"]["x"] == "independent"
    texts = svg_texts(render(chart, "svg").decode())
    for label in ("13.8", "4,200,000", "110", "Medellín"):
        assert label in texts, label
    assert "Durban" not in texts


def test_the_chart_carries_its_table_as_text_alternative():
    table = reliance_table()
    chart = reliance_heatmap(table)
    assert chart_table(chart) == table
    assert chart.to_dict()["description"].startswith("Policy areas and metrodiplomacy by city. Chart of a table")
    growth = thesis_growth()
    assert chart_table(growth_bars(growth)).records() == [
        {column: (float(value) if isinstance(value, Decimal) else value) for column, value in row.items()}
        for row in growth.records()
    ]


def test_rendering_fetches_nothing_from_the_network():
    import altair as alt

    remote = alt.Chart(alt.UrlData("https://example.org/data.csv")).mark_point().encode(x="a:Q")
    with pytest.raises(ValueError, match="not allowed"):
        render(remote, "svg")
    with pytest.raises(ValueError, match="svg or png"):
        render(remote, "pdf")


def test_a_chart_without_values_says_so():
    empty = Table.build("t", ("place", "metric", "unit", "year from", "value from", "year to", "value to"), [])
    with pytest.raises(ValueError, match="Nothing to draw"):
        growth_bars(empty)
    with pytest.raises(ValueError, match="needs the column"):
        capacity_bars(empty)


def test_the_analysis_modules_load_without_django():
    code = (
        "import sys, metrodiplomacy.analysis.profiles, metrodiplomacy.analysis.charts;sys.exit('django' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
