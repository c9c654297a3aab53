"""Read an IATI activity file safely, check it against the 2.03 schema and our rules, and turn it into plain records.

Nothing here writes. The parser never expands entities, never reads a DTD and never reaches the network;
a file that declares a DOCTYPE is refused outright (IATI files have none, and entity tricks need one).
Every problem is collected with its line and element before the file is refused as a whole.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from metrodiplomacy.importers.datapackage.reader import PackageInvalid, Problem

SCHEMA = Path(__file__).resolve().parent / "data" / "iati-activities-schema.xsd"
MAX_BYTES = 20 * 1024 * 1024
MAX_PROBLEMS = 200
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Elements of an activity the platform records; any other is counted and named in the import summary.
MAPPED = {
    "iati-identifier",
    "reporting-org",
    "title",
    "description",
    "participating-org",
    "activity-status",
    "activity-date",
    "recipient-country",
    "recipient-region",
    "location",
    "sector",
    "tag",
    "budget",
    "result",
}
RESULT_KINDS = {"1": "1", "output": "1", "2": "2", "outcome": "2", "3": "3", "impact": "3", "9": "9", "other": "9"}
FIRST_YEAR, LAST_YEAR = 1000, 2200
# Twenty digits with four decimals: the size of the budget columns.
LARGEST_AMOUNT = Decimal("1e16")


class IatiFileInvalid(PackageInvalid):
    """An IATI file with problems: nothing of it was written."""


@dataclass(frozen=True)
class OrganisationRef:
    ref: str
    name: str
    type: str = ""
    role: str = ""
    line: int | None = None


@dataclass(frozen=True)
class LocationRef:
    name: str
    geonames_id: int | None
    line: int | None


@dataclass(frozen=True)
class BudgetLine:
    period_start: date
    period_end: date
    amount: Decimal
    currency: str
    kind: str
    status: str


@dataclass(frozen=True)
class ResultLine:
    kind: str
    title: str
    description: str
    indicators: tuple[dict, ...]


@dataclass
class Activity:
    """One iati-activity as plain values; `fingerprint` names an activity whose identifier is empty."""

    line: int
    identifier: str
    fingerprint: str
    reporting_org: OrganisationRef
    title: str
    description: str
    status: str
    dates: dict[str, date] = field(default_factory=dict)
    participants: list[OrganisationRef] = field(default_factory=list)
    countries: list[tuple[str, int | None]] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    locations: list[LocationRef] = field(default_factory=list)
    sectors: list[tuple[str, str, Decimal | None]] = field(default_factory=list)
    goals: list[tuple[int, str]] = field(default_factory=list)
    budgets: list[BudgetLine] = field(default_factory=list)
    results: list[ResultLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unmapped: Counter = field(default_factory=Counter)

    @property
    def label(self) -> str:
        return self.identifier or f"activity at line {self.line}"

    @property
    def start(self) -> date | None:
        return self.dates.get("2") or self.dates.get("1")

    @property
    def end(self) -> date | None:
        return self.dates.get("4") or self.dates.get("3")


@dataclass
class IatiFile:
    name: str
    version: str
    activities: list[Activity]


@functools.cache
def activity_schema() -> etree.XMLSchema:
    """The IATI 2.03 activity schema, parsed once per process (the files ship with the package)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA), parser))


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False
    )


def parse_document(data: bytes, name: str) -> etree._ElementTree:
    """The parsed document, or IatiFileInvalid naming why it cannot be read safely."""
    if not data.strip():
        raise IatiFileInvalid([Problem(name, None, "", "the file is empty")])
    if len(data) > MAX_BYTES:
        raise IatiFileInvalid([Problem(name, None, "", f"larger than {MAX_BYTES // 2**20} MiB")])
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise IatiFileInvalid([Problem(name, _doctype_line(data), "DOCTYPE", DOCTYPE_REFUSED)])
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as error:
        raise IatiFileInvalid([Problem(name, error.lineno, "", f"not well-formed XML: {error.msg}")]) from error
    tree = root.getroottree()
    # Encodings other than UTF-8 hide the declaration from the byte check above; the parser still saw it.
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise IatiFileInvalid([Problem(name, 1, "DOCTYPE", DOCTYPE_REFUSED)])
    return tree


DOCTYPE_REFUSED = (
    "the file declares a DOCTYPE; IATI files have none, and entity declarations are refused "
    "(they can expand into gigabytes or read other files)"
)


def _doctype_line(data: bytes) -> int:
    position = max(data.upper().find(b"<!DOCTYPE"), 0)
    return data.count(b"\n", 0, position) + 1


def validate_schema(tree: etree._ElementTree, name: str) -> list[Problem]:
    """Every place the document departs from the IATI 2.03 activity schema."""
    root = tree.getroot()
    if root.tag != "iati-activities":
        found = root.tag if isinstance(root.tag, str) else "no element"
        hint = " (an organisation file: import activity files)" if found == "iati-organisations" else ""
        return [Problem(name, root.sourceline, found, f"the root element must be iati-activities{hint}")]
    schema = activity_schema()
    if schema.validate(tree):
        return []
    problems = []
    for error in list(schema.error_log)[:MAX_PROBLEMS]:
        problems.append(Problem(name, error.line, _element_of(error.path), _plain(error.message)))
    return problems


def _element_of(path: str | None) -> str:
    """`/iati-activities/iati-activity[2]/budget[1]/value` -> `iati-activity[2]/budget[1]/value`."""
    if not path:
        return ""
    return path.removeprefix("/iati-activities/").strip("/")


def _plain(message: str) -> str:
    return message.replace("{http://www.w3.org/XML/1998/namespace}", "xml:")


def read_iati(data: bytes, name: str) -> IatiFile:
    """Parse, validate and read every activity; raise IatiFileInvalid with every problem found."""
    tree = parse_document(data, name)
    problems = validate_schema(tree, name)
    if problems:
        raise IatiFileInvalid(problems)
    root = tree.getroot()
    activities = []
    for element in root.findall("iati-activity"):
        activities.append(read_activity(element, root.get("xml:lang") or root.get(XML_LANG) or "", problems, name))
    problems.extend(check_identifiers_once(activities, name))
    if problems:
        raise IatiFileInvalid(problems[:MAX_PROBLEMS])
    return IatiFile(name, root.get("version", ""), activities)


def check_identifiers_once(activities: list[Activity], name: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for activity in activities:
        if not activity.identifier:
            continue
        if activity.identifier in seen:
            first = seen[activity.identifier]
            reason = f"iati-identifier {activity.identifier!r} is also used by the activity at line {first}"
            problems.append(Problem(name, activity.line, "iati-identifier", reason))
        seen.setdefault(activity.identifier, activity.line)
    return problems


# --- one activity -------------------------------------------------------------------------------


def narrative(element: etree._Element | None, lang: str = "") -> str:
    """The element's narrative in the activity's language, else its first one, else its own text."""
    if element is None:
        return ""
    texts = element.findall("narrative")
    if not texts:
        return " ".join((element.text or "").split())
    preferred = [n for n in texts if (n.get(XML_LANG) or lang) == lang] or texts
    return " ".join((preferred[0].text or "").split())


def _date(value: str | None) -> date | None:
    # xsd:date may carry a time zone ("2013-11-27Z"); the day is what the platform records.
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal((text or "").strip())
    except InvalidOperation:
        return None


def organisation_ref(element: etree._Element, lang: str) -> OrganisationRef:
    return OrganisationRef(
        ref=(element.get("ref") or "").strip(),
        name=narrative(element, lang)[:250],
        type=(element.get("type") or "").strip(),
        role=(element.get("role") or "").strip(),
        line=element.sourceline,
    )


def read_activity(element: etree._Element, file_lang: str, problems: list[Problem], name: str) -> Activity:
    lang = element.get(XML_LANG) or file_lang
    identifier = " ".join((element.findtext("iati-identifier") or "").split())
    fingerprint = hashlib.sha256(etree.tostring(element, method="c14n")).hexdigest()
    title = narrative(element.find("title"), lang) or identifier or "Untitled IATI activity"
    descriptions = [narrative(d, lang) for d in element.findall("description")]
    status_element = element.find("activity-status")
    activity = Activity(
        line=element.sourceline or 0,
        identifier=identifier[:200],
        fingerprint=fingerprint,
        reporting_org=organisation_ref(element.find("reporting-org"), lang),
        title=title[:300],
        description="\n\n".join(text for text in descriptions if text),
        status=(status_element.get("code") or "").strip() if status_element is not None else "",
    )
    if len(identifier) > 200:
        problems.append(Problem(name, activity.line, "iati-identifier", "longer than 200 characters"))
    if len(title) > 300:
        activity.notes.append(f"{activity.label}: title shortened to 300 characters")
    for child in element:
        if not isinstance(child.tag, str) or child.tag.startswith("{"):
            continue  # comments and other namespaces' extensions
        if child.tag not in MAPPED:
            activity.unmapped[child.tag] += 1
    _read_dates(element, activity, problems, name)
    activity.participants = [organisation_ref(org, lang) for org in element.findall("participating-org")]
    for country in element.findall("recipient-country"):
        activity.countries.append(((country.get("code") or "").strip(), country.sourceline))
    activity.regions = [(region.get("code") or "").strip() for region in element.findall("recipient-region")]
    for location in element.findall("location"):
        activity.locations.append(_location(location, lang))
    _read_sectors(element, activity, problems, name)
    _read_budgets(element, activity, problems, name)
    activity.results = [_result(result, lang) for result in element.findall("result")]
    return activity


def _read_dates(element, activity: Activity, problems: list[Problem], name: str) -> None:
    for when in element.findall("activity-date"):
        kind, day = (when.get("type") or "").strip(), _date(when.get("iso-date"))
        if day is None:
            continue
        if kind not in {"1", "2", "3", "4"}:
            activity.notes.append(f"{activity.label}: activity-date of type {kind!r} (not an IATI date type) left out")
            continue
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            problems.append(
                Problem(name, when.sourceline, "activity-date", f"year {day.year} is outside {FIRST_YEAR}–{LAST_YEAR}")
            )
            continue
        activity.dates.setdefault(kind, day)
    start, end = activity.start, activity.end
    if start and end and end.year < start.year:
        problems.append(
            Problem(name, activity.line, "activity-date", f"the activity ends ({end}) before it starts ({start})")
        )


def _location(location, lang: str) -> LocationRef:
    geonames_id = None
    for ident in location.findall("location-id"):
        code = (ident.get("code") or "").strip()
        if (ident.get("vocabulary") or "").strip() == "G1" and code.isdigit():
            geonames_id = int(code)
    return LocationRef(narrative(location.find("name"), lang), geonames_id, location.sourceline)


def _read_sectors(element, activity: Activity, problems: list[Problem], name: str) -> None:
    seen = set()
    for sector in element.findall("sector"):
        vocabulary = (sector.get("vocabulary") or "1").strip()
        code = (sector.get("code") or "").strip()
        percentage = _decimal(sector.get("percentage")) if sector.get("percentage") is not None else None
        if percentage is not None and not 0 <= percentage <= 100:
            problems.append(Problem(name, sector.sourceline, "sector/@percentage", f"{percentage} is not 0 to 100"))
            continue
        if vocabulary in {"7", "8"}:  # SDG goals and targets given as sectors
            _add_goal(activity, vocabulary == "8", code)
            continue
        if vocabulary == "1" and not (len(code) == 5 and code.isdigit()):
            activity.notes.append(f"{activity.label}: sector {code!r} is not a DAC 5-digit code; left out")
            continue
        if len(code) > 100 or len(vocabulary) > 10 or (vocabulary, code) in seen:
            activity.notes.append(f"{activity.label}: sector {vocabulary}:{code[:20]} left out (repeated or too long)")
            continue
        seen.add((vocabulary, code))
        activity.sectors.append((vocabulary, code, percentage))
    for tag in element.findall("tag"):
        vocabulary, code = (tag.get("vocabulary") or "").strip(), (tag.get("code") or "").strip()
        if vocabulary in {"2", "3"}:
            _add_goal(activity, vocabulary == "3", code)
        else:
            activity.unmapped["tag"] += 1


def _add_goal(activity: Activity, is_target: bool, code: str) -> None:
    goal_text = code.split(".")[0]
    if not goal_text.isdigit() or not 1 <= int(goal_text) <= 17 or (is_target and "." not in code):
        activity.notes.append(f"{activity.label}: {code!r} is not a Sustainable Development Goal; left out")
        return
    entry = (int(goal_text), code if is_target else "")
    if entry not in activity.goals:
        activity.goals.append(entry)


def _read_budgets(element, activity: Activity, problems: list[Problem], name: str) -> None:
    default_currency = (element.get("default-currency") or "").strip()
    for budget in element.findall("budget"):
        start = _date(budget.find("period-start").get("iso-date"))
        end = _date(budget.find("period-end").get("iso-date"))
        value = budget.find("value")
        amount = _decimal(value.text)
        currency = (value.get("currency") or default_currency).strip().upper()
        where = f"budget at line {budget.sourceline}"
        if start is None or end is None or amount is None:
            problems.append(Problem(name, budget.sourceline, "budget", "period or value unreadable"))
            continue
        if end < start:
            problems.append(
                Problem(name, budget.sourceline, "budget", f"the period ends ({end}) before it starts ({start})")
            )
            continue
        if abs(amount) >= LARGEST_AMOUNT or amount < 0:
            problems.append(Problem(name, value.sourceline, "budget/value", f"{amount} is negative or too large"))
            continue
        if len(currency) > 3:
            problems.append(
                Problem(name, value.sourceline, "budget/value/@currency", f"{currency!r} is not a currency code")
            )
            continue
        kind, status = (budget.get("type") or "1").strip(), (budget.get("status") or "1").strip()
        if kind not in {"1", "2"} or status not in {"1", "2"}:
            activity.notes.append(
                f"{activity.label}: {where} has type {kind!r} / status {status!r}; read as original, indicative"
            )
            kind, status = kind if kind in {"1", "2"} else "1", status if status in {"1", "2"} else "1"
        activity.budgets.append(BudgetLine(start, end, amount.quantize(Decimal("0.0001")), currency, kind, status))


def _result(result, lang: str) -> ResultLine:
    kind = RESULT_KINDS.get((result.get("type") or "").strip().lower(), "9")
    indicators = []
    for indicator in result.findall("indicator"):
        baseline = indicator.find("baseline")
        indicators.append(
            {
                "title": narrative(indicator.find("title"), lang),
                "description": narrative(indicator.find("description"), lang),
                "measure": indicator.get("measure", ""),
                "ascending": indicator.get("ascending", ""),
                "baseline": None
                if baseline is None
                else {
                    "year": baseline.get("year", ""),
                    "iso_date": baseline.get("iso-date", ""),
                    "value": baseline.get("value", ""),
                    "comment": narrative(baseline.find("comment"), lang),
                },
                "periods": [
                    {
                        "start": period.find("period-start").get("iso-date", ""),
                        "end": period.find("period-end").get("iso-date", ""),
                        "target": _point(period.find("target"), lang),
                        "actual": _point(period.find("actual"), lang),
                    }
                    for period in indicator.findall("period")
                ],
            }
        )
    return ResultLine(
        kind=kind,
        title=(narrative(result.find("title"), lang) or "Result")[:500],
        description=narrative(result.find("description"), lang),
        indicators=tuple(indicators),
    )


def _point(element, lang: str) -> dict | None:
    if element is None:
        return None
    return {"value": element.get("value", ""), "comment": narrative(element.find("comment"), lang)}
