"""Writes of places: gazetteer entries become Place records when data refers to them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from . import gazetteer
from .models import MatchDecision, MatchDecisionKind, Place, PlaceKind

if TYPE_CHECKING:
    # Imported at run time only where needed: matching loads rapidfuzz and the gazetteer index.
    from .matching import Match


def ensure_country(iso2: str) -> Place:
    """The country's Place, created from pycountry and the shipped M49 table on first use."""
    entry = gazetteer.find_country(iso2)
    if entry is None:
        raise ValueError(f"unknown country code {iso2!r}")
    place = Place.objects.filter(iso2=entry.iso2).first()
    if place is not None:
        return place
    with transaction.atomic():
        return Place.objects.create(
            key=entry.iso2.lower(), kind=PlaceKind.COUNTRY, name=entry.name, **place_fields_from_country(entry)
        )


def place_fields_from_country(entry: gazetteer.CountryEntry) -> dict:
    return {
        "iso2": entry.iso2,
        "iso3": entry.iso3,
        "m49": entry.m49,
        "region": entry.region,
        "subregion": entry.subregion,
        "global_group": entry.global_group,
        "global_group_source": gazetteer.GLOBAL_GROUP_SOURCE if entry.global_group else "",
    }


def place_fields_from_city(city: gazetteer.CityEntry) -> dict:
    return {
        "geonames_id": city.geonames_id,
        "latitude": city.latitude,
        "longitude": city.longitude,
        "population": city.population,
        "alternate_names": "\n".join(sorted(set(city.alternate_names))),
    }


def ensure_city(name: str, country_iso2: str, kind: str = PlaceKind.CITY, key: str | None = None) -> Place:
    """The city's Place, created from GeoNames on first use; raises ValueError when GeoNames has no such city."""
    city = gazetteer.find_city(name, country_iso2)
    if city is None:
        raise ValueError(f"no city called {name!r} in {country_iso2} in GeoNames")
    place = Place.objects.filter(geonames_id=city.geonames_id).first()
    if place is not None:
        return place
    country = ensure_country(country_iso2)
    return Place.objects.create(
        key=key or slugify(f"{city.name}-{country_iso2}"),
        kind=kind,
        name=city.name,
        country=country,
        parent=country,
        **place_fields_from_city(city),
    )


def ensure_city_entry(city: gazetteer.CityEntry) -> Place:
    """The Place of a GeoNames city of any size, created on first use (key from its name and country)."""
    place = Place.objects.filter(geonames_id=city.geonames_id).first()
    if place is not None:
        return place
    country = ensure_country(city.country_iso2)
    key = place_key(city.name, city.country_iso2, city.geonames_id)
    return Place.objects.create(
        key=key, kind=PlaceKind.CITY, name=city.name, country=country, parent=country, **place_fields_from_city(city)
    )


def place_key(name: str, country_iso2: str, geonames_id: int | None = None, taken: set[str] | None = None) -> str:
    """A key from the name and country, made unique with the GeoNames id when another place has it."""
    base = slugify(f"{name}-{country_iso2}").replace("_", "-")
    base = "-".join(part for part in base.split("-") if part)[:100].strip("-") or f"place-{country_iso2.lower()}"
    exists = (lambda key: key in taken) if taken is not None else (lambda key: Place.objects.filter(key=key).exists())
    if not exists(base):
        return base
    return f"{base}-{geonames_id}" if geonames_id else f"{base}-2"


# --- the review queue of place-name matches -------------------------------------------------------


def match_decisions() -> dict:
    """Every decided name, as the matcher takes them: (folded name, folded country) -> Decision."""
    from .matching import Decision

    decided = MatchDecision.objects.exclude(decision=MatchDecisionKind.PENDING).select_related("place")
    return {
        (row.name_key, row.country_key): Decision(
            row.decision,
            geonames_id=row.place.geonames_id if row.place_id else None,
            place_id=row.place_id,
            label=str(row.place or ""),
        )
        for row in decided
    }


@transaction.atomic
def queue_for_review(uncertain: dict[tuple[str, str], tuple[Match, int]]) -> int:
    """Add or refresh pending decisions for names an import could not match with confidence.

    `uncertain` maps (raw name, raw country) to (Match, occurrences). Decided names are left alone, and a
    pending row whose proposal and count did not change is not saved again (a re-import writes nothing).
    """
    from .matching import match_key

    existing = {(row.name_key, row.country_key): row for row in MatchDecision.objects.all()}
    # Spellings that fold to the same key ("Köln"/"Koln") share one decision: count them together.
    folded: dict[tuple[str, str], tuple[str, str, Match, int]] = {}
    for (raw_name, raw_country), (match, occurrences) in sorted(uncertain.items(), key=lambda item: item[0]):
        key = (match_key(raw_name)[:300], match_key(raw_country)[:200])
        first = folded.get(key)
        folded[key] = (
            *(first[:3] if first else (raw_name, raw_country, match)),
            occurrences + (first[3] if first else 0),
        )
    created, changed = [], []
    for key, (raw_name, raw_country, match, occurrences) in folded.items():
        fields = {
            "proposed_geonames_id": match.city.geonames_id if match.city else None,
            "proposed_label": match.label[:300],
            "confidence": match.confidence,
            "reason": match.reason,
            "occurrences": occurrences,
        }
        row = existing.get(key)
        if row is None:
            row = MatchDecision(
                raw_name=raw_name[:300], raw_country=raw_country[:200], name_key=key[0], country_key=key[1]
            )
            for name, value in fields.items():
                setattr(row, name, value)
            existing[key] = row
            created.append(row)
        elif row.decision == MatchDecisionKind.PENDING and any(getattr(row, n) != v for n, v in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            changed.append(row)
    bulk_create_with_history(created, MatchDecision, batch_size=500)
    for row in changed:
        row.save()
    return len(created) + len(changed)


def _decide(decision: MatchDecision, kind: str, place: Place | None, by: str) -> MatchDecision:
    decision.decision = kind
    decision.place = place
    decision.decided_by = by
    decision.decided_at = timezone.now()
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def accept_match(decision: MatchDecision, by: str) -> MatchDecision:
    """Accept the proposed place: later imports use it for this name."""
    if decision.proposed_geonames_id is None:
        raise ValueError(f"{decision.raw_name!r} has no proposal to accept: correct it instead")
    city = gazetteer.any_city_by_id(decision.proposed_geonames_id)
    if city is None:
        raise ValueError(f"GeoNames has no place {decision.proposed_geonames_id}")
    return _decide(decision, MatchDecisionKind.ACCEPTED, ensure_city_entry(city), by)


@transaction.atomic
def correct_match(decision: MatchDecision, target: str, by: str) -> MatchDecision:
    """Point the name at another place: a GeoNames id, or the key of a place already in the database."""
    place = Place.objects.filter(key=target).first()
    if place is None and target.isdigit():
        city = gazetteer.any_city_by_id(int(target))
        if city is not None:
            place = ensure_city_entry(city)
    if place is None:
        raise ValueError(f"no place with key or GeoNames id {target!r}")
    return _decide(decision, MatchDecisionKind.CORRECTED, place, by)


@transaction.atomic
def reject_match(decision: MatchDecision, by: str) -> MatchDecision:
    """Say the name refers to no place we record: later imports leave its rows out."""
    return _decide(decision, MatchDecisionKind.REJECTED, None, by)
