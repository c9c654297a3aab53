"""Municipalities and localities from the countries-states-cities database: the gazetteer's third layer.

Twinning lists name many partners that neither GeoNames' city files (cities500) nor ISO 3166-2 know:
Danish and Norwegian municipalities (Gladsaxe, Bærum), the districts of Istanbul and Ankara (Beyoğlu,
Keçiören), Australian local government areas (Moreton Bay, Bayside) and villages below GeoNames'
500-inhabitant floor (Raslavice). The countries-states-cities database (dr5hn, Open Database License 1.0,
shipped offline as the `countrystatecity-countries` package) lists some 152,000 places with a point and the
first-level division they lie in, and these among them.

It is consulted last and only by exact name (folded case and accents, kind words such as "Kommune" set
aside): the database has no population to tell homonyms apart, so two places of one name farther apart
than `SAME_PLACE_KM` are rivals and the name stays with a reviewer, unless the list names the division
("Bayside, Victoria"). Entries closer than that are one place listed twice (a town and its municipality).
Countries are read from the package on first use, one at a time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from countrystatecity_countries.loaders import DataLoader

from .admin_areas import AdminArea, core_key
from .gazetteer import distance_km

LICENCE = "Open Database License (ODbL) 1.0"
ATTRIBUTION = "countries-states-cities database (dr5hn), " + LICENCE
CODE_PREFIX = "CSC-"
KIND = "Municipality or locality"
SAME_PLACE_KM = 20


@dataclass(frozen=True)
class Locality:
    area: AdminArea
    point: tuple[float, float]
    exact: bool  # whether its own folded name is the key it was found under


def _point(entry: dict) -> tuple[float, float] | None:
    try:
        latitude, longitude = float(entry["latitude"]), float(entry["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude


class LocalityIndex:
    """Localities by country and folded name, read from the package a country at a time."""

    def __init__(self, loader: Any = DataLoader):
        self._loader = loader
        self._names: dict[str, dict[str, list[tuple[str, dict]]]] = {}
        self._divisions: dict[str, set[str]] = {}

    def _load(self, iso2: str) -> None:
        """Read one country: its localities by folded name (and name without kind words), its divisions."""
        from .matching import match_key

        names: dict[str, list[tuple[str, dict]]] = {}
        divisions: set[str] = set()
        for state in self._loader.load_states(iso2):
            division = match_key(state.get("name") or "")
            divisions.add(division)
            for entry in self._loader.load_cities(iso2, state.get("state_code") or ""):
                key = match_key(entry.get("name") or "")
                for form in {key, core_key(key)}:
                    if form:
                        names.setdefault(form, []).append((division, entry))
        self._names[iso2], self._divisions[iso2] = names, divisions

    def lookup(self, key: str, iso2: str, division: str = "") -> tuple[AdminArea, ...]:
        """The distinct places of that name in the country (in the named division, when one is named)."""
        from .matching import match_key

        if iso2 not in self._names:
            self._load(iso2)
        found: list[Locality] = []
        for in_division, entry in self._names[iso2].get(key, ()):
            point = _point(entry)
            if point is None or (division and in_division != division):
                continue
            area = AdminArea(
                code=f"{CODE_PREFIX}{entry['id']}",
                name=str(entry["name"]),
                kind=KIND,
                country_iso2=iso2,
                latitude=point[0],
                longitude=point[1],
                located_by=f"its point in the {ATTRIBUTION} (entry {entry['id']})",
            )
            found.append(Locality(area, point, match_key(area.name) == key))
        # A place listed twice (the town and its municipality) counts once: the entry named exactly so wins.
        found.sort(key=lambda locality: not locality.exact)
        distinct: list[Locality] = []
        for locality in found:
            if all(distance_km(locality.point, kept.point) > SAME_PLACE_KM for kept in distinct):
                distinct.append(locality)
        return tuple(locality.area for locality in distinct)

    def divisions(self, iso2: str) -> set[str]:
        """The folded names of the country's first-level divisions."""
        if iso2 not in self._divisions:
            self._load(iso2)
        return self._divisions[iso2]


@functools.cache
def locality_index() -> LocalityIndex:
    return LocalityIndex()
