"""Settlements of the postal-code lists: the gazetteer's fourth and last layer.

Twinning is often between villages: Hollókő and Jászfényszaru in Hungary, Mostová and Keť in Slovakia,
Mühltal and Rödermark in Germany. They lie below GeoNames' 500-inhabitant floor or under another form of
their name, and the countries-states-cities database lists few of them. Postal codes name them all in the
countries that file a code under each settlement's name. The countries-states-cities postal-code package
(dr5hn, Open Database License 1.0, shipped offline as `countrystatecity-postal-codes`) holds some 840,000
codes of 125 countries, each with its locality name and first-level division, and for some countries a point.

The layer is consulted last, by exact folded name only. A name filed under one code is one settlement.
Under several codes it is one settlement when every code has a point and all lie within `SAME_PLACE_KM`
of each other (a town with a code per quarter), or when the codes share one division and one delivery area
(all but their last two characters); otherwise the name is left to a reviewer: with no population and no
point, two villages of one name cannot be told apart. Many countries give no
point, and then the settlement has none either: it is counted in the graph and kept off the maps.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

from .admin_areas import AdminArea
from .gazetteer import distance_km
from .names import match_key

LICENCE = "Open Database License (ODbL) 1.0"
ATTRIBUTION = "countries-states-cities postal-code list (dr5hn), " + LICENCE
CODE_PREFIX = "POST-"
KIND = "Settlement of the postal-code list"
SAME_PLACE_KM = 20
PACKAGE = "countrystatecity_postal_codes"


@dataclass(frozen=True)
class PostalEntry:
    code: str
    name: str
    division: str
    point: tuple[float, float] | None


def _point(record: dict) -> tuple[float, float] | None:
    try:
        latitude, longitude = float(record["latitude"]), float(record["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (latitude, longitude) == (0.0, 0.0):
        return None
    return latitude, longitude


def read_country(iso2: str) -> list[dict]:
    """The package's records for one country (an empty list where it files none)."""
    folder = resources.files(PACKAGE).joinpath("data", "by-country", iso2.upper(), "postcodes.json")
    if not folder.is_file():
        return []
    with folder.open("r", encoding="utf-8") as handle:
        return json.load(handle)


def _one_settlement(entries: list[PostalEntry]) -> bool:
    """Whether several codes of one name are one place: close points, or one division and one delivery area.

    Postal codes are hierarchical: codes that differ only in their last two characters belong to one
    delivery area (Tyresö's 135 xx), where two villages of one name are not found.
    """
    located = [entry.point for entry in entries if entry.point is not None]
    if len(located) == len(entries):
        return all(distance_km(located[0], other) <= SAME_PLACE_KM for other in located)
    areas = {"".join(char for char in entry.code if char.isalnum())[:-2] for entry in entries}
    return len(areas) == 1 and len({entry.division for entry in entries}) == 1 and "" not in areas


class PostalIndex:
    """Postal localities by country and folded name, read from the package a country at a time."""

    def __init__(self, reader=read_country):
        self._reader = reader
        self._names: dict[str, dict[str, list[PostalEntry]]] = {}

    def _load(self, iso2: str) -> dict[str, list[PostalEntry]]:
        if iso2 not in self._names:
            names: dict[str, list[PostalEntry]] = {}
            for record in self._reader(iso2):
                name = (record.get("localityName") or "").strip()
                # Some countries' lists are in capitals (TYRESÖ): shown as a name is written.
                name = name.title() if name.isupper() else name
                key = match_key(name)
                if key:
                    entry = PostalEntry(
                        str(record.get("code") or ""), name, record.get("stateCode") or "", _point(record)
                    )
                    names.setdefault(key, []).append(entry)
            self._names[iso2] = names
        return self._names[iso2]

    def names(self, iso2: str) -> set[str]:
        """The folded names the country's list carries."""
        return set(self._load(iso2))

    def lookup(self, key: str, iso2: str) -> tuple[tuple[AdminArea, ...], int, str]:
        """(the settlement of that name, or none), how many codes carry the name, and the first as written.

        One area back means the name is one settlement; none with a count above zero means the codes that
        carry it cannot be told to be one place.
        """
        entries = self._load(iso2).get(key, [])
        if not entries:
            return (), 0, ""
        if len(entries) > 1 and not _one_settlement(entries):
            return (), len(entries), ""
        first = min(entries, key=lambda entry: entry.code)
        point = first.point
        area = AdminArea(
            # Codes carry spaces and dashes ("985 31", "MD-4834"): the area's code, and the place key made from
            # it, keep letters and digits only.
            code=f"{CODE_PREFIX}{iso2}-{''.join(char for char in first.code if char.isalnum())}",
            name=first.name,
            kind=KIND,
            country_iso2=iso2,
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            located_by=f"its postal code's point in the {ATTRIBUTION} (code {first.code})" if point else "",
        )
        return (area,), len(entries), first.code


@functools.cache
def postal_index() -> PostalIndex:
    return PostalIndex()
