"""One-line plain-text descriptions of records, for the terminal and for plain listings."""

from .profiles import format_amount


def describe(obj) -> str:  # noqa: C901 - one branch per record kind keeps each line readable
    name = type(obj).__name__
    if name == "Statistic":
        subject = obj.place or obj.organisation or "World"
        kind = "" if obj.kind == "observed" else f" ({obj.kind})"
        amount = format_amount(obj.value, obj.scale, obj.qualifier)
        year = f" {obj.year}" if obj.year else ""
        return f"{subject} — {obj.metric.replace('_', ' ')}{year}{kind}: {amount} {obj.unit}"
    if name == "CaseStudy":
        return f"case study of {obj.source}"
    if name == "ClassificationCoding":
        return f"{obj.get_scheme_display()} {obj.value} ({obj.coder}): {obj.rationale}"
    if name == "RelianceCoding":
        return f"{obj.policy_area.name}: {obj.level} ({obj.coder}) — {obj.rationale}"
    if name == "Organisation":
        acronym = f" ({obj.acronym})" if obj.acronym else ""
        return f"{obj.name}{acronym}, {obj.get_kind_display()}"
    if name == "Unit":
        parts = [f"{obj.name} — {obj.organisation}", obj.get_specialty_display()]
        if obj.staff is not None:
            parts.append(f"{format_amount(obj.staff, 'units', obj.staff_qualifier)} staff")
        if obj.budget is not None:
            budget = format_amount(obj.budget, obj.budget_scale, obj.budget_qualifier)
            parts.append(f"budget {budget} {obj.budget_currency} {obj.budget_year or ''}".strip())
        if obj.location_id:
            parts.append(f"in {obj.location}")
        return ", ".join(parts)
    if name == "Strategy":
        period = "–".join(str(y) for y in (obj.year_start, obj.year_end) if y)
        return f"{obj.name} ({obj.organisation}; {obj.get_kind_display()}{', ' + period if period else ''})"
    if name == "Agreement":
        parties = " – ".join(sorted(str(p.party) for p in obj.parties.all()))
        return f"{obj.title}: {obj.get_kind_display()}, {obj.year or 'year not stated'} ({parties})"
    if name == "NetworkMembership":
        roles = ", ".join(str(r) for r in obj.roles.all()) or "member"
        prioritised = " [prioritised]" if obj.is_prioritised else ""
        return f"{obj.network} — {obj.member}: {roles}{prioritised}"
    if name == "Hosting":
        return f"{obj.place} hosts {obj.organisation} ({obj.get_kind_display()})"
    if name == "Initiative":
        lead = f" (led by {obj.lead})" if obj.lead_id else ""
        return f"{obj.name}{lead}{', ' + str(obj.year) if obj.year else ''}"
    if name == "Engagement":
        return f"{obj.title} — {obj.get_kind_display()}, {obj.date or obj.year or 'undated'}"
    if name == "CooperationProject":
        return f"{obj.title} ({obj.get_modality_display() or 'modality not stated'})"
    if name == "CoordinationMechanism":
        return f"{obj.name} — {obj.get_kind_display()}, {obj.get_logic_display()}"
    if name == "Indicator":
        values = "; ".join(
            f"{o.year or ''} {format_amount(o.value, o.scale, o.qualifier)} {o.unit}".strip()
            for o in obj.observations.all()
        )
        return f"{obj.name} ({obj.get_kind_display()}){': ' + values if values else ''}"
    if name == "RankingPosition":
        position = f"#{obj.position}" if obj.position else "ranked"
        return f"{obj.ranking} {obj.year or ''}: {position}"
    return str(obj)
