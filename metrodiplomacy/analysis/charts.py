"""Figures drawn from result tables: Vega-Lite specs built with Altair, rendered offline by vl-convert.

Every chart is built from one `Table` and carries it: `chart_table(chart)` gives the table back, and
that table is the chart's text alternative (print it with `--format table/csv`, show it under the
figure on a page). The spec's `description` summarises it for screen readers, and each mark carries
an ARIA label naming its place, category and value.

Print legibility rules kept here: text at least 11 px, axis labels never truncated, the reliance
symbol printed large in each cell, and colours chosen to differ in lightness (greyscale) and to be
told apart with the common colour-vision deficiencies; the symbol or the number carries the meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import altair as alt
import vl_convert

from metrodiplomacy.analysis.tables import Cell, Table, format_cell

# DejaVu Sans is what Debian machines have; the others cover readers that open the SVG elsewhere.
FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
TEXT_SIZE = 12
PNG_SCALE = 2
LABEL_LIMIT = 1000  # pixels: wide enough that no policy-area name is ever cut
# A generous average glyph width of DejaVu Sans at TEXT_SIZE: bands grow with the longest label.
CHAR_WIDTH = 7.5

# Place names longer than this go one word a line under a column, so columns stay narrow enough to print.
WRAP_AFTER = 14
LINE_HEIGHT = 15
WRAP_LABEL = f"length(datum.label) > {WRAP_AFTER} ? split(datum.label, ' ') : datum.label"

# Level -> (name shown in the legend, fill, symbol colour). Fills go from dark to white, so greyscale
# prints keep them apart, and blue against vermilion stays distinct for red-green colour blindness.
RELIANCE_LEVELS: dict[str, tuple[str, str, str]] = {
    "+": ("relies", "#1f4e79", "#ffffff"),
    "0": ("neutral", "#cfcfcf", "#000000"),
    "-": ("no reliance", "#d55e00", "#000000"),
    "?": ("not clear", "#fff3c4", "#000000"),
    "": ("not coded", "#ffffff", "#000000"),
}
# The hyphen of the data is drawn as a true minus sign: wider, so it reads at a glance.
RELIANCE_SYMBOLS = {"+": "+", "-": "\u2212", "0": "0", "?": "?", "": ""}
# Earlier and later year: a light and a dark shade of one hue, apart in greyscale too.
PERIOD_COLOURS = ("#9ecae1", "#08519c")
BAR_COLOUR = "#2b6a99"
# One panel of a multi-panel figure: altair types a layer's `.properties()` as this union.
Panel = alt.LayerChart | alt.FacetChart


def chart_table(chart: alt.TopLevelMixin) -> Table:
    """The table a chart was drawn from: its text alternative."""
    # altair sets `usermeta` on every top-level chart class, but its TopLevelMixin annotation omits it.
    data = chart.usermeta["table"]  # type: ignore[attr-defined]
    columns = data["columns"]
    return Table.build(data["title"], columns, [[row[c] for c in columns] for row in data["rows"]], data["notes"])


def reliance_heatmap(table: Table) -> alt.TopLevelMixin:
    """Policy areas (rows) by places (columns), each cell showing its reliance symbol on a level colour.

    `table` is long, with columns ("place", "policy area", "level"); row order gives the order of
    places and areas. Levels are "+", "0", "-", "?" or "" (not coded).
    """
    records = _records(table, ("place", "policy area", "level"))
    places = list(dict.fromkeys(str(r["place"]) for r in records))
    areas = list(dict.fromkeys(str(r["policy area"]) for r in records))
    # A place-area pair the table leaves out is drawn as not coded, so the grid has no holes.
    given = {(str(r["place"]), str(r["policy area"])): r["level"] for r in records}
    values = []
    for place, area in ((place, area) for place in places for area in areas):
        record = {"place": place, "policy area": area, "level": given.get((place, area))}
        level = str(record["level"] or "").strip()
        if level not in RELIANCE_LEVELS:
            raise ValueError(f"Unknown reliance level {level!r} for {record['place']}, {record['policy area']}.")
        name = _legend_label(level)
        values.append(
            {
                "place": str(record["place"]),
                "area": str(record["policy area"]),
                "level": name,
                "symbol": RELIANCE_SYMBOLS[level],
                "ink": RELIANCE_LEVELS[level][2],
                "aria": f"{record['place']}, {record['policy area']}: {level or 'blank'} ({RELIANCE_LEVELS[level][0]})",
            }
        )
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X(
            "place:N",
            sort=places,
            title=None,
            axis=alt.Axis(
                orient="top",
                labelAngle=0,
                labelLimit=LABEL_LIMIT,
                labelExpr=WRAP_LABEL,
                # Vega stacks the lines of a wrapped label downwards from its anchor: top-align them
                # high enough above the cells that the longest label ends just above the grid.
                labelBaseline="top",
                labelLineHeight=LINE_HEIGHT,
                labelPadding=_line_count(places) * LINE_HEIGHT + 6,
                ticks=False,
                domain=False,
            ),
        ),
        y=alt.Y("area:N", sort=areas, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT, ticks=False, domain=False)),
        description=alt.Description("aria:N"),
    )
    names = [_legend_label(level) for level in RELIANCE_LEVELS]
    cells = base.mark_rect(stroke="#7f7f7f", strokeWidth=1).encode(
        color=alt.Color(
            "level:N",
            scale=alt.Scale(domain=names, range=[fill for _, fill, _ in RELIANCE_LEVELS.values()]),
            legend=alt.Legend(
                title="Reliance on metrodiplomacy",
                orient="bottom",
                direction="horizontal",
                symbolType="square",
                symbolSize=300,
                symbolStrokeColor="#7f7f7f",
                symbolStrokeWidth=1,
                columns=len(names),
            ),
        )
    )
    symbols = base.mark_text(fontSize=30, fontWeight="bold", baseline="middle").encode(
        text="symbol:N", color=alt.Color("ink:N", scale=None)
    )
    chart = alt.layer(cells, symbols).properties(
        width=alt.Step(_band(places, 120)), height=alt.Step(52), title=table.title, description=_describe(table)
    )
    return _finish(chart, table)


def growth_bars(table: Table) -> alt.TopLevelMixin:
    """Bars of the earlier and later value per place, one panel per metric and unit, labelled with growth %.

    `table` is the long profiles table (`analysis.profiles.growth_table`).
    """
    records = _records(table, ("place", "metric", "unit", "year from", "value from", "year to", "value to"))
    places = list(dict.fromkeys(str(r["place"]) for r in records))
    panels: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in records:
        if record["value from"] is None or record["value to"] is None:
            continue
        panels.setdefault((str(record["metric"]), str(record["unit"])), []).append(record)
    if not panels:
        raise ValueError("Nothing to draw: no place has values for two years.")
    charts = []
    for (metric, unit), rows in panels.items():
        charts.append(_growth_panel(metric, unit, rows, places))
    chart = _concat(charts, side_by_side=len(places) <= 5).properties(title=table.title, description=_describe(table))
    return _finish(chart, table)


def _growth_panel(metric: str, unit: str, rows: list[dict[str, Any]], places: list[str]) -> Panel:
    # The legend names the years when every place shares them, else says which bar is which.
    starts = {row["year from"] for row in rows}
    ends = {row["year to"] for row in rows}
    first = str(starts.pop()) if len(starts) == 1 else "earlier year"
    last = str(ends.pop()) if len(ends) == 1 else "later year"
    bars, labels = [], []
    top = max(max(_number(row["value from"]), _number(row["value to"])) for row in rows)
    for row in rows:
        for period, year, value in (
            (first, row["year from"], row["value from"]),
            (last, row["year to"], row["value to"]),
        ):
            bars.append(
                {
                    "place": row["place"],
                    "period": period,
                    "value": _number(value),
                    "label": _grouped(value),
                    "aria": f"{row['place']}, {_metric_name(metric)} {year}: {format_cell(value)} {unit}",
                }
            )
        percent = row.get("growth %")
        labels.append(
            {
                "place": row["place"],
                "top": max(_number(row["value from"]), _number(row["value to"])),
                "label": "" if percent is None else f"{_signed(percent)} %",
            }
        )
    y_scale = alt.Scale(domain=[0, top * 1.22 if top > 0 else 1], nice=False)
    x = alt.X(
        "place:N", sort=places, title=None, axis=alt.Axis(labelAngle=0, labelLimit=LABEL_LIMIT, labelExpr=WRAP_LABEL)
    )
    base = alt.Chart(alt.Data(values=bars)).encode(
        x=x,
        xOffset=alt.XOffset("period:N", sort=[first, last]),
        y=alt.Y("value:Q", scale=y_scale, title=unit),
    )
    columns = base.mark_bar().encode(
        color=alt.Color(
            "period:N",
            sort=[first, last],
            scale=alt.Scale(domain=[first, last], range=list(PERIOD_COLOURS)),
            legend=alt.Legend(title="year", orient="bottom"),
        ),
        description=alt.Description("aria:N"),
    )
    values = base.mark_text(baseline="bottom", dy=-3, fontSize=11).encode(text="label:N")
    growth = (
        alt.Chart(alt.Data(values=labels))
        .mark_text(baseline="bottom", dy=-20, fontSize=13, fontWeight="bold")
        .encode(x=x, y=alt.Y("top:Q", scale=y_scale), text="label:N")
    )
    return alt.layer(columns, values, growth).properties(
        title=_panel_title(f"{_metric_name(metric)} ({unit})"), width=alt.Step(_band(places, 104) // 2)
    )


def capacity_bars(table: Table) -> alt.TopLevelMixin:
    """Horizontal bars per place, one panel per measure and unit (two currencies never share an axis).

    `table` is long, with columns ("place", "measure", "value", "unit"); rows without a value are skipped.
    """
    records = _records(table, ("place", "measure", "value", "unit"))
    places = list(dict.fromkeys(str(r["place"]) for r in records))
    panels: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in records:
        if record["value"] is None:
            continue
        measure, unit = str(record["measure"]), str(record["unit"] or "")
        panels.setdefault((measure, unit), []).append(
            {
                "place": str(record["place"]),
                "value": _number(record["value"]),
                "label": _grouped(record["value"]),
            }
        )
    if not panels:
        raise ValueError("Nothing to draw: no value in the table.")
    charts = []
    for (measure, unit), values in panels.items():
        top = max(value["value"] for value in values)
        x_scale = alt.Scale(domain=[min(0, *(v["value"] for v in values)), top * 1.3 if top > 0 else 1], nice=False)
        base = alt.Chart(alt.Data(values=values)).encode(
            y=alt.Y("place:N", sort=places, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            x=alt.X("value:Q", scale=x_scale, title=unit or None, axis=alt.Axis(tickCount=5)),
        )
        bars = base.mark_bar(color=BAR_COLOUR)
        labels = base.mark_text(align="left", dx=4, fontSize=TEXT_SIZE).encode(text="label:N")
        title = _panel_title(f"{measure[:1].upper()}{measure[1:]}" + (f" ({unit})" if unit else ""))
        charts.append(alt.layer(bars, labels).properties(title=title, width=360, height=alt.Step(26)))
    chart = _concat(charts, side_by_side=False).properties(title=table.title, description=_describe(table))
    return _finish(chart, table)


def render(chart: alt.TopLevelMixin, fmt: str, scale: float = PNG_SCALE) -> bytes:
    """The chart as SVG or PNG bytes, drawn offline (no data or font is fetched from the network).

    PNG is drawn at `scale` times the SVG size (2: about 150 dpi for a figure a page wide).
    """
    spec = chart.to_dict()
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec, allowed_base_urls=[]).encode()
    if fmt == "png":
        return vl_convert.vegalite_to_png(spec, scale=scale, allowed_base_urls=[])
    raise ValueError(f"Unknown chart format {fmt!r}: use svg or png.")


def _finish(chart: alt.TopLevelMixin, table: Table) -> alt.TopLevelMixin:
    # See chart_table: the attribute exists on every top-level chart, the mixin's annotation lacks it.
    chart.usermeta = {"table": table.to_dict()}  # type: ignore[attr-defined]
    return (
        chart.configure(font=FONT, padding=12)
        .configure_title(fontSize=16, anchor="start", offset=12)
        .configure_axis(labelFontSize=TEXT_SIZE, titleFontSize=TEXT_SIZE + 1, labelLimit=LABEL_LIMIT, labelPadding=6)
        .configure_legend(
            labelFontSize=TEXT_SIZE, titleFontSize=TEXT_SIZE + 1, labelLimit=LABEL_LIMIT, titleLimit=LABEL_LIMIT
        )
        .configure_axisQuantitative(labelOverlap=True, labelSeparation=8)
        .configure_view(stroke=None)
    )


def _concat(charts: Sequence[Panel], side_by_side: bool) -> alt.TopLevelMixin:
    joined = alt.hconcat(*charts, spacing=40) if side_by_side else alt.vconcat(*charts, spacing=30)
    # Separate panels keep separate axes: persons and dollars, or euros and dollars, never share a scale.
    return joined.resolve_scale(x="independent", y="independent")


def _records(table: Table, needed: Sequence[str]) -> list[dict[str, Cell]]:
    missing = [name for name in needed if name not in table.columns]
    if missing:
        raise ValueError(f"{table.title}: the chart needs the column(s) {', '.join(missing)}.")
    return table.records()


def _describe(table: Table) -> str:
    return f"{table.title}. Chart of a table with {len(table.rows)} rows: {', '.join(table.columns)}."


def _wrapped(label: str) -> list[str]:
    """The lines WRAP_LABEL splits a label into."""
    return label.split(" ") if len(label) > WRAP_AFTER else [label]


def _line_count(labels: Sequence[str]) -> int:
    return max((len(_wrapped(label)) for label in labels), default=1)


def _band(labels: Sequence[str], least: int) -> int:
    """Pixels per category so that horizontal labels, wrapped as WRAP_LABEL wraps them, never collide."""
    longest = max((len(line) for label in labels for line in _wrapped(label)), default=0)
    return max(least, int(longest * CHAR_WIDTH) + 16)


def _panel_title(text: str) -> alt.TitleParams:
    return alt.TitleParams(text, fontSize=TEXT_SIZE + 2, anchor="start")


def _legend_label(level: str) -> str:
    name = RELIANCE_LEVELS[level][0]
    return f"{RELIANCE_SYMBOLS[level]}  {name}" if level else name


def _metric_name(metric: str) -> str:
    return "GDP" if metric.lower() == "gdp" else metric.replace("_", " ").capitalize()


def _number(value: Cell) -> float:
    return float(value) if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else 0.0


def _signed(value: Cell) -> str:
    text = format_cell(value)
    return text if text.startswith("-") or _number(value) == 0 else f"+{text}"


def _grouped(value: Cell) -> str:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return f"{Decimal(value).normalize():,f}"
    return format_cell(value)


# Results (analysis/results.py): observed values in the bar blue, targets in vermilion (apart for red-green
# colour blindness and in greyscale), the baseline in grey; a dashed rule and a labelled diamond mark each target.
TARGET_COLOUR = "#d55e00"
BASELINE_COLOUR = "#7f7f7f"
PROGRESS_RANGE = (-100.0, 200.0)
# Indicator names are long: past 40 characters they go on two lines (Vega splits on the marker).
WRAP_LONG = "length(datum.label) > 40 ? split(replace(datum.label, /^(.{20,40}) /, '$1|'), '|') : datum.label"


def _wrap(text: str, width: int) -> list[str] | str:
    """Words of a title on lines of at most `width` characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines if len(lines) > 1 else text


def indicator_trend(table: Table) -> alt.TopLevelMixin:
    """One indicator over the years: observed values as a line, the baseline and each target drawn as marks.

    `table` is `analysis.results.series_table`: columns ("indicator", "year", "role", "value").
    """
    records = _records(table, ("year", "role", "value"))
    values: list[dict[str, Any]] = [
        {
            "year": int(str(r["year"])),
            "role": str(r["role"]),
            "value": _number(r["value"]),
            "label": _grouped(r["value"]),
            "aria": f"{r['role']} {r['year']}: {format_cell(r['value'])}",
        }
        for r in records
        if r["value"] is not None and r["year"] is not None
    ]
    if not values:
        raise ValueError(f"{table.title}: nothing to draw, no dated value.")
    years = sorted({v["year"] for v in values})
    top = max(v["value"] for v in values)
    bottom = min(0.0, *(v["value"] for v in values))
    y_scale = alt.Scale(domain=[bottom, top * 1.25 if top > 0 else 1], nice=False)
    x = alt.X(
        "year:O", sort=years, title=None, scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0, labelLimit=80)
    )
    y = alt.Y("value:Q", scale=y_scale, title=None, axis=alt.Axis(tickCount=4, format="~s"))
    roles = ["observed", "target", "baseline"]
    colours = [BAR_COLOUR, TARGET_COLOUR, BASELINE_COLOUR]
    colour = alt.Color(
        "role:N", scale=alt.Scale(domain=roles, range=colours), legend=alt.Legend(orient="bottom", title=None)
    )
    shape = alt.Shape("role:N", scale=alt.Scale(domain=roles, range=["circle", "diamond", "square"]), legend=None)
    data = alt.Chart(alt.Data(values=values))
    observed = [v for v in values if v["role"] == "observed"]
    layers = []
    if len(observed) > 1:
        layers.append(alt.Chart(alt.Data(values=observed)).mark_line(color=BAR_COLOUR, strokeWidth=2).encode(x=x, y=y))
    targets = [v for v in values if v["role"] == "target"]
    if targets:
        last = targets[-1]
        layers.append(
            alt.Chart(alt.Data(values=[last]))
            .mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4], strokeWidth=1.5)
            .encode(y=alt.Y("value:Q", scale=y_scale))
        )
    layers.append(
        data.mark_point(size=90, filled=True, opacity=1).encode(
            x=x, y=y, color=colour, shape=shape, description=alt.Description("aria:N")
        )
    )
    # The higher of the last observed value and the last target is labelled above, the other below.
    above = not targets or not observed or observed[-1]["value"] >= targets[-1]["value"]
    offsets = (-12, 16) if above else (16, -12)
    for role, points, offset in (("observed", observed[-1:], offsets[0]), ("target", targets[-1:], offsets[1])):
        if points:
            layers.append(
                alt.Chart(alt.Data(values=points))
                .mark_text(dy=offset, fontSize=11, color=colours[roles.index(role)])
                .encode(x=x, y=y, text="label:N")
            )
    # Titles wrap rather than widen the figure: every trend chart of a report is drawn at the same size.
    title = alt.TitleParams(_wrap(table.title, 44), fontSize=TEXT_SIZE + 1, anchor="start")
    chart = alt.layer(*layers).properties(title=title, width=260, height=150, description=_describe(table))
    return _finish(chart, table)


def progress_bars(table: Table) -> alt.TopLevelMixin:
    """Horizontal bars of each indicator's % of the way from baseline to target, with the target at 100 %.

    `table` is `analysis.results.progress_table`; indicators without a computable progress are left out.
    """
    records = _records(table, ("indicator", "kind", "% of the way"))
    values: list[dict[str, Any]] = [
        {
            "indicator": str(r["indicator"]),
            "kind": str(r["kind"]),
            # Drawn within PROGRESS_RANGE so one indicator far off does not flatten the others; the label is exact.
            "progress": min(max(_number(r["% of the way"]), PROGRESS_RANGE[0]), PROGRESS_RANGE[1]),
            "label": f"{format_cell(r['% of the way'])} %",
            # Labels sit right of the target line, or of the bar's end past it: a label placed at the end of a
            # bar that stops short of the target would be crossed by the dashed line.
            "tip": max(100.0, min(_number(r["% of the way"]), PROGRESS_RANGE[1])),
            "aria": f"{r['indicator']}: {format_cell(r['% of the way'])} % of the way to the target",
        }
        for r in records
        if r["% of the way"] is not None
    ]
    if not values:
        raise ValueError(f"{table.title}: no indicator has a baseline, a target and an observed value.")
    names = [v["indicator"] for v in values]
    high = max(120.0, *(v["progress"] for v in values)) * 1.2
    low = min(0.0, *(v["progress"] for v in values)) * 1.2
    x_scale = alt.Scale(domain=[low, high], nice=False)
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y(
            "indicator:N",
            sort=names,
            title=None,
            axis=alt.Axis(labelLimit=330, labelExpr=WRAP_LONG, labelLineHeight=14),
        ),
        x=alt.X("progress:Q", scale=x_scale, title="% of the way from baseline to target", axis=alt.Axis(tickCount=6)),
    )
    bars = base.mark_bar(color=BAR_COLOUR).encode(description=alt.Description("aria:N"))
    labels = base.mark_text(align="left", dx=6, fontSize=TEXT_SIZE).encode(
        text="label:N", x=alt.X("tip:Q", scale=x_scale)
    )
    target = (
        alt.Chart(alt.Data(values=[{"x": 100, "label": "target"}]))
        .mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4], strokeWidth=2)
        .encode(x=alt.X("x:Q", scale=x_scale))
    )
    chart = alt.layer(bars, labels, target).properties(
        title=table.title, width=300, height=alt.Step(36), description=_describe(table)
    )
    return _finish(chart, table)
