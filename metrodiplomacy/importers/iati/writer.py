"""Write the activities of a checked IATI file as cooperation projects, in one transaction.

Organisations are matched by IATI organisation identifier, then by name among those the author may read,
and created otherwise; recipient countries and locations become partner places through the gazetteer.
A project is found again by its owner and iati-identifier (by a fingerprint of its XML when the identifier
is empty), and written only when something differs, so re-importing a file writes nothing at all.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.text import slugify

from metrodiplomacy.actors.models import Organisation, OrganisationKind
from metrodiplomacy.analysis.tables import Table
from metrodiplomacy.cooperation.models import (
    ActivityStatus,
    CooperationProject,
    OrganisationIdentifier,
    ProjectBudget,
    ProjectGoal,
    ProjectParticipant,
    ProjectResult,
    ProjectSector,
)
from metrodiplomacy.places import gazetteer
from metrodiplomacy.places.models import Place
from metrodiplomacy.records import visible_to
from metrodiplomacy.writes import Author, save_validated

from .reader import Activity, OrganisationRef

# IATI OrganisationType -> the platform's kinds (codelist OrganisationType, 2.03).
ORGANISATION_KINDS = {
    "10": OrganisationKind.NATIONAL_GOVERNMENT,
    "11": OrganisationKind.CITY_GOVERNMENT,
    "15": OrganisationKind.AGENCY,
    "21": OrganisationKind.NGO,
    "22": OrganisationKind.NGO,
    "23": OrganisationKind.NGO,
    "24": OrganisationKind.NGO,
    "30": OrganisationKind.OTHER,
    "40": OrganisationKind.INTERNATIONAL_ORGANISATION,
    "60": OrganisationKind.NGO,
    "70": OrganisationKind.OTHER,
    "71": OrganisationKind.OTHER,
    "72": OrganisationKind.OTHER,
    "73": OrganisationKind.OTHER,
    "80": OrganisationKind.UNIVERSITY,
    "90": OrganisationKind.OTHER,
}
FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING = "1", "2", "3", "4"
STATUSES = set(ActivityStatus.values)


@dataclass(frozen=True)
class Defaults:
    """Who writes, for whom, and how new records are shown."""

    author: Author
    owner: Organisation | None
    visibility: str
    publication: str


@dataclass
class IatiImportSummary:
    """What an import did: one line per activity, what it created besides, and what it left out."""

    file: str
    projects: list[tuple[str, str, str]] = field(default_factory=list)  # (activity, project key, action)
    organisations_created: list[str] = field(default_factory=list)
    places_created: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for _activity, _key, done in self.projects if done == action)

    @property
    def wrote_nothing(self) -> bool:
        return (
            not self.organisations_created
            and not self.places_created
            and all(action == "unchanged" for *_rest, action in self.projects)
        )

    def table(self) -> Table:
        return Table.build(
            f"IATI import of {self.file}",
            ("activity", "project", "action"),
            self.projects,
            notes=[
                f"{self.count('created')} created, {self.count('updated')} updated, "
                f"{self.count('unchanged')} unchanged",
                *(
                    [f"organisations created: {', '.join(self.organisations_created)}"]
                    if self.organisations_created
                    else []
                ),
                *([f"places created: {', '.join(self.places_created)}"] if self.places_created else []),
            ],
        )


def _slug(text: str) -> str:
    slug = slugify(text).replace("_", "-")
    return "-".join(part for part in slug.split("-") if part)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class IatiWriter:
    """Writes activities for one import; call inside a transaction."""

    def __init__(self, defaults: Defaults, summary: IatiImportSummary):
        self.defaults = defaults
        self.summary = summary
        self.organisations: dict[tuple[str, str], Organisation | None] = {}
        self.places: dict[tuple, Place | None] = {}
        self.readable = visible_to(Organisation.objects.all(), defaults.author.user)

    # --- organisations -------------------------------------------------------------------------

    def organisation(self, ref: OrganisationRef, owner: Organisation | None) -> Organisation | None:
        """The organisation the reference names: by IATI identifier, by name, or created."""
        cache_key = (ref.ref, ref.name.casefold())
        if cache_key not in self.organisations:
            self.organisations[cache_key] = self._find_or_create(ref, owner)
        return self.organisations[cache_key]

    def _find_or_create(self, ref: OrganisationRef, owner: Organisation | None) -> Organisation | None:
        identified = OrganisationIdentifier.objects.filter(ref=ref.ref).first() if ref.ref else None
        if identified is not None:
            if self.readable.filter(pk=identified.organisation_id).exists():
                return identified.organisation
            # Someone else's organisation holds the identifier: match by name instead, without claiming it.
        name = ref.name or ref.ref
        if not name:
            return None
        found = self.readable.filter(name__iexact=name).order_by("pk").first()
        if found is None:
            found = self._create_organisation(name, ref, owner)
        may_claim = identified is None and ref.ref and self.defaults.author.may_edit_for(found.owner_id)
        if may_claim and not OrganisationIdentifier.objects.filter(organisation=found).exists():
            OrganisationIdentifier.objects.create(organisation=found, ref=ref.ref[:200])
        return found

    def _create_organisation(self, name: str, ref: OrganisationRef, owner: Organisation | None) -> Organisation:
        base = (_slug(name) or _slug(ref.ref) or "iati-organisation")[:100].strip("-")
        key, number = base, 1
        while Organisation.objects.filter(key=key).exists():
            number += 1
            key = f"{base}-{number}"
        organisation = Organisation(
            key=key,
            name=name[:250],
            kind=ORGANISATION_KINDS.get(ref.type, OrganisationKind.OTHER),
            owner=owner,
            visibility=self.defaults.visibility,
            publication=self.defaults.publication,
        )
        save_validated(self.defaults.author, organisation)
        if owner is None:
            # A reporting organisation new to the platform owns itself, as imported owners do.
            organisation.owner = organisation
            organisation.save(update_fields=["owner"])
        self.summary.organisations_created.append(key)
        return organisation

    # --- places --------------------------------------------------------------------------------

    def country(self, code: str, activity: Activity) -> Place | None:
        from metrodiplomacy.places.services import ensure_country

        code = code.upper()
        if code not in self.places:
            entry = gazetteer.countries().get(code)
            self.places[code] = self._created(lambda: ensure_country(entry.iso2)) if entry else None
        if self.places[code] is None:
            activity.notes.append(f"{activity.label}: recipient-country {code!r} is not an ISO country code; left out")
        return self.places[code]

    def location(self, name: str, geonames_id: int | None, countries: list[str], activity: Activity) -> Place | None:
        from metrodiplomacy.places.services import ensure_city_entry

        cache_key = (name.casefold(), geonames_id, tuple(countries))
        if cache_key not in self.places:
            city = gazetteer.any_city_by_id(geonames_id) if geonames_id else None
            if city is None and name and len(countries) == 1:
                city = gazetteer.find_city(name, countries[0])
            self.places[cache_key] = self._created(lambda: ensure_city_entry(city)) if city else None
        if self.places[cache_key] is None:
            what = name or (f"GeoNames {geonames_id}" if geonames_id else "without a name")
            activity.notes.append(f"{activity.label}: location {what!r} not found in the gazetteer; left out")
        return self.places[cache_key]

    def _created(self, ensure) -> Place:
        before = Place.objects.count()
        place = ensure()
        if Place.objects.count() != before:
            self.summary.places_created.append(place.key)
        return place

    # --- projects ------------------------------------------------------------------------------

    def write(self, activity: Activity) -> None:
        owner = self.defaults.owner or self.organisation(activity.reporting_org, None)
        if owner is None:  # pragma: no cover - the schema requires a reporting-org with a ref
            raise ValueError(f"{activity.label}: the reporting organisation has neither identifier nor name")
        values, many, children = self.desired(activity, owner)
        project = self.existing(activity, owner)
        if project is None:
            project = CooperationProject(
                key=self.new_key(activity, owner),
                owner=owner,
                visibility=self.defaults.visibility,
                publication=self.defaults.publication,
                **values,
            )
            action = "created"
        elif self.state(project) == (_comparable(values), many, children):
            self.summary.projects.append((activity.label, project.key, "unchanged"))
            return
        else:
            self.defaults.author.check_can_edit(project)
            for name, value in values.items():
                setattr(project, name, value)
            action = "updated"
        save_validated(self.defaults.author, project)
        for name, objects in many.items():
            getattr(project, name).set(objects)
        self.replace_children(project, children, activity)
        self.summary.projects.append((activity.label, project.key, action))

    def existing(self, activity: Activity, owner: Organisation) -> CooperationProject | None:
        projects = CooperationProject.objects.filter(owner=owner)
        if activity.identifier:
            return projects.filter(iati_identifier=activity.identifier).first()
        return projects.filter(iati_identifier="", key__in=self.candidate_keys(activity, owner)).first()

    def candidate_keys(self, activity: Activity, owner: Organisation) -> list[str]:
        slug = _slug(activity.identifier)[:100]
        base = f"iati-{slug}" if slug else f"iati-activity-{activity.fingerprint[:16]}"
        identity = activity.identifier or activity.fingerprint
        return [base, f"{base[:100]}-{_digest(owner.key, identity)[:8]}"]

    def new_key(self, activity: Activity, owner: Organisation) -> str:
        base, distinct = self.candidate_keys(activity, owner)
        return distinct if CooperationProject.objects.filter(key=base).exists() else base

    def desired(self, activity: Activity, owner: Organisation) -> tuple[dict, dict, dict]:
        """The project's fields, lists and child rows as the activity gives them."""
        status = activity.status if activity.status in STATUSES else ""
        if activity.status and not status:
            activity.notes.append(f"{activity.label}: activity-status {activity.status!r} is not an IATI status")
        start, end = activity.start, activity.end
        total, currency = self.total_budget(activity)
        values: dict[str, Any] = {
            "title": activity.title,
            "description": activity.description,
            "iati_identifier": activity.identifier,
            "activity_status": status,
            "planned_start": activity.dates.get("1"),
            "actual_start": activity.dates.get("2"),
            "planned_end": activity.dates.get("3"),
            "actual_end": activity.dates.get("4"),
            "year_start": start.year if start else None,
            "year_end": end.year if end else None,
            "budget": total,
            "budget_currency": currency,
        }
        roles: dict[str, list[Organisation]] = {}
        for participant in activity.participants:
            if participant.role not in {FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING}:
                activity.notes.append(
                    f"{activity.label}: participating-org role {participant.role!r} (line {participant.line}) "
                    "is not an IATI organisation role; left out"
                )
                continue
            organisation = self.organisation(participant, owner)
            if organisation is None:
                activity.notes.append(f"{activity.label}: participating-org at line {participant.line} has no name")
            elif organisation not in roles.setdefault(participant.role, []):
                roles[participant.role].append(organisation)
        places = [self.country(code, activity) for code, _line in activity.countries if code]
        iso2 = [place.iso2 for place in places if place is not None]
        places += [self.location(loc.name, loc.geonames_id, iso2, activity) for loc in activity.locations]
        for region in activity.regions:
            activity.notes.append(f"{activity.label}: recipient-region {region!r} kept out (regions are not places)")
        many = {
            "funders": sorted({org.pk for org in roles.get(FUNDING, [])}),
            "implementers": sorted({org.pk for org in roles.get(IMPLEMENTING, [])}),
            "partner_places": sorted({place.pk for place in places if place is not None}),
        }
        children = {
            "participants": sorted(
                {(org.pk, role) for role in (ACCOUNTABLE, EXTENDING) for org in roles.get(role, [])}
            ),
            "sectors": sorted((v, c, _number(p)) for v, c, p in activity.sectors),
            "goals": sorted(activity.goals),
            "budgets": sorted(
                (b.period_start, b.period_end, _number(b.amount), b.currency, b.kind, b.status)
                for b in activity.budgets
            ),
            "results": [(r.kind, r.title, r.description, list(r.indicators)) for r in activity.results],
        }
        return values, many, children

    @staticmethod
    def total_budget(activity: Activity) -> tuple[Decimal | None, str]:
        """The sum of the budget periods (a revised budget replaces the original of its period), one currency."""
        chosen: dict[tuple, Any] = {}
        for line in activity.budgets:
            period = (line.period_start, line.period_end)
            if period not in chosen or line.kind == "2":
                chosen[period] = line
        currencies = {line.currency for line in chosen.values()}
        if not chosen or len(currencies) != 1:
            return None, ""
        return sum((line.amount for line in chosen.values()), Decimal(0)), currencies.pop()

    def state(self, project: CooperationProject) -> tuple[dict, dict, dict]:
        """The stored project in the shape `desired` returns, to tell whether anything would change."""
        values = {name: getattr(project, name) for name in self._value_names()}
        many = {name: sorted(getattr(project, name).values_list("pk", flat=True)) for name in self._many_names()}
        children = {
            "participants": sorted(project.participants.values_list("organisation_id", "role")),
            "sectors": sorted(
                (v, c, _number(p)) for v, c, p in project.sectors.values_list("vocabulary", "code", "percentage")
            ),
            "goals": sorted(project.goals.values_list("goal", "target")),
            "budgets": sorted(
                (s, e, _number(a), c, k, st)
                for s, e, a, c, k, st in project.budgets.values_list(
                    "period_start", "period_end", "amount", "currency", "kind", "status"
                )
            ),
            "results": [
                (r.kind, r.title, r.description, r.iati_indicators) for r in project.results.order_by("position")
            ],
        }
        if values.get("budget") is not None:
            values["budget"] = _number(values["budget"])
        return values, many, children

    @staticmethod
    def _value_names() -> tuple[str, ...]:
        return (
            "title",
            "description",
            "iati_identifier",
            "activity_status",
            "planned_start",
            "actual_start",
            "planned_end",
            "actual_end",
            "year_start",
            "year_end",
            "budget",
            "budget_currency",
        )

    @staticmethod
    def _many_names() -> tuple[str, ...]:
        return ("funders", "implementers", "partner_places")

    def replace_children(self, project: CooperationProject, children: dict, activity: Activity) -> None:
        for related in (project.participants, project.sectors, project.goals, project.budgets, project.results):
            related.all().delete()
        rows: list = [
            ProjectParticipant(project=project, organisation_id=pk, role=role) for pk, role in children["participants"]
        ]
        rows += [ProjectSector(project=project, vocabulary=v, code=c, percentage=p) for v, c, p in activity.sectors]
        rows += [ProjectGoal(project=project, goal=goal, target=target) for goal, target in activity.goals]
        rows += [
            ProjectBudget(
                project=project,
                period_start=b.period_start,
                period_end=b.period_end,
                amount=b.amount,
                currency=b.currency,
                kind=b.kind,
                status=b.status,
            )
            for b in activity.budgets
        ]
        rows += [
            ProjectResult(
                project=project,
                position=position,
                kind=r.kind,
                title=r.title,
                description=r.description,
                iati_indicators=list(r.indicators),
            )
            for position, r in enumerate(activity.results)
        ]
        for row in rows:
            save_validated(self.defaults.author, row)


def _comparable(values: dict) -> dict:
    return {**values, "budget": _number(values["budget"])}


def _number(value: Decimal | None) -> str | None:
    """Decimals compare by value whatever their stored precision (100 and 100.0000 are one amount)."""
    return None if value is None else format(Decimal(value).normalize(), "f")


def unmapped_notes(activities: list[Activity]) -> list[str]:
    counted: Counter = Counter()
    for activity in activities:
        counted.update(activity.unmapped)
    if not counted:
        return []
    listed = ", ".join(f"{name} ×{count}" for name, count in sorted(counted.items()))
    return [f"elements the platform does not record were left out: {listed}"]
