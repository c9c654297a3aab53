"""The leak scanner's world (issue #15): records in every state, every reference kind, unique markers everywhere.

Every text field of every record (key, name, title, description, note, flag, coder, rationale, unit…) carries a
marker `mk<n>x` that belongs to exactly one record, so a marker found in an answer names the record it came
from. The rows shown with a record (citations, agreement parties, project results and sectors, meetings,
decisions, value reviews, IATI identifiers) carry markers of the record they hang on; a citation's markers
belong to the citing record *and* its source, as it may be shown only when both may be read.

Organisations A and B (one workspace) own everything; C owns nothing and is the outsider. Three groups:

- **hubs**: one public, published record of every model per organisation (A's and B's own organisation
  records are made public and are the organisation hubs). They carry no markers: anyone may read them.
- **base**: A and B each own one record of every model in each of the six visibility × publication states,
  every reference pointing at the *other* organisation's hubs and citing its hub source. A page of a public
  hub that lists what points at it must leave out the hidden ones ("up": less visible → more visible).
- **references** ("down": more visible → less visible), for every reference kind (`reference_kinds()`: each
  foreign key and many-to-many between owned models, each row of a child table that names another owned
  record, and a citation from every model to a source):
  B's public published record → A's record in each of the five hidden states; B's workspace-visible
  published record → A's private draft; A's public published record → A's own private draft; and B's public
  published record → an A record that was public and published when referenced, then made private and
  renamed. Every other reference of a referring record points at its own organisation's hubs.

Rows are written with the ORM, not the services: the write-time checks of issue #15 refuse some of these
references, and the scanner tests what reading does with them, including records whose visibility changed.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models

from tests.leak_kinds import Reference, is_owned, owned_models, reference_kinds

STATES = [(v, p) for v in ("private", "workspace", "public") for p in ("draft", "published")]
HIDDEN_STATES = [state for state in STATES if state != ("public", "published")]
YEAR = 2024
# The referring side of each reference kind (referrer owner, referrer state) → (target state, renamed later).
DOWN_CASES = [
    *(("b", ("public", "published"), state, False) for state in HIDDEN_STATES),
    ("b", ("workspace", "published"), ("private", "draft"), False),
    ("a", ("public", "published"), ("private", "draft"), False),
    ("b", ("public", "published"), ("private", "draft"), True),
]


@dataclass(frozen=True)
class Holder:
    """A record as the reading rule sees it: who owns it and in which state it is."""

    label: str
    key: str
    owner: str
    visibility: str
    publication: str

    def __str__(self) -> str:
        return f"{self.label} {self.key} (owner {self.owner.upper()}, {self.visibility}/{self.publication})"


@dataclass(frozen=True)
class Marker:
    """One marker: the records that must all be readable for it to be shown, the field, and why it exists."""

    text: str
    holders: tuple[Holder, ...]
    where: str
    case: str


@dataclass
class Made:
    """A record the fixture made, with its group ("hub", "base", "referrer", "target") and what it tests."""

    record: Any
    holder: Holder
    group: str
    case: str = ""
    target: Holder | None = None  # what a referring record points at


@dataclass
class LeakWorld:
    cast: Any
    city: Any = None
    twin: Any = None
    area: Any = None
    markers: dict[str, Marker] = field(default_factory=dict)
    made: list[Made] = field(default_factory=list)
    hubs: dict[tuple[str, str], Any] = field(default_factory=dict)  # (label, letter) → public record
    holders: dict[tuple[str, int], Holder] = field(default_factory=dict)  # (label, pk) → its holder
    references: list[Reference] = field(default_factory=list)
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    def mark(self, holders: tuple[Holder, ...] | None, where: str, case: str, plain: str = "hub") -> str:
        """A new marker belonging to the holders; for a hub (no holders), plain text that marks nothing."""
        if holders is None:
            return plain
        text = f"mk{next(self.counter)}x"
        self.markers[text] = Marker(text, holders, where, case)
        return text

    def holder_of(self, record) -> Holder:
        return self.holders[record._meta.label, record.pk]

    def group(self, name: str) -> list[Made]:
        return [made for made in self.made if made.group == name]


# --- filling a record ---

SKIPPED = {"id", "key", "owner", "visibility", "publication", "created_at", "updated_at"}


def _text(world: LeakWorld, f, holder: Holder | None, case: str, plain: str) -> str | None:
    """A free-text value: a marker of the holder shaped as the field wants (None when too short for one), or,
    without a holder, plain text in a required field."""
    if holder is None:
        return None if f.blank else plain[: f.max_length]
    marker = world.mark((holder,), f"{f.model._meta.label}.{f.name}", case)
    if isinstance(f, models.EmailField):
        return f"{marker}@example.org"
    if isinstance(f, models.URLField):
        return f"https://example.org/{marker}"
    text = f"{f.name} {marker}"
    if f.max_length and len(text) > f.max_length:
        return marker if len(marker) <= f.max_length else None
    return text


def _plain(f) -> Any:
    if f.choices:
        return next(value for value, _label in f.flatchoices if value not in ("", None))
    if isinstance(f, models.DecimalField):
        return Decimal("1")
    if isinstance(f, models.IntegerField):
        return YEAR if "year" in f.name or f.name in ("since", "until") else 1
    if isinstance(f, models.DateField):
        return dt.date(YEAR, 5, 1)
    return True if isinstance(f, models.BooleanField) else None


def _fill(
    world: LeakWorld, model, holder: Holder | None, case: str, hub_letter: str, overrides: dict, plain: str = "Hub"
) -> dict:
    """Every concrete field: text (markers of the holder), plain values (years and dates in YEAR), references
    at the places, the policy area and `hub_letter`'s hubs; then `overrides`."""
    values: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.name in SKIPPED or f.name in overrides or not f.editable:
            continue
        if f.is_relation:
            label = f.related_model._meta.label
            if label in ("places.Place", "evidence.PolicyArea"):
                values[f.name] = world.city if label == "places.Place" else world.area
            elif is_owned(f.related_model) and not f.one_to_one:
                values[f.name] = hub(world, label, hub_letter, network=f.name == "network")
        elif isinstance(f, (models.CharField, models.TextField)) and not f.choices:
            text = _text(world, f, holder, case, f"{plain} {model.__name__} {hub_letter.upper()}")
            if text is not None:
                values[f.name] = text
        elif not f.blank or isinstance(f, (models.DateField, models.IntegerField)):
            if (value := _plain(f)) is not None:
                values[f.name] = value
    values.update(overrides)
    label = model._meta.label
    # The few rules between fields: a statistic is about a place or an organisation; an objective's axis
    # belongs to its strategy; a value is known and approved (so reports state it).
    if label == "places.Statistic":
        values.pop("place" if values.get("organisation") is not None else "organisation", None)
    if label == "strategy.Objective" and values.get("axis") is not None:
        values["strategy"] = values["axis"].strategy
    if label == "strategy.Observation":
        values.update(value_state="known", value=Decimal("1"), approval="approved")
    return values


def hub(world: LeakWorld, label: str, letter: str, network: bool = False) -> Any:
    """The organisation's public, published record of a model: what other records point at by default."""
    if label == "actors.Organisation" and not network:
        return world.cast.organisations[letter]
    slot = (label + (":network" if network else ""), letter)
    if slot not in world.hubs:
        extra: dict[str, Any] = {"kind": "city_network"} if network else {}
        if label == "coordination.StakeholderAgenda":
            extra["organisation"] = _fresh_organisation(world, letter)
        key = f"hub-{apps.get_model(label).__name__.lower()}{'-network' if network else ''}-{letter}"
        world.hubs[slot] = _public(world, label, letter, key, "hub", **extra)
        _many(world, world.hubs[slot], None, letter, {})
        _children(world, world.hubs[slot], None, "", letter, {})
    return world.hubs[slot]


def _public(world: LeakWorld, label: str, letter: str, key: str, group: str, plain: str = "Hub", **values) -> Any:
    """A public, published record without markers (anyone may read it): a hub, a stakeholder, a case's source."""
    model = apps.get_model(label)
    record = model.objects.create(
        key=key,
        owner=world.cast.organisations[letter],
        visibility="public",
        publication="published",
        **_fill(world, model, None, "", letter, values, plain),
    )
    holder = world.holders[label, record.pk] = Holder(label, key, letter, "public", "published")
    world.made.append(Made(record, holder, group))
    return record


def _fresh_organisation(world: LeakWorld, letter: str) -> Any:
    """A public organisation of A's and B's workspace for a one-to-one reference (an agenda's organisation)."""
    key = f"stakeholder-{next(world.counter)}"
    found = _public(world, "actors.Organisation", letter, key, "plain", "Stakeholder", kind="agency")
    world.cast.workspaces["ab"].organisations.add(found)
    return found


def _many(world: LeakWorld, record, holder: Holder | None, hub_letter: str, overrides: dict) -> None:
    for f in type(record)._meta.many_to_many:
        if f.name in overrides:
            getattr(record, f.name).set(overrides[f.name])
        elif f.related_model._meta.label == "places.Place":
            getattr(record, f.name).set([world.city])
        elif f.related_model._meta.label == "evidence.PolicyArea":
            getattr(record, f.name).set([world.area])
        elif is_owned(f.related_model) and holder is not None:
            target = hub(world, f.related_model._meta.label, hub_letter, network=f.name == "networks")
            getattr(record, f.name).set([target])


# --- the rows shown with a record ---


def _children(
    world: LeakWorld, record, holder: Holder | None, case: str, hub_letter: str, targets: dict, cite: bool = True
) -> None:
    """The child rows of a record, each text with a marker of the record; `targets` replaces a child's reference
    (\"AgreementParty.organisation\" → record) for the reference kind under test. Every record but a hub (and a
    target) also cites its hub source, or the source under test."""
    from django.contrib.contenttypes.models import ContentType

    from metrodiplomacy.cooperation import models as cooperation
    from metrodiplomacy.coordination import models as coordination
    from metrodiplomacy.diplomacy import models as diplomacy
    from metrodiplomacy.evidence.models import Citation
    from metrodiplomacy.strategy.models import ObservationReview

    holders = (holder,) if holder is not None else None
    label = record._meta.label

    def mark(where: str) -> str:
        return world.mark(holders, where, case)

    def ref(name: str, target_label: str):
        return targets.get(name) or hub(world, target_label, hub_letter)

    if label == "diplomacy.Agreement":
        diplomacy.AgreementParty.objects.create(agreement=record, place=world.city)
        # A twinning between two cities: what the twinning pages draw.
        diplomacy.AgreementParty.objects.create(agreement=record, place=world.twin)
        diplomacy.AgreementParty.objects.create(
            agreement=record, organisation=ref("AgreementParty.organisation", "actors.Organisation")
        )
    elif label == "diplomacy.NetworkMembership":
        diplomacy.NetworkRole.objects.create(membership=record, role="member", year=YEAR)
    elif label == "cooperation.CooperationProject":
        cooperation.ProjectParticipant.objects.create(
            project=record, organisation=ref("ProjectParticipant.organisation", "actors.Organisation"), role="2"
        )
        cooperation.ProjectSector.objects.create(project=record, vocabulary="99", code=mark("ProjectSector.code"))
        cooperation.ProjectGoal.objects.create(project=record, goal=11)
        cooperation.ProjectBudget.objects.create(
            project=record,
            period_start=dt.date(YEAR, 1, 1),
            period_end=dt.date(YEAR, 12, 31),
            amount=Decimal("1"),
            currency="EUR",
        )
        cooperation.ProjectResult.objects.create(
            project=record,
            title=mark("ProjectResult.title"),
            description=mark("ProjectResult.description"),
            indicator=ref("ProjectResult.indicator", "strategy.Indicator"),
        )
    elif label == "coordination.CoordinationMechanism":
        meeting = coordination.Meeting.objects.create(
            mechanism=record, date=dt.date(YEAR, 5, 2), place=world.city, title=mark("Meeting.title")
        )
        coordination.Decision.objects.create(
            mechanism=record,
            meeting=meeting,
            text=mark("Decision.text"),
            responsible=ref("Decision.responsible", "actors.Organisation"),
            due_date=dt.date(YEAR, 6, 1),
        )
    elif label == "strategy.Observation":
        ObservationReview.objects.create(
            observation=record, action="approve", comment=mark("ObservationReview.comment")
        )
    elif label == "actors.Organisation":
        cooperation.OrganisationIdentifier.objects.create(
            organisation=record, ref=f"XM-{mark('OrganisationIdentifier.ref')}-{record.key}"
        )
    if holder is None or not cite:
        return
    source = targets.get("citations") or hub(world, "evidence.Source", hub_letter)
    both = (holder, world.holder_of(source))
    Citation.objects.create(
        source=source,
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        line_start=1,
        **{name: world.mark(both, f"Citation.{name}", case) for name in ("section", "page", "note", "quotation")},
    )


# --- the records ---


def _make(world: LeakWorld, label: str, letter: str, state, group: str, case: str, hub_letter: str, **how) -> Any:
    """One record with markers in every text field, its many-to-many references and its child rows.

    `how`: `reference=(Reference, target)` for the reference under test, `renamed=True` for a record first public
    and published (plain text, as when it was referenced) and then made private and renamed, `network=True` for an
    organisation that is a city network.
    """
    from metrodiplomacy.places.models import Place

    model = apps.get_model(label)
    reference, target = how.get("reference") or (None, None)
    overrides: dict[str, Any] = {}
    many: dict[str, list] = {}
    children: dict[str, Any] = {}
    if reference is not None and not reference.via:
        f = model._meta.get_field(reference.field)
        (many if f.many_to_many else overrides)[reference.field] = [target] if f.many_to_many else target
    elif reference is not None:
        children[reference.field] = target
    number = next(world.counter)
    key = f"was-public-{number}" if how.get("renamed") else f"k-mk{number}x"
    visibility, publication = state
    holder = Holder(label, key, letter, visibility, publication)
    if not how.get("renamed"):
        world.markers[f"mk{number}x"] = Marker(f"mk{number}x", (holder,), f"{label}.key", case)
    if label == "coordination.StakeholderAgenda" and "organisation" not in overrides:
        overrides["organisation"] = _fresh_organisation(world, letter)
    if label == "evidence.CaseStudy" and "source" not in overrides:
        if group == "base":
            country = world.city.country
            overrides["place"] = Place.objects.create(
                key=f"case-place-{number}", kind="city", name=f"Case place {number}", country=country, parent=country
            )
        else:
            overrides["source"] = _public(world, "evidence.Source", letter, f"case-source-{number}", "plain")
    values = _fill(world, model, None if how.get("renamed") else holder, case, hub_letter, overrides, "Was public")
    if label == "actors.Organisation" and how.get("network"):
        values["kind"] = "city_network"
    if label == "places.Statistic" and group == "base" and letter == "a":
        values.update(organisation=None, place=world.city)
    owner = world.cast.organisations[letter]
    if how.get("renamed"):
        record = model.objects.create(key=key, owner=owner, visibility="public", publication="published", **values)
        renamed = _fill(world, model, holder, case, hub_letter, overrides)
        for name, value in renamed.items():
            setattr(record, name, value)
        record.visibility, record.publication = state
        record.save()
    else:
        record = model.objects.create(key=key, owner=owner, visibility=visibility, publication=publication, **values)
    world.holders[label, record.pk] = holder
    _many(world, record, holder, hub_letter, many)
    _children(world, record, holder, case, hub_letter, children, cite=group != "target")
    world.made.append(Made(record, holder, group, case, world.holder_of(target) if target is not None else None))
    return record


def build_leak_world(cast) -> LeakWorld:
    """The hubs, the base records and every reference kind in every case of DOWN_CASES (see the module's doc)."""
    from metrodiplomacy.cooperation.models import OrganisationIdentifier
    from metrodiplomacy.evidence.models import PolicyArea
    from metrodiplomacy.places.models import Place

    world = LeakWorld(cast)
    country = Place.objects.create(key="lk", kind="country", name="Leakland", iso2="LK")
    world.city = Place.objects.create(key="leak-city", kind="city", name="Leak City", country=country, parent=country)
    world.twin = Place.objects.create(key="leak-twin", kind="city", name="Leak Twin", country=country, parent=country)
    world.area = PolicyArea.objects.get_or_create(code="economic", defaults={"name": "Economic development"})[0]
    for letter in "ab":
        organisation = cast.organisations[letter]
        organisation.visibility, organisation.publication, organisation.home_place = "public", "published", world.city
        organisation.save()
        holder = Holder("actors.Organisation", organisation.key, letter, "public", "published")
        world.holders["actors.Organisation", organisation.pk] = holder
        world.made.append(Made(organisation, holder, "hub"))
        OrganisationIdentifier.objects.create(organisation=organisation, ref=f"XM-ORG-{letter.upper()}")
    for model in owned_models():
        for letter in "ab":
            for state in STATES:
                label = model._meta.label
                other = "b" if letter == "a" else "a"
                case = f"base: {letter.upper()}'s {'/'.join(state)} {label}, pointing at {other.upper()}'s hubs"
                _make(world, label, letter, state, "base", case, other)
    world.references = reference_kinds()
    for reference in world.references:
        network = reference.field in ("network", "networks")
        for letter, state, target_state, renamed in DOWN_CASES:
            case = f"{reference}: {letter.upper()}'s {'/'.join(state)} record → A's {'/'.join(target_state)} record" + (
                " (public when referenced, then made private and renamed)" if renamed else ""
            )
            target = _make(
                world, reference.target, "a", target_state, "target", case, "a", renamed=renamed, network=network
            )
            _make(world, reference.model, letter, state, "referrer", case, letter, reference=(reference, target))
    return world
