"""Write matched twinning pairs as agreements between places, in bulk and in one transaction.

No query per row: existing places, agreements and citations are read once, and only what is missing is
created, in batches, with its history (simple-history's bulk helper). Each agreement's natural key is made
from the GeoNames ids of its two places, so a re-import finds every pair and writes nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from metrodiplomacy.diplomacy.models import Agreement, AgreementKind, AgreementParty
from metrodiplomacy.evidence.models import Citation, Source, SourceKind
from metrodiplomacy.places import gazetteer
from metrodiplomacy.places.admin_areas import AdminArea
from metrodiplomacy.places.matching import MATCHED, Match
from metrodiplomacy.places.models import Place, PlaceKind
from metrodiplomacy.places.services import place_fields_from_city, place_fields_from_country, place_key

from .reader import Licence
from .report import MatchedPair, Progress, place_identity

BATCH = 1000
CHUNK = 5000  # ids per IN (...) query, well under SQLite's variable limit


@dataclass(frozen=True)
class Defaults:
    owner: object | None = None
    visibility: str = "public"
    publication: str = "published"


def district_slug(name: str) -> str:
    slug = "-".join(part for part in slugify(name).replace("_", "-").split("-") if part)
    if not slug or len(slug) > 40:
        slug = (slug[:28].strip("-") + "-" if slug else "d-") + hashlib.sha1(name.encode()).hexdigest()[:10]
    return slug


def _chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class TwinningWriter:
    def __init__(self, path: Path, licence: Licence | None, defaults: Defaults, progress: Progress | None = None):
        self.path = path
        self.licence = licence
        self.defaults = defaults
        self.progress = progress
        self.written: Counter = Counter()
        # One moment for every history row of the import: it is one change, and simple-history would
        # otherwise ask the clock once per row.
        self.moment = timezone.now()

    def record(self, **fields) -> dict:
        return {
            "owner": self.defaults.owner,
            "visibility": self.defaults.visibility,
            "publication": self.defaults.publication,
            **fields,
        }

    @transaction.atomic
    def write(self, pairs: list[MatchedPair]) -> Counter:
        source = self.ensure_source()
        matched = [pair for pair in pairs if pair.outcome == MATCHED]
        places = self.ensure_places([m for pair in matched for m in (pair.first, pair.second)])
        agreements = self.ensure_agreements(matched, places)
        self.ensure_citations(pairs, agreements, source)
        return self.written

    def ensure_source(self) -> Source:
        key = slugify(self.path.stem).replace("_", "-")[:120] or "twinning-list"
        source = Source.objects.filter(key=key).first()
        if source is not None:
            return source
        licence = self.licence
        title = f"Twinning list {self.path.name}"
        if licence:
            title += f" ({licence.name}" + (f", copyright {licence.holder}" if licence.holder else "") + ")"
        source = Source(
            **self.record(
                key=key,
                title=title[:400],
                author=(licence.holder if licence else "")[:400],
                year=licence.year if licence else None,
                kind=SourceKind.DATASET,
                file=self.path.name[:200],
                licence=(licence.name if licence else "")[:200],
            )
        )
        bulk_create_with_history([source], Source)
        self.written["sources"] += 1
        return Source.objects.get(key=key)

    def ensure_places(self, matches: list[Match]) -> dict[str, int]:
        """identity -> Place pk for every place the matched pairs name, creating the missing ones."""
        identities: dict[str, Match] = {place_identity(match): match for match in matches}
        found = {identity: match.place_id for identity, match in identities.items() if identity.startswith("p")}
        cities = {m.city.geonames_id: m.city for i, m in identities.items() if i.startswith("gn") and m.city}
        by_geonames: dict[int, int] = {}
        for chunk in _chunks(list(cities)):
            by_geonames.update(Place.objects.filter(geonames_id__in=chunk).values_list("geonames_id", "pk"))
        missing = [city for gid, city in cities.items() if gid not in by_geonames]
        taken = set(Place.objects.values_list("key", flat=True))
        codes = {city.country_iso2 for city in cities.values()}
        codes |= {m.area.country_iso2 for m in identities.values() if m.area is not None}
        countries = self.ensure_countries(codes, taken)
        new_cities = []
        for city in missing:
            key = place_key(city.name, city.country_iso2, city.geonames_id, taken)
            taken.add(key)
            country = countries.get(city.country_iso2)
            new_cities.append(
                Place(
                    key=key,
                    kind=PlaceKind.CITY,
                    name=city.name[:200],
                    country_id=country,
                    parent_id=country,
                    **place_fields_from_city(city),
                )
            )
        for place in self._bulk(new_cities, Place, "places"):
            by_geonames[place.geonames_id] = place.pk
        districts = {i: m for i, m in identities.items() if m.district and i.startswith("gn")}
        district_keys = {i: f"{district_slug(m.district)}-gn{m.city.geonames_id}" for i, m in districts.items()}
        existing = dict(Place.objects.filter(key__in=list(district_keys.values())).values_list("key", "pk"))
        new_districts = []
        for identity, match in districts.items():
            if district_keys[identity] not in existing:
                parent = match.city
                new_districts.append(
                    Place(
                        key=district_keys[identity],
                        kind=PlaceKind.MUNICIPALITY,
                        name=match.district[:200],
                        country_id=countries.get(parent.country_iso2),
                        parent_id=by_geonames[parent.geonames_id],
                        latitude=parent.latitude,
                        longitude=parent.longitude,
                        note=f"A district of {parent.name} named by a twinning list; located at its city's point.",
                    )
                )
        for place in self._bulk(new_districts, Place, "places"):
            existing[place.key] = place.pk
        areas = self.ensure_areas({i: m.area for i, m in identities.items() if m.area is not None}, countries)
        for identity, match in identities.items():
            if identity in areas:
                found[identity] = areas[identity]
            elif identity in districts:
                found[identity] = existing[district_keys[identity]]
            elif identity.startswith("gn"):
                found[identity] = by_geonames[match.city.geonames_id]
        return found

    def ensure_areas(self, areas: dict[str, AdminArea], countries: dict[str, int]) -> dict[str, int]:
        """identity -> Place pk of every administrative area, created once under the key admin-<code>."""
        keys = {identity: admin_area_key(area) for identity, area in areas.items()}
        existing = dict(Place.objects.filter(key__in=list(keys.values())).values_list("key", "pk"))
        new = []
        for identity, area in areas.items():
            if keys[identity] in existing:
                continue
            where = f"located at {area.located_by}" if area.located_by else "no point: its seat could not be told"
            country = countries.get(area.country_iso2)
            new.append(
                Place(
                    key=keys[identity],
                    kind=PlaceKind.ADMIN_AREA,
                    # The kind is part of the name so every page that shows it says it is not a city.
                    name=f"{area.name} ({area.kind.lower()})"[:200],
                    country_id=country,
                    parent_id=country,
                    latitude=area.latitude,
                    longitude=area.longitude,
                    note=f"Administrative area {area.code} ({area.kind}), named by a twinning list; {where}.",
                )
            )
        for place in self._bulk(new, Place, "places"):
            existing[place.key] = place.pk
        return {identity: existing[key] for identity, key in keys.items()}

    def ensure_countries(self, codes: set[str], taken: set[str]) -> dict[str, int]:
        present = dict(Place.objects.filter(iso2__in=codes).values_list("iso2", "pk"))
        new = []
        for code in sorted(codes - set(present)):
            entry = gazetteer.find_country(code)
            if entry is None:
                continue
            key = entry.iso2.lower() if entry.iso2.lower() not in taken else f"country-{entry.iso2.lower()}"
            taken.add(key)
            new.append(Place(key=key, kind=PlaceKind.COUNTRY, name=entry.name, **place_fields_from_country(entry)))
        for place in self._bulk(new, Place, "countries"):
            present[place.iso2] = place.pk
        return present

    def ensure_agreements(self, pairs: list[MatchedPair], places: dict[str, int]) -> dict[str, int]:
        """agreement key -> pk for every matched pair, creating the missing agreements and their parties."""
        keyed = {agreement_key(pair): pair for pair in pairs}
        existing: dict[str, int] = {}
        for chunk in _chunks(list(keyed)):
            existing.update(Agreement.objects.filter(key__in=chunk).values_list("key", "pk"))
        new = [
            Agreement(
                **self.record(
                    key=key,
                    kind=AgreementKind.TWINNING,
                    title=f"Twinning of {_name(pair.first)} and {_name(pair.second)}"[:300],
                )
            )
            for key, pair in keyed.items()
            if key not in existing
        ]
        created = self._bulk(new, Agreement, "agreements")
        parties = []
        for agreement in created:
            existing[agreement.key] = agreement.pk
            pair = keyed[agreement.key]
            for match in (pair.first, pair.second):
                parties.append(AgreementParty(agreement_id=agreement.pk, place_id=places[place_identity(match)]))
        self._bulk(parties, AgreementParty, "agreement parties")
        return existing

    def ensure_citations(self, pairs: list[MatchedPair], agreements: dict[str, int], source: Source) -> None:
        content_type = ContentType.objects.get_for_model(Agreement)
        present = set(
            Citation.objects.filter(source=source, content_type=content_type).values_list("object_id", "line_start")
        )
        new = []
        for pair in pairs:
            if pair.outcome not in (MATCHED, "repeated"):
                continue
            object_id = agreements[agreement_key(pair)]
            if (object_id, pair.row.line) in present:
                continue
            row = pair.row
            new.append(
                Citation(
                    source=source,
                    content_type=content_type,
                    object_id=object_id,
                    section=self.path.name[:300],
                    line_start=row.line,
                    line_end=row.line,
                    note=f"Row lists {row.city1} ({row.country1}) and {row.city2} ({row.country2}) as twins.",
                )
            )
        self._bulk(new, Citation, "citations")

    def _bulk(self, objects: list, model, label: str) -> list:
        if not objects:
            return []
        created = []
        for number, chunk in enumerate(_chunks(objects, BATCH), start=1):
            created += bulk_create_with_history(chunk, model, batch_size=BATCH, default_date=self.moment)
            if self.progress:
                self.progress(f"writing {label}", min(number * BATCH, len(objects)), len(objects))
        self.written[label] += len(objects)
        return created


def admin_area_key(area: AdminArea) -> str:
    return "admin-" + area.code.lower()


def agreement_key(pair: MatchedPair) -> str:
    a, b = sorted((place_identity(pair.first), place_identity(pair.second)))
    key = f"twinning-{a}-{b}"
    return key if len(key) <= 120 else "twinning-" + hashlib.sha1(key.encode()).hexdigest()


def _name(match: Match) -> str:
    if match.area is not None:
        return match.area.name
    if match.district and match.city:
        return f"{match.district} ({match.city.name})"
    return match.city.name if match.city else f"place {match.place_id}"
