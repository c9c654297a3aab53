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
import math
from dataclasses import dataclass
from typing import Any

from countrystatecity_countries.loaders import DataLoader
from rapidfuzz import fuzz, process

from .admin_areas import AdminArea, core_key
from .gazetteer import distance_km, is_latin
from .names import match_key

LICENCE = "Open Database License (ODbL) 1.0"
ATTRIBUTION = "countries-states-cities database (dr5hn), " + LICENCE
CODE_PREFIX = "CSC-"
KIND = "Municipality or locality"
SAME_PLACE_KM = 20
DIVISION_CUTOFF = 90


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
        self._divisions: dict[str, dict[str, str]] = {}
        # (latitude, longitude) rounded down -> [(point, division)]: which division a point lies in.
        self._grid: dict[str, dict[tuple[int, int], list[tuple[tuple[float, float], str]]]] = {}

    def _load(self, iso2: str) -> None:
        """Read one country: its localities by folded name (and name without kind words), its divisions."""
        names: dict[str, list[tuple[str, dict]]] = {}
        divisions: dict[str, str] = {}
        grid: dict[tuple[int, int], list[tuple[tuple[float, float], str]]] = {}
        for state in self._loader.load_states(iso2):
            division = match_key(state.get("name") or "")
            # Lists name a division in English or in its own language ("Bavaria", "Bayern").
            for alias in (state.get("name"), state.get("native")):
                if alias and is_latin(alias):
                    divisions.setdefault(match_key(alias), division)
            for entry in self._loader.load_cities(iso2, state.get("state_code") or ""):
                key = match_key(entry.get("name") or "")
                forms = {key, core_key(key)}
                if key.endswith((" kommune", " kommun")):
                    # Nordic municipalities are named in the genitive before the word ("Nordfyns Kommune" is
                    # Nordfyn), and lists write either form ("Vesthimmerlands" for Vesthimmerland Kommune).
                    core = core_key(key)
                    forms.add(core[:-1] if core.endswith("s") else core + "s")
                for form in forms:
                    if form:
                        names.setdefault(form, []).append((division, entry))
                point = _point(entry)
                if point is not None:
                    grid.setdefault((math.floor(point[0]), math.floor(point[1])), []).append((point, division))
        self._names[iso2], self._divisions[iso2], self._grid[iso2] = names, divisions, grid

    def lookup(self, key: str, iso2: str, division: str = "") -> tuple[AdminArea, ...]:
        """The distinct places of that name in the country (in the named division, when one is named)."""
        if iso2 not in self._names:
            self._load(iso2)
        found: list[Locality] = []
        entries = self._names[iso2].get(key, [])
        if not entries and core_key(key) != key:
            # "Slavyansky District" is the database's "Slavyansky rayon", found by the name without its kind,
            # but only among entries that say a kind too: "Kolomyia Raion" is not the town of Kolomyia.
            entries = [
                (in_division, entry)
                for in_division, entry in self._names[iso2].get(core_key(key), ())
                if core_key(match_key(entry["name"])) != match_key(entry["name"])
            ]
        for in_division, entry in entries:
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

    def division_at(self, iso2: str, point: tuple[float, float], within_km: float = 15) -> str:
        """The folded name of the division whose nearest locality lies within `within_km` of the point, or ""."""
        if iso2 not in self._grid:
            self._load(iso2)
        grid = self._grid[iso2]
        row, column = math.floor(point[0]), math.floor(point[1])
        nearby = [
            (distance_km(point, other), division)
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            for other, division in grid.get((row + dy, column + dx), ())
        ]
        distance, division = min(nearby, default=(within_km + 1, ""))
        return division if distance <= within_km else ""

    def division_named(self, iso2: str, text: str) -> str:
        """The first-level division a list's words name ("Hesse", "Bayern", "Uherské Hradiště District"), or "".

        Its English or own name, with or without the kind word; else a spelling within a letter or two of
        exactly one division's ("Hesse" for "Hessen").
        """
        if iso2 not in self._divisions:
            self._load(iso2)
        aliases = self._divisions[iso2]
        key = match_key(text)
        for form in (key, core_key(key)):
            if form in aliases:
                return aliases[form]
        close = process.extract(core_key(key), list(aliases), scorer=fuzz.ratio, score_cutoff=DIVISION_CUTOFF, limit=2)
        divisions = {aliases[alias] for alias, _score, _index in close}
        return divisions.pop() if len(divisions) == 1 else ""


@functools.cache
def locality_index() -> LocalityIndex:
    return LocalityIndex()
