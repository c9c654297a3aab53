"""Recommendations for a metropolis, generated from its comparative framework.

Each check gives a finding with a code, a status ("recommendation", "cannot be assessed" or
"no issue"), a reason computed from the records, the records behind it, and, for a recommendation,
what to do. The checks follow the study's conclusions (seed 003, lines 1157-1169 and 643-647); the
thresholds are `Thresholds` fields, documented in docs/methodology.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from metrodiplomacy.analysis.capacity import format_decimal
from metrodiplomacy.analysis.comparative import LABELS, PlaceFramework, externality_indicators
from metrodiplomacy.analysis.comparative_records import (
    Ref,
    coding_ref,
    indicator_ref,
    mechanism_ref,
    membership_ref,
    names,
    organisation_ref,
    refs_text,
    report_ref,
)
from metrodiplomacy.analysis.tables import Table

RECOMMENDATION = "recommendation"
NOT_ASSESSABLE = "cannot be assessed"
NO_ISSUE = "no issue"
STATUS_ORDER = {RECOMMENDATION: 0, NOT_ASSESSABLE: 1, NO_ISSUE: 2}

# The externalities the study names (seed 003, lines 920 and 1165; seminar conclusions, line 643), each
# with words that identify an indicator of it by name.
EXTERNALITY_TYPES: dict[str, tuple[str, ...]] = {
    "gentrification and housing": ("gentrif", "housing", "rent"),
    "pollution": ("pollution", "air quality", "contamination", "emission"),
    "traffic": ("traffic", "congestion"),
    "mass tourism": ("mass tourism", "overtourism", "tourist pressure"),
    "job precarity": ("precari", "job market", "labour market", "labor market"),
}


@dataclass(frozen=True)
class Thresholds:
    """The named parameters of the checks, with their defaults."""

    # "Many networks": more distinct networks than the largest prioritised set in the study's table (8).
    many_networks: int = 10
    # "Few prioritised": fewer than this share of those networks prioritised.
    prioritised_share: Decimal = Decimal("0.5")
    # The development-aid commitment local governments in the study budget against (percent of budget).
    cooperation_target: Decimal = Decimal("0.7")
    # "Fragmented": at least this many governments of the territory act abroad on their own.
    fragmented_governments: int = 2


@dataclass(frozen=True)
class Finding:
    code: str
    status: str
    reason: str
    records: tuple[Ref, ...] = ()
    advice: str = ""


def check_integral_plan(f: PlaceFramework) -> Finding:
    plan = f.planning
    refs = (*f.planning.derived.records, *(coding_ref(c) for c in plan.codings))
    if plan.used is None:
        return Finding("no_integral_plan", NOT_ASSESSABLE, f"{plan.derived.reason} No coding either.", refs)
    label = LABELS[plan.scheme][plan.used]
    if plan.used == 1:
        return Finding("no_integral_plan", NO_ISSUE, f"{f.name} is in planning group 1 ({label}).", refs)
    return Finding(
        "no_integral_plan",
        RECOMMENDATION,
        f"{f.name} has no integral plan for its international action: planning group {plan.used} ({label}, "
        f"{plan.source}). {plan.derived.reason}",
        refs,
        f"Draw up one plan covering all of {f.name}'s action abroad, with the sectoral plans inside it.",
    )


def _count(items: Sequence, singular: str, plural: str) -> str:
    return f"{len(items)} {singular if len(items) == 1 else plural}"


def check_fragmented_coordination(f: PlaceFramework, thresholds: Thresholds) -> Finding:
    code = "fragmented_without_overall_coordination"
    acting = [f.records.organisation(key) for key in f.acting]
    acting_refs = tuple(organisation_ref(o) for o in acting if o is not None)
    scenario = f.governance.used
    fragmented = scenario == 3 or len(acting) >= thresholds.fragmented_governments
    why = []
    if scenario == 3:
        why.append(f"governance scenario 3 ({f.governance.source})")
    if len(acting) >= thresholds.fragmented_governments:
        why.append(f"{len(acting)} governments act abroad on their own ({names([o.name for o in acting if o])})")
    coordination = f.coordination
    if not fragmented:
        who = names([o.name for o in acting if o]) or "no government"
        return Finding(
            code, NO_ISSUE, f"International action in {f.name} is not fragmented: {who} acts abroad.", acting_refs
        )
    if coordination.whole_territory:
        chosen = coordination.whole_territory
        return Finding(
            code,
            NO_ISSUE,
            f"{f.name} is fragmented ({'; '.join(why)}) but {names([m.name for m in chosen])} coordinates its "
            "whole external action for the whole territory.",
            (*acting_refs, *(mechanism_ref(m) for m in chosen)),
        )
    parts = []
    if coordination.overall_for_a_part:
        parts.append(
            f"{_count(coordination.overall_for_a_part, 'covers', 'cover')} the whole external action of one government "
            "only ("
            + "; ".join(
                f"{m.name}, convened by {f.records.name_of(m.convenor) if m.convenor else 'an unnamed convenor'}"
                for m in coordination.overall_for_a_part
            )
            + ")"
        )
    if coordination.sectoral:
        parts.append(
            f"{_count(coordination.sectoral, 'is', 'are')} sectoral ({names([m.name for m in coordination.sectoral])})"
        )
    if coordination.scope_unknown:
        parts.append(
            f"{_count(coordination.scope_unknown, 'has', 'have')} no recorded scope "
            f"({names([m.name for m in coordination.scope_unknown])})"
        )
    mechanisms = coordination.mechanisms
    found = (
        f"none of the {len(mechanisms)} coordination mechanisms recorded there covers the whole external action "
        f"for the whole metropolis: {'; '.join(parts)}"
        if mechanisms
        else "no coordination mechanism is recorded there"
    )
    return Finding(
        code,
        RECOMMENDATION,
        f"{f.name} is fragmented ({'; '.join(why)}), and {found}.",
        (*acting_refs, *(mechanism_ref(m) for m in mechanisms)),
        f"Set up one mechanism convened for the whole of {f.name} that brings together "
        f"{names([o.name for o in acting if o])} and the territory's other stakeholders, to coordinate and "
        "follow up all of its external action.",
    )


def check_externality_indicators(f: PlaceFramework) -> Finding:
    code = "no_externality_indicator"
    measured, named = externality_indicators(f.records)
    used = f.externalities
    refs = (
        *(indicator_ref(f.records, i) for i in (*measured, *named)),
        *(coding_ref(c) for c in used.codings),
    )
    kinds_named = {
        kind for kind, words in EXTERNALITY_TYPES.items() for i in named if any(w in i.name.lower() for w in words)
    }
    kinds_measured = {
        kind for kind, words in EXTERNALITY_TYPES.items() for i in measured if any(w in i.name.lower() for w in words)
    }
    if used.used == 1:
        return Finding(
            code,
            NO_ISSUE,
            f"{f.name} measures negative externalities ({used.source}): {used.derived.reason}",
            refs,
        )
    unmeasured = [kind for kind in EXTERNALITY_TYPES if kind not in kinds_measured]
    named_part = (
        f"{len(named)} externality indicators are named but have no observed value ({names([i.name for i in named])})"
        if named
        else "no externality indicator is recorded"
    )
    never = [kind for kind in unmeasured if kind not in kinds_named]
    coded = (
        f"; coded {used.coded} ({LABELS[used.scheme][used.coded]}) by {names([c.coder for c in used.codings])}"
        if used.coded is not None
        else ""
    )
    return Finding(
        code,
        RECOMMENDATION,
        f"No negative externality of {f.name}'s international action is measured: {named_part}{coded}. "
        f"Not measured: {names(unmeasured)}" + (f"; not even named: {names(never)}." if never else "."),
        refs,
        f"Define and observe indicators of {names(unmeasured)} linked to {f.name}'s international action, "
        "and tie the strategy to measures that mitigate them.",
    )


def check_cooperation_share(f: PlaceFramework, thresholds: Thresholds) -> list[Finding]:
    code = "cooperation_below_target"
    target = format_decimal(thresholds.cooperation_target)
    findings = []
    silent = []
    for share in f.shares:
        if share.share is None:
            if share.records:
                findings.append(
                    Finding(
                        code,
                        NOT_ASSESSABLE,
                        f"{share.organisation_name}: the {target} % reference cannot be checked; "
                        f"missing {' and '.join(share.missing)}.",
                        share.records,
                    )
                )
            else:
                silent.append(share)
            continue
        stated = f"{format_decimal(share.share)} % of its budget goes to cooperation ({share.basis})"
        remark = f"; {share.remark}" if share.remark else ""
        if share.share < thresholds.cooperation_target:
            findings.append(
                Finding(
                    code,
                    RECOMMENDATION,
                    f"{share.organisation_name}: {stated}, below the {target} % reference{remark}.",
                    share.records,
                    f"Raise {share.organisation_name}'s cooperation budget to at least {target} % of its budget.",
                )
            )
        else:
            findings.append(
                Finding(
                    code,
                    NO_ISSUE,
                    f"{share.organisation_name}: {stated}, at or above {target} %{remark}.",
                    share.records,
                )
            )
    if silent:
        findings.append(
            Finding(
                code,
                NOT_ASSESSABLE,
                "Neither a cooperation budget nor a total budget is recorded for "
                f"{names([s.organisation_name for s in silent])}, "
                f"so the {target} % reference cannot be checked.",
                tuple(Ref("organisations", s.organisation, s.organisation_name) for s in silent),
            )
        )
    return findings


def check_network_priorities(f: PlaceFramework, thresholds: Thresholds) -> Finding:
    code = "many_networks_few_prioritised"
    networks = f.networks
    total, prioritised = len(networks.networks), len(networks.prioritised)
    refs = tuple(membership_ref(f.records, m) for m in networks.seats)
    share = Decimal(prioritised) / total if total else Decimal(0)
    unknown = f" ({len(networks.unknown_priority)} of unknown priority)" if networks.unknown_priority else ""
    counted = f"{f.name}'s organisations sit in {total} networks, {prioritised} of them prioritised{unknown}"
    if total >= thresholds.many_networks and share < thresholds.prioritised_share:
        return Finding(
            code,
            RECOMMENDATION,
            f"{counted}: {thresholds.many_networks} or more networks with under "
            f"{format_decimal(thresholds.prioritised_share * 100)} % prioritised.",
            refs,
            f"Choose the networks that serve {f.name}'s strategy and concentrate seats and roles in them.",
        )
    return Finding(code, NO_ISSUE, f"{counted}.", refs)


def check_accountability(f: PlaceFramework) -> Finding:
    code = "no_accountability_report"
    complete, partial = f.reports
    refs = tuple(report_ref(f.records, r) for r in (*complete, *partial))
    if complete:
        return Finding(
            code,
            NO_ISSUE,
            f"{names([r.title for r in complete])} reports the results of a whole organisation's international action.",
            refs,
        )
    partial_part = (
        "; only "
        + "; ".join(f"{r.title} ({_report_gap(r)})" for r in partial)
        + (" is" if len(partial) == 1 else " are")
        + " recorded"
        if partial
        else "; none is recorded"
    )
    return Finding(
        code,
        RECOMMENDATION,
        f"No public report accounts for the results of {f.name}'s whole international action{partial_part}.",
        refs,
        f"Publish a yearly report of what {f.name} does abroad, with its results and externalities.",
    )


def _report_gap(report) -> str:
    gaps = []
    if report.coverage == "sector":
        gaps.append(f"one sector: {(report.sector or 'not stated').replace('_', ' ')}")
    if not report.reports_results:
        gaps.append("no results")
    return ", ".join(gaps) or "partial"


def diagnose(framework: PlaceFramework, thresholds: Thresholds = Thresholds()) -> list[Finding]:
    """Every check on one place, recommendations first."""
    findings = [
        check_integral_plan(framework),
        check_fragmented_coordination(framework, thresholds),
        check_externality_indicators(framework),
        *check_cooperation_share(framework, thresholds),
        check_network_priorities(framework, thresholds),
        check_accountability(framework),
    ]
    return sorted(findings, key=lambda finding: STATUS_ORDER[finding.status])


def diagnostics_table(
    framework: PlaceFramework, findings: Sequence[Finding], thresholds: Thresholds = Thresholds()
) -> Table:
    """The findings as a table; the thresholds used are stated in the notes."""
    rows = [(f.code, f.status, f.reason, f.advice, refs_text(f.records)) for f in findings]
    counts = {status: sum(1 for f in findings if f.status == status) for status in STATUS_ORDER}
    notes = [
        f"{counts[RECOMMENDATION]} recommendation(s), {counts[NOT_ASSESSABLE]} check(s) that cannot be assessed, "
        f"{counts[NO_ISSUE]} without issue.",
        f"Thresholds: many networks = {thresholds.many_networks} or more; few prioritised = under "
        f"{format_decimal(thresholds.prioritised_share * 100)} %; cooperation reference = "
        f"{format_decimal(thresholds.cooperation_target)} % of the budget; fragmented = "
        f"{thresholds.fragmented_governments} or more governments acting abroad, or governance scenario 3.",
    ]
    return Table.build(f"Diagnostics: {framework.name}", ("code", "status", "reason", "advice", "records"), rows, notes)
