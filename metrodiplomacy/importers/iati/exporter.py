"""An organisation's public cooperation projects as an IATI 2.03 activity file.

Rules where the platform records less than IATI asks (docs/iati.md says the same):
- reporting-org: the organisation, with its registered IATI identifier, else `METRODIP-<key>`;
- iati-identifier: the project's own, else the reporting identifier, a hyphen and the project key;
- activity-status: the recorded one, else closed when the end lies in the past, else implementation;
- activity-date: the recorded dates, else 1 January of the start year (and 31 December of the end year),
  said so in a narrative; a project with neither dates nor years is left out and named;
- a result without indicators gets one qualitative indicator restating its title (IATI needs one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from lxml import etree

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.cooperation.codelists import sector_name
from metrodiplomacy.cooperation.models import CooperationProject, OrganisationIdentifier, ProjectResult
from metrodiplomacy.records import SCALE_FACTOR

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
# The platform's organisation kinds -> IATI OrganisationType.
ORGANISATION_TYPES = {
    "metropolitan_government": "11",
    "city_government": "11",
    "regional_government": "11",
    "national_government": "10",
    "agency": "15",
    "public_company": "15",
    "business_association": "70",
    "university": "80",
    "research_centre": "80",
    "ngo": "22",
    "city_network": "21",
    "international_organisation": "40",
    "diplomatic_mission": "10",
    "other": "90",
}


@dataclass
class IatiExport:
    xml: bytes
    exported: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def organisation_ref(organisation: Organisation) -> str:
    try:
        return organisation.iati_identifier.ref
    except OrganisationIdentifier.DoesNotExist:
        return f"METRODIP-{organisation.key}"


def export_iati(organisation: Organisation, projects: Iterable[CooperationProject], now: datetime) -> IatiExport:
    """The activity file; projects IATI cannot describe (no date at all) are left out and named."""
    root = etree.Element("iati-activities", version=VERSION)
    root.set("generated-datetime", now.replace(microsecond=0).isoformat())
    result = IatiExport(b"")
    reporting_ref = organisation_ref(organisation)
    if reporting_ref.startswith("METRODIP-"):
        result.notes.append(
            f"{organisation.key} has no IATI organisation identifier: the file uses {reporting_ref}; "
            f"record it with `metrodip cooperation identifier {organisation.key} REF`."
        )
    for project in projects:
        dates = activity_dates(project)
        if not dates:
            result.skipped.append((project.key, "no start or end date nor year is recorded; IATI needs one"))
            continue
        root.append(activity(project, organisation, reporting_ref, dates, now.date()))
        result.exported.append(project.key)
    result.xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return result


def _text(parent: etree._Element, tag: str, text: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, **attributes)
    etree.SubElement(element, "narrative").text = text
    return element


def _organisation(parent: etree._Element, tag: str, organisation: Organisation, **attributes: str) -> None:
    ref = organisation_ref(organisation)
    if tag == "reporting-org" or not ref.startswith("METRODIP-"):
        attributes["ref"] = ref
    attributes["type"] = ORGANISATION_TYPES.get(organisation.kind, "90")
    _text(parent, tag, organisation.name, **attributes)


def activity_dates(project: CooperationProject) -> list[tuple[str, date, str]]:
    recorded = [
        (code, day, "")
        for code, day in (
            ("1", project.planned_start),
            ("2", project.actual_start),
            ("3", project.planned_end),
            ("4", project.actual_end),
        )
        if day is not None
    ]
    if recorded:
        return recorded
    derived = []
    if project.year_start:
        derived.append(("1", date(project.year_start, 1, 1), "Only the start year is recorded."))
    if project.year_end:
        derived.append(("3", date(project.year_end, 12, 31), "Only the end year is recorded."))
    return derived


def activity_status(project: CooperationProject, dates: list[tuple[str, date, str]], today: date) -> str:
    if project.activity_status:
        return project.activity_status
    ends = [day for code, day, _note in dates if code in {"3", "4"}]
    return "4" if ends and max(ends) < today else "2"


def activity(
    project: CooperationProject,
    organisation: Organisation,
    reporting_ref: str,
    dates: list[tuple[str, date, str]],
    today: date,
) -> etree._Element:
    element = etree.Element("iati-activity")
    element.set(XML_LANG, "en")
    element.set("last-updated-datetime", project.updated_at.replace(microsecond=0).isoformat())
    if project.budget_currency:
        element.set("default-currency", project.budget_currency)
    etree.SubElement(element, "iati-identifier").text = project.iati_identifier or f"{reporting_ref}-{project.key}"
    _organisation(element, "reporting-org", organisation)
    _text(element, "title", project.title)
    _text(element, "description", project.description or project.title, type="1")
    roles = [("1", org) for org in project.funders.all()]
    roles += [(p.role, p.organisation) for p in project.participants.all()]
    roles += [("4", org) for org in project.implementers.all()]
    if all(org.pk != organisation.pk for _role, org in roles):
        roles.insert(0, ("2", organisation))  # the reporting organisation answers for the activity
    for role, org in roles:
        _organisation(element, "participating-org", org, role=role)
    etree.SubElement(element, "activity-status", code=activity_status(project, dates, today))
    for code, day, note in dates:
        when = etree.SubElement(element, "activity-date", type=code, **{"iso-date": day.isoformat()})
        if note:
            etree.SubElement(when, "narrative").text = note
    places = list(project.partner_places.all())
    countries = {p.iso2 for p in places if p.iso2} | {p.country.iso2 for p in places if p.country_id and p.country.iso2}
    for code in sorted(countries):
        etree.SubElement(element, "recipient-country", code=code)
    for place in places:
        if place.kind != "country" and place.latitude is not None:
            _location(element, place)
    for sector in project.sectors.all():
        attributes = {"vocabulary": sector.vocabulary, "code": sector.code}
        if sector.percentage is not None:
            attributes["percentage"] = format(sector.percentage.normalize(), "f")
        node = etree.SubElement(element, "sector", **attributes)
        if name := sector_name(sector.vocabulary, sector.code):
            etree.SubElement(node, "narrative").text = name
    for goal in project.goals.all():
        etree.SubElement(element, "tag", vocabulary="3" if goal.target else "2", code=goal.target or str(goal.goal))
    _budgets(element, project)
    for result in project.results.all():
        _result(element, result)
    return element


def _location(parent: etree._Element, place) -> None:
    location = etree.SubElement(parent, "location")
    if place.geonames_id:
        etree.SubElement(location, "location-id", vocabulary="G1", code=str(place.geonames_id))
    _text(location, "name", place.name)
    point = etree.SubElement(location, "point", srsName=WGS84)
    etree.SubElement(point, "pos").text = f"{place.latitude} {place.longitude}"


def _budgets(parent: etree._Element, project: CooperationProject) -> None:
    lines = [(b.kind, b.status, b.period_start, b.period_end, b.amount, b.currency) for b in project.budgets.all()]
    if not lines and project.budget is not None and project.year_start:
        # One budget for the whole recorded span: IATI prefers yearly periods, the record has only a total.
        amount = project.budget * SCALE_FACTOR.get(project.budget_scale, 1)
        end = date(project.year_end or project.year_start, 12, 31)
        lines = [("1", "1", date(project.year_start, 1, 1), end, amount, project.budget_currency)]
    for kind, status, start, end, amount, currency in lines:
        budget = etree.SubElement(parent, "budget", type=kind, status=status)
        etree.SubElement(budget, "period-start", **{"iso-date": start.isoformat()})
        etree.SubElement(budget, "period-end", **{"iso-date": end.isoformat()})
        attributes = {"value-date": start.isoformat()}
        if currency:
            attributes["currency"] = currency
        etree.SubElement(budget, "value", **attributes).text = format(amount.normalize(), "f")


def _result(parent: etree._Element, result: ProjectResult) -> None:
    element = etree.SubElement(parent, "result", type=result.kind)
    _text(element, "title", result.title)
    if result.description:
        _text(element, "description", result.description)
    indicators = list(result.iati_indicators or [])
    if not indicators and result.indicator_id:
        linked = result.indicator
        indicators = [{"title": str(linked), "description": "", "measure": "1", "ascending": ""}]
    if not indicators:
        indicators = [{"title": result.title, "description": "", "measure": "5", "ascending": ""}]
    for data in indicators:
        _indicator(element, data)


def _indicator(parent: etree._Element, data: dict) -> None:
    attributes = {"measure": data.get("measure") or "5"}
    if data.get("ascending") in {"true", "false", "1", "0"}:
        attributes["ascending"] = data["ascending"]
    indicator = etree.SubElement(parent, "indicator", **attributes)
    _text(indicator, "title", data.get("title") or "Indicator")
    if data.get("description"):
        _text(indicator, "description", data["description"])
    baseline = data.get("baseline") or {}
    if str(baseline.get("year", "")).isdigit() and int(baseline["year"]) > 0:
        node = etree.SubElement(indicator, "baseline", year=str(baseline["year"]))
        if baseline.get("iso_date"):
            node.set("iso-date", baseline["iso_date"])
        if baseline.get("value"):
            node.set("value", baseline["value"])
        if baseline.get("comment"):
            _text(node, "comment", baseline["comment"])
    for period in data.get("periods") or []:
        node = etree.SubElement(indicator, "period")
        etree.SubElement(node, "period-start", **{"iso-date": period["start"]})
        etree.SubElement(node, "period-end", **{"iso-date": period["end"]})
        for tag in ("target", "actual"):
            point = period.get(tag)
            if point is None:
                continue
            value = etree.SubElement(node, tag, **({"value": point["value"]} if point.get("value") else {}))
            if point.get("comment"):
                _text(value, "comment", point["comment"])
