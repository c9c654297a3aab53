"""The annual report as HTML (a standalone document, or the body of a web page) and as PDF with WeasyPrint.

Nothing is fetched while rendering: charts are drawn locally by vl-convert and embedded as data URIs, the
stylesheet is read from the package, fonts come from the system (DejaVu), and the URL fetcher refuses any
address that is not a data URI.
"""

from __future__ import annotations

import base64
import functools
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from metrodiplomacy.analysis import charts, results
from metrodiplomacy.analysis.tables import Table

from .gather import ILLUSTRATIVE, AnnualReport

STYLESHEET = Path(__file__).resolve().parent.parent / "strategy" / "static" / "strategy" / "report.css"
# A report with more indicators shows the charts of the first ones and every indicator in the tables.
MAX_INDICATOR_CHARTS = 16


class RefusedFetch(ValueError):
    pass


def local_only_fetcher():
    """A WeasyPrint URL fetcher that serves data URIs and refuses everything else (recorded in `.refused`)."""
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("data",), timeout=1)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                self.refused.append(url)
                raise RefusedFetch(f"The report fetches nothing: {url} refused.")
            return super().fetch(url, headers)

    return LocalOnlyFetcher()


@functools.lru_cache(maxsize=128)
def _chart_uri(kind: str, table: Table) -> str:
    draw = {"trend": charts.indicator_trend, "progress": charts.progress_bars}[kind]
    svg = charts.render(draw(table), "svg")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def figures(report: AnnualReport) -> dict[str, Any]:
    """The report's charts with their tables, drawn from the computed tables."""
    progress = None
    if any(value is not None for value in report.progress.column("% of the way")):
        progress = {"uri": _chart_uri("progress", report.progress), "table": report.progress}
    trends = []
    for indicator in report.indicators:
        series = results.series_table(indicator, until=report.year)
        if not series.rows or len(trends) >= MAX_INDICATOR_CHARTS:
            continue
        trends.append(
            {
                "uri": _chart_uri("trend", series),
                "table": series,
                "name": indicator.name,
                "kind": indicator.kind,
                "illustrative": indicator.flag.lower().startswith(ILLUSTRATIVE),
            }
        )
    return {"progress": progress, "trends": trends}


def context(report: AnnualReport) -> dict[str, Any]:
    drawn = figures(report)
    flagged = {i.name for i in report.indicators if i.flag.lower().startswith(ILLUSTRATIVE)}
    summary = {
        "agreements": len(report.agreements),
        "new_agreements": sum(1 for a in report.agreements if a["is_new"]),
        "networks": len(report.memberships),
        "leading_roles": sum(1 for m in report.memberships if m["roles"] and m["roles"] != "member"),
        "engagements": len(report.engagements),
        "projects": len(report.projects),
        "indicators": len(report.indicators),
        "measured": sum(1 for row in report.progress.records() if row["observed"] is not None),
        "met": sum(1 for row in report.progress.records() if row["status"] == results.MET),
        "externalities": len(report.externalities),
        "measured_externalities": sum(1 for e in report.externalities if e["is_measured"]),
        "measures": sum(len(e["measures"]) for e in report.externalities),
    }
    return {
        "report": report,
        "summary": summary,
        # Template names cannot hold spaces or "%": the table's columns under identifier names.
        "progress_rows": [
            {
                **{name.replace(" ", "_").replace("%_of_the_way", "progress"): value for name, value in row.items()},
                "illustrative": row["indicator"] in flagged,
            }
            for row in report.progress.records()
        ],
        "figures": drawn,
    }


def render_html(report: AnnualReport, standalone: bool = True) -> str:
    """The report as HTML: a whole document with its stylesheet inside, or the body for a web page."""
    values = context(report)
    if standalone:
        values["stylesheet"] = STYLESHEET.read_text(encoding="utf-8")
        return render_to_string("reports/annual_document.html", values)
    return render_to_string("reports/_annual_body.html", values)


def render_pdf(report: AnnualReport, fetcher: Any = None) -> bytes:
    """The report as a PDF: A4 pages, numbered, with the contents' page numbers filled in."""
    from weasyprint import HTML

    fetcher = fetcher or local_only_fetcher()
    html = render_html(report, standalone=True)
    return HTML(string=html, base_url="data:,", url_fetcher=fetcher).write_pdf()
