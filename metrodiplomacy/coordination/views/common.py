"""What every coordination page shares: members of the workspace only, the findings translated, tables as data."""

from __future__ import annotations

import functools
from datetime import date

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from metrodiplomacy.analysis import coordination as rules
from metrodiplomacy.analysis.tables import Table
from metrodiplomacy.observatory.inputs.coordination import coordination_inputs
from metrodiplomacy.observatory.views.common import data_response, inline_svg
from metrodiplomacy.workspaces.views.common import members_only

from ..queries import get_workspace_for_user

__all__ = ["data_response", "members_only"]

MAX_WINDOW_DAYS = 366


def workspace_or_404(request, workspace_key: str):
    return get_workspace_for_user(request.user, workspace_key)


def window_of(request) -> int:
    """The overlap window in days from `?window=`, within 0–366; the default when absent or not a number."""
    try:
        window = int(request.GET.get("window", rules.DEFAULT_WINDOW_DAYS))
    except ValueError:
        return rules.DEFAULT_WINDOW_DAYS
    return min(max(window, 0), MAX_WINDOW_DAYS)


def inputs_for(request, workspace) -> rules.CoordinationInputs:
    return coordination_inputs(request.user, workspace)


def translated_reason(finding: rules.Finding) -> str:
    """The finding's sentence in the reader's language (the template is in the catalogues, the values are data)."""
    return _(finding.template) % finding.params


def shown_findings(findings: list[rules.Finding]) -> list[dict]:
    return [
        {
            "finding": finding,
            "rule": _(rules.RULES[finding.rule]),
            "reason": translated_reason(finding),
            "refs": "&".join(f"ref={ref.kind}:{ref.key}" for ref in finding.records),
        }
        for finding in findings
    ]


@functools.lru_cache(maxsize=64)
def bars_svg(table: Table, label: str, value: str, colour_by: str = "") -> SafeString:
    """A bar chart of the table, drawn once per distinct table (Vega takes a few hundred milliseconds)."""
    return inline_svg(rules.count_bars(table, label, value, colour_by))


def parse_month(text: str, today: date) -> tuple[int, int]:
    """`YYYY-MM` from the address, else the current month."""
    try:
        year, month = (int(part) for part in text.split("-", 1))
        if 1000 <= year <= 2200 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month
