"""Matching free-text place names (as twinning lists spell them) to GeoNames cities and ISO countries.

Pure reference-data logic: nothing here touches the database; how raw names and countries are read
(folded keys, variants, what a name says of where it lies) is in `names.py`. Reviewers' decisions come in as plain
values (`Decision`) and win over every rule. Rules, in order (docs/twinning.md explains them):

1. the country: ISO code or name, the usual variants and historic names, a sub-national part
   ("England", "Algarve, Portugal"), then a fuzzy guess for misspellings;
2. the city, in that country: its name or a Latin-script alternate name after folding case, accents and
   punctuation; then the name with a bracket qualifier, a district or a region set aside; then a fuzzy match;
3. homonyms are told apart by population; the confidence (0–1) says how sure the rule is, and a match
   below `MATCHED_AT` goes to the review queue instead of the database;
4. what no city rule finds: an ISO 3166-2 subdivision or US county (`admin_areas.py`), a sure fuzzy match,
   a municipality or locality of the countries-states-cities database (`localities.py`), then a settlement
   of the postal-code lists (`postal.py`).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from . import gazetteer
from .admin_areas import AdminArea, AdminIndex, admin_index, core_key
from .gazetteer import CityEntry
from .localities import LocalityIndex, locality_index
from .names import (
    BRACKETS,
    CONSTITUENT,
    SEAT_KIND,
    CountryMatch,
    context,
    country_code,
    district_forms,
    match_country,
    match_key,
    name_variants,
    seat_forms,
)
from .postal import PostalIndex, postal_index

MATCHED = "matched"
AMBIGUOUS = "ambiguous"
UNMATCHED = "unmatched"
MATCHED_AT = 0.8
# An administrative area is matched by its exact name only, and always less surely than a city so named:
# a list that says "Bromley" more often means the borough's town than the borough.
ADMIN_AREA_WEIGHT = 0.88
# A locality of the third layer is as sure as an area: found by its exact name, with no population to weigh.
LOCALITY_WEIGHT = 0.88
# A unit named after its seat town is an inference from the name alone: the least sure rule that still matches.
SEAT_NAMED_WEIGHT = 0.82
# Where counties, districts and raions are named after their seats: Central and Eastern Europe, the former
# Soviet Union and Germany's Landkreise. Not China, the US or the UK, whose units have names of their own.
SEAT_NAMED_COUNTRIES = frozenset(
    "AM AZ BA BG BY CZ DE EE GE HR HU KG KZ LT LV MD ME MK PL RO RS RU SI SK TJ TM UA UZ".split()
)
# A settlement of the postal-code lists is found by its exact name too, but the list may file a post office
# under the name of a village it serves: a little less sure, still above `MATCHED_AT` for a name as written.
POSTAL_WEIGHT = 0.85
# The chance of an unlisted namesake (see `Matcher._homonym_risk`) above which a name the postal list
# carries once is not trusted: Czechia's list of post offices (6 %), not Hungary's of settlements (0 %).
POSTAL_RISK = 0.04
FUZZY_CITY_CUTOFF = 88
# Variants below this weight (a merged name's first town, "Greater" set aside) give way to the other layers.
LOOSE_VARIANT = 0.9
# How far from a town a place the list names with it ("Wujiang (Suzhou)") may lie: a county-sized radius.
NEAR_KM = 40


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision about one raw name in one raw country, as the matcher applies it."""

    decision: str  # accepted, corrected or rejected
    geonames_id: int | None = None
    place_id: int | None = None
    label: str = ""


@dataclass(frozen=True)
class Match:
    """Where a raw name led: a city (or a reviewed place), how sure the rule is, and why."""

    status: str
    confidence: float
    reason: str
    city: CityEntry | None = None
    place_id: int | None = None
    country_iso2: str = ""
    # A district the gazetteer lacks, named in the list with its city: a new place within `city`.
    district: str = ""
    # An administrative area (borough, county, municipality) where no city of that name exists.
    area: AdminArea | None = None

    @property
    def is_matched(self) -> bool:
        return self.status == MATCHED

    @property
    def label(self) -> str:
        if self.area is not None:
            return self.area.label
        if self.city is None:
            return ""
        where = f"{self.city.name} ({self.city.country_iso2}, population {self.city.population:,})"
        return f"{self.district}, district of {where}" if self.district else where


class CityIndex:
    """GeoNames cities (cities500) by country and folded name, the most populous first."""

    def __init__(self, cities: Mapping[int, CityEntry]):
        self.by_id = cities
        names: dict[str, dict[str, list[int]]] = {}
        keyed: dict[str, str] = {}
        for city in cities.values():
            country = names.setdefault(city.country_iso2, {})
            keys = {
                keyed.get(name) or keyed.setdefault(name, match_key(name))
                for name in (city.name, *city.alternate_names)
            }
            for key in keys:
                if key:
                    country.setdefault(key, []).append(city.geonames_id)
        for keyed_names in names.values():
            # GeoNames spells some cities with their status ("Donghae City"), lists drop it: the short
            # form is added where it names no other place.
            for key in [key for key in keyed_names if key.endswith(" city") and len(key) > 8]:
                keyed_names.setdefault(key[:-5], keyed_names[key])
        self.names = {
            iso2: {key: tuple(sorted(ids, key=lambda i: -cities[i].population)) for key, ids in keyed.items()}
            for iso2, keyed in names.items()
        }
        self._choices: dict[str, list[str]] = {}
        self._own: dict[str, list[str]] | None = None

    def lookup(self, key: str, iso2: str) -> tuple[CityEntry, ...]:
        return tuple(self.by_id[i] for i in self.names.get(iso2, {}).get(key, ()))

    def own_names(self, iso2: str) -> list[str]:
        """The folded own name of every place of the country, one per place (read in one pass, then kept)."""
        if self._own is None:
            self._own = {}
            for city in self.by_id.values():
                self._own.setdefault(city.country_iso2, []).append(match_key(city.name))
        return self._own.get(iso2, [])

    def choices(self, iso2: str) -> list[str]:
        if iso2 not in self._choices:
            self._choices[iso2] = list(self.names.get(iso2, {}))
        return self._choices[iso2]


@functools.cache
def city_index() -> CityIndex:
    """The index over cities500, built once per process (a few seconds)."""
    return CityIndex(gazetteer.all_cities())


def _point(city: CityEntry) -> tuple[float, float]:
    return city.latitude, city.longitude


def _same_place(city: CityEntry, other: CityEntry) -> bool:
    """Whether two entries are one place GeoNames lists twice: a few kilometres apart, or one census figure.

    Komárno is filed as a town and again as the seat of its district, 30 km off, with the same 32,287
    inhabitants: two homonyms do not share a census count to the person.
    """
    if gazetteer.distance_km(_point(city), _point(other)) <= 20:
        return True
    return city.population == other.population >= 1000 and match_key(city.name) == match_key(other.name)


def _distinct(candidates: tuple[CityEntry, ...]) -> list[CityEntry]:
    """The candidates that are different places (see `_same_place`)."""
    kept: list[CityEntry] = []
    for city in candidates:
        if not any(_same_place(city, other) for other in kept):
            kept.append(city)
    return kept


def _pick(candidates: tuple[CityEntry, ...], key: str, weight: float, rule: str, name: str) -> Match:
    """The most populous homonym, less sure the closer the runner-up's population is.

    A place whose own name matches wins over one that only has it among its alternate names
    (Newport is not Parkersburg) unless the latter is five times as populous (Frankfurt am Main).
    """
    own = [city for city in candidates if match_key(city.name) == key]
    others = [city for city in candidates if city not in own]
    # ...and only when the name is a short form of its own name ("Frankfurt" of "Frankfurt am Main"): an
    # old or odd alternate name ("Waterloo" of Austin, "Brück" of Fürstenfeldbruck) never beats a town so named.
    short_forms = [city for city in others if match_key(city.name).startswith(key + " ")]
    if own and (not short_forms or short_forms[0].population < 5 * own[0].population):
        candidates, how = tuple(own), f"name {name!r}"
    else:
        candidates = tuple(short_forms if own else others)
        how, weight = f"alternate name {name!r}", weight * 0.95
    best = candidates[0]
    reasons = [how] + ([rule] if rule else [])
    # GeoNames sometimes lists one town twice (as a town and as its seat): those are not rivals.
    rivals = [city for city in candidates[1:] if not _same_place(best, city)]
    if rivals:
        ratio = best.population / max(rivals[0].population, 1)
        if ratio >= 5:
            weight *= 0.95
        elif ratio >= 2:
            weight *= 0.9
        elif ratio >= 1.5:
            weight *= 0.8
        else:
            weight *= 0.6
        reasons.append(
            f"{len(rivals) + 1} places of that name; the most populous has {best.population:,}, "
            f"the next {rivals[0].population:,}"
        )
    confidence = round(weight, 3)
    status = MATCHED if confidence >= MATCHED_AT else AMBIGUOUS
    return Match(status, confidence, "; ".join(reasons), best, country_iso2=best.country_iso2)


class Matcher:
    """Matches (raw name, raw country) pairs, remembering each answer; reviewers' decisions come first."""

    def __init__(
        self,
        decisions: Mapping[tuple[str, str], Decision] | None = None,
        index: CityIndex | None = None,
        areas: AdminIndex | None = None,
        localities: LocalityIndex | None = None,
        postal: PostalIndex | None = None,
    ):
        self.decisions = dict(decisions or {})
        self.index = index or city_index()
        self.areas = areas or admin_index(self.index)
        self.localities = localities or locality_index()
        self.postal = postal or postal_index()
        self._risks: dict[str, float] = {}
        self._memo: dict[tuple[str, str], Match] = {}

    def match(self, name: str, country: str) -> Match:
        """Where (name, country) leads; the same raw pair always gives the same answer."""
        memo_key = (name, country)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._match(name, country)
        return self._memo[memo_key]

    def _match(self, name: str, country: str) -> Match:
        decision = self.decisions.get((match_key(name), match_key(country)))
        if decision is not None:
            return self._decided(decision)
        if not country.strip() and "," in name:
            # Lists whose columns slipped put "Varna, Bulgaria" in the city column and leave the country empty.
            name, country = name.rsplit(",", 1)
        found = match_country(country)
        if not found.codes:
            if country_code(name):
                return Match(UNMATCHED, 0.0, f"{name!r} names a country or territory, not a city")
            return self._anywhere(name, found.reason)
        variants = name_variants(name)
        loose: Match | None = None
        constituent = next(
            (CONSTITUENT[part] for part in map(match_key, country.split(",")) if part in CONSTITUENT), ""
        )
        for number, (key, weight, rule) in enumerate(variants):
            if number == 1 and core_key(variants[0][0]) != variants[0][0]:
                # The name says what kind of unit it is ("Miami-Dade County", "Vilnius District Municipality"):
                # an area that bears the whole name beats a city found by trimming it.
                area = self._area(name, found, variants[:1])
                if area is not None and area.area is not None:
                    return area
            for code in found.codes:
                candidates = self.index.lookup(key, code)
                if not candidates:
                    continue
                nation = [city for city in candidates if constituent and city.admin1 == constituent]
                if nation and len(nation) < len(candidates):
                    # "Holywell, Wales": England's Holywell is another town.
                    candidates = tuple(nation)
                if number > 0 and len(_distinct(candidates)) > 1:
                    # The name says where it lies ("Friedberg, Hesse", "Wujiang (Suzhou)", "Suzhou – Wujiang"):
                    # that, not population, tells the homonyms apart.
                    narrowed, where, town_named = self._narrow(candidates, name, code)
                    if town_named and not narrowed:
                        # No place of that name near the town named: a district of that town, placed below.
                        continue
                    if where and not narrowed:
                        count = len(_distinct(candidates))
                        return Match(AMBIGUOUS, 0.5, f"{count} places called {key!r}, none {where}", country_iso2=code)
                    if where:
                        rule = f"{rule}; the one {where}" if rule else f"the one {where}"
                        candidates = narrowed
                match = _with_country_note(_pick(candidates, key, weight * found.confidence, rule, name), found)
                if number == 0 and not match.is_matched:
                    # Villages of one name too alike to choose from, and a borough that bears it ("Halton"):
                    # the borough, the unit that signs twinnings, is the reading the name supports.
                    area = self._area(name, found, variants[:1])
                    if area is not None and area.is_matched and match_key(area.area.name) == key:
                        return area
                if weight < LOOSE_VARIANT and not match.is_matched:
                    # A merged name's first town ("Põhja" of Põhja-Sakala) is a loose reading: the whole name
                    # in another layer (a municipality, a settlement) is better evidence than its homonyms.
                    loose = loose or match
                    continue
                return match
        for district, city_name in district_forms(name):
            for code in found.codes:
                city_key = match_key(city_name)
                candidates = self.index.lookup(city_key, code)
                if candidates:
                    parent = _pick(candidates, city_key, 0.9 * found.confidence, "", city_name)
                    reason = f"district {district!r}, not in the gazetteer, placed within {parent.reason}"
                    status = MATCHED if parent.confidence >= MATCHED_AT else AMBIGUOUS
                    return Match(status, parent.confidence, reason, parent.city, country_iso2=code, district=district)
        return self._beyond_cities(name, found, loose)

    def _beyond_cities(self, name: str, found: CountryMatch, loose: Match | None) -> Match:
        """What no city rule found: an area, a locality, a postal settlement, a unit named after its seat."""
        area = self._area(name, found)
        if area is not None:
            return area
        # A place of exactly that name in a later layer is better evidence than a spelling close to a city's
        # (Kaštela is the town near Split, not a Kaštel village one letter off), so every exact layer is asked
        # before a fuzzy guess is taken, sure or not.
        fuzzy = self._fuzzy(name, found)
        locality = self._locality(name, found)
        settlement = self._settlement(name, found)
        named = self._named_after_seat(name, found)
        for candidate in (locality, settlement, named):
            if candidate is not None and candidate.is_matched:
                return candidate
        if fuzzy is not None and fuzzy.is_matched and locality is None and settlement is None:
            # A place that bears the name exactly, even one left to a reviewer, rules out a misspelling.
            return fuzzy
        # Nothing sure: the reviewer gets the most telling doubt.
        for candidate in (locality, settlement, named, loose, fuzzy):
            if candidate is not None:
                return candidate
        return Match(
            UNMATCHED, 0.0, f"no place called {name!r} in {', '.join(found.codes)}", country_iso2=found.codes[0]
        )

    def _narrow(
        self, candidates: tuple[CityEntry, ...], name: str, iso2: str
    ) -> tuple[tuple[CityEntry, ...], str, bool]:
        """The candidates that lie where the name says; where that is ("" if nowhere known); whether a town.

        What the name adds beside the place's own name (a bracket qualifier, the city before a dash, what
        follows a comma) is read as a first-level division of the countries-states-cities database ("Hesse",
        "Yvelines", "Ohio") and as a town of the country: the candidates within `NEAR_KM` of it. A town
        with no candidate near it is the city a district belongs to ("Chaoyang (Beijing)").
        """
        for said in context(name):
            key = match_key(said)
            division = self.localities.division_named(iso2, said)
            if division:
                inside = tuple(
                    city for city in candidates if self.localities.division_at(iso2, _point(city)) == division
                )
                if inside:
                    return inside, f"in {said!r}", False
            for form in dict.fromkeys((key, core_key(key))):
                towns = [town for town in self.index.lookup(form, iso2) if match_key(town.name) == form]
                if towns:
                    near = tuple(
                        city
                        for city in candidates
                        if any(gazetteer.distance_km(_point(city), _point(town)) <= NEAR_KM for town in towns)
                    )
                    return near, f"near {said!r}", True
            if division:
                return (), f"in {said!r}", False
        return (), "", False

    def _area(self, name: str, found: CountryMatch, variants: list | None = None) -> Match | None:
        """An administrative area of that country with exactly that name (its kind words aside), if only one."""
        for key, weight, rule in variants or name_variants(name):
            for code in found.codes:
                areas = self.areas.lookup(key, code, said=match_key(name))
                if not areas:
                    continue
                municipal = [area for area in areas if "municipality" in area.kind.casefold()]
                counties = [area for area in areas if "county" in area.kind.casefold()]
                if len(municipal) == 1 and len(counties) == len(areas) - 1 and match_key(name) == key:
                    # Hiiumaa is a county and the municipality that has governed all of it since 2017: twinning
                    # is signed by municipalities, so a bare name shared by the two is the municipality.
                    areas = tuple(municipal)
                if len(areas) > 1:
                    listed = ", ".join(area.label for area in areas[:3])
                    reason = f"{len(areas)} administrative areas called {name!r}: {listed}"
                    return Match(AMBIGUOUS, 0.5, reason, country_iso2=code)
                area = areas[0]
                confidence = round(ADMIN_AREA_WEIGHT * weight * found.confidence, 3)
                reason = f"administrative area {area.label}, no city of that name" + (f"; {rule}" if rule else "")
                status = MATCHED if confidence >= MATCHED_AT else AMBIGUOUS
                return _with_country_note(Match(status, confidence, reason, country_iso2=code, area=area), found)
        return None

    def _locality(self, name: str, found: CountryMatch) -> Match | None:
        """A municipality or locality of exactly that name (the third layer), in the division the list names."""
        parts = [part.strip() for part in BRACKETS.sub(" ", name).split(",") if part.strip()]
        for key, weight, rule in name_variants(name):
            for code in found.codes:
                division = ""
                if len(parts) >= 2 and key == match_key(parts[0]):
                    division = self.localities.division_named(code, " ".join(parts[1:]))
                places = self.localities.lookup(key, code, division)
                if not places:
                    continue
                if len(places) > 1:
                    listed = "; ".join(f"{p.name} ({p.latitude:.2f}, {p.longitude:.2f})" for p in places[:3])
                    reason = (
                        f"{len(places)} localities called {name!r} in the countries-states-cities database, "
                        f"with no population to tell them apart: {listed}"
                    )
                    return Match(AMBIGUOUS, 0.5, reason, country_iso2=code)
                place = places[0]
                confidence = round(LOCALITY_WEIGHT * weight * found.confidence, 3)
                reason = (
                    f"{place.name}, a municipality or locality of the countries-states-cities database"
                    f" (not in GeoNames' city files)"
                    + (f", in the division named {parts[-1]!r}" if division else "")
                    + (f"; {rule}" if rule else "")
                )
                status = MATCHED if confidence >= MATCHED_AT else AMBIGUOUS
                return _with_country_note(Match(status, confidence, reason, country_iso2=code, area=place), found)
        return None

    def _settlement(self, name: str, found: CountryMatch) -> Match | None:
        """A settlement of exactly that name in the postal-code lists (the fourth layer), if only one."""
        for key, weight, rule in name_variants(name):
            if weight < 0.9:
                # A merged municipality's first town or a trimmed "Greater": too loose for a layer of villages.
                continue
            for code in found.codes:
                places, codes, written = self.postal.lookup(key, code)
                if not codes:
                    continue
                if not places:
                    reason = (
                        f"{codes} postal codes carry the name {name!r} with no point to tell whether they are "
                        f"one settlement"
                    )
                    return Match(AMBIGUOUS, 0.5, reason, country_iso2=code)
                place = places[0]
                risk = self._homonym_risk(code)
                if risk > POSTAL_RISK:
                    reason = (
                        f"{place.name} is in the postal-code list once, but the list names too few of the "
                        f"country's towns to rule out a namesake without a post office (risk {risk:.0%})"
                    )
                    return Match(AMBIGUOUS, 0.5, reason, country_iso2=code, area=place)
                confidence = round(POSTAL_WEIGHT * weight * found.confidence, 3)
                reason = (
                    f"{place.name}, a settlement of the postal-code list (code {written}; "
                    f"not in GeoNames' city files nor the countries-states-cities database)"
                    + ("" if place.latitude is not None else ", with no point")
                    + (f"; {rule}" if rule else "")
                )
                status = MATCHED if confidence >= MATCHED_AT else AMBIGUOUS
                return _with_country_note(Match(status, confidence, reason, country_iso2=code, area=place), found)
        return None

    def _homonym_risk(self, iso2: str) -> float:
        """How likely a name the country's postal list carries once has a namesake the list leaves out.

        The share of GeoNames towns of 500+ that bear another's name (Czechia reuses Lhota and Heřmanice,
        Hungary hardly any name) times the share of those towns the list does not name (a list of post
        offices leaves half the villages out; a list of settlements almost none).
        """
        if iso2 not in self._risks:
            towns = self.index.own_names(iso2)
            listed = self.postal.names(iso2)
            homonymy = sum(count for count in Counter(towns).values() if count > 1) / max(len(towns), 1)
            missing = sum(town not in listed for town in towns) / max(len(towns), 1)
            self._risks[iso2] = round(homonymy * missing, 4)
        return self._risks[iso2]

    def _named_after_seat(self, name: str, found: CountryMatch) -> Match | None:
        """A county, district or raion the list names after a town, located at that town.

        "Kętrzyn County", "Kolomyia Raion", "Mazyr District", "Gatchinsky District" (the Russian adjective of
        Gatchina) and "Siegen-Wittgenstein (district)" name units no layer lists. The unit is not its town
        (Głubczyce County is not Głubczyce): it becomes an area of its own, placed at the town, when that
        town is one place in the country. Only where units are named after their seats
        (`SEAT_NAMED_COUNTRIES`): a Chinese county is not (Donghai County is not governed from a Donghai).
        """
        key = match_key(name)
        said = SEAT_KIND.search(key)
        if said is None:
            return None
        stem, kind = key[: said.start()], said.group(1).replace("rayon", "raion").capitalize()
        for code in found.codes:
            if code not in SEAT_NAMED_COUNTRIES:
                continue
            for form, derived in seat_forms(stem, hyphenated="-" in name):
                # A town made from an adjective or a compound's first part must be the only one so named:
                # Russia has a Spassky District in six regions.
                town = self._one_town(form, code, only=derived)
                if town is None:
                    continue
                written = BRACKETS.sub(" ", name).strip()
                label = written if SEAT_KIND.search(match_key(written)) else f"{written} {kind}"
                area = AdminArea(
                    code=f"SEAT-{code}-{town.geonames_id}-{kind.upper()}",
                    name=label,
                    kind=kind,
                    country_iso2=code,
                    latitude=town.latitude,
                    longitude=town.longitude,
                    located_by=f"the town it is named after, {town.name} (GeoNames {town.geonames_id})",
                )
                confidence = round(SEAT_NAMED_WEIGHT * found.confidence, 3)
                reason = f"{kind.lower()} named after {town.name}, placed there (no layer lists the unit)"
                status = MATCHED if confidence >= MATCHED_AT else AMBIGUOUS
                return _with_country_note(Match(status, confidence, reason, country_iso2=code, area=area), found)
        return None

    def _one_town(self, key: str, iso2: str, only: bool = False) -> CityEntry | None:
        """The town of that name in the country: the only one, or (unless `only`) five times as populous."""
        towns = _distinct(self.index.lookup(key, iso2))
        if not towns or (len(towns) > 1 and (only or towns[0].population < 5 * max(towns[1].population, 1))):
            return None
        return towns[0]

    def _fuzzy(self, name: str, found: CountryMatch) -> Match | None:
        # The last variant is the most trimmed one, but not a merged name's first town: a fragment such as
        # "Høje" (of Høje-Taastrup) is close in spelling to too many unrelated towns.
        keys = [key for key, _weight, rule in name_variants(name) if not rule.startswith("merged municipality")]
        key = keys[-1]
        best: tuple[float, str, str] | None = None
        runner_up = 0.0
        for code in found.codes:
            for choice, score, _index in process.extract(
                key, self.index.choices(code), scorer=fuzz.ratio, score_cutoff=FUZZY_CITY_CUTOFF - 8, limit=2
            ):
                if best is None or score > best[0]:
                    runner_up = best[0] if best else runner_up
                    best = (score, choice, code)
                elif score > runner_up and not self._same_choice(best, choice, code):
                    # "Kastellorizo" is as close to "Megísti" as to "Megisti": two spellings of one island.
                    runner_up = score
        if best is None or best[0] < FUZZY_CITY_CUTOFF:
            return None
        score, choice, code = best
        city = self.index.lookup(choice, code)[0]
        confidence = round(score / 100 * 0.9 * found.confidence, 3)
        reason = f"spelling close to {city.name!r} ({score:.0f}/100)"
        if runner_up and score - runner_up < 3:
            confidence = min(confidence, 0.6)
            reason += f"; another name scores {runner_up:.0f}"
        status = MATCHED if confidence >= MATCHED_AT else AMBIGUOUS
        return _with_country_note(Match(status, confidence, reason, city, country_iso2=code), found)

    def _same_choice(self, best: tuple[float, str, str], choice: str, code: str) -> bool:
        """Whether a runner-up spelling leads to the place the best one does."""
        if code != best[2]:
            return False
        first, other = self.index.lookup(best[1], code)[0], self.index.lookup(choice, code)[0]
        return _same_place(first, other)

    def _anywhere(self, name: str, why: str) -> Match:
        key = match_key(name)
        everywhere = sorted(
            (city for code in self.index.names for city in self.index.lookup(key, code)),
            key=lambda city: -city.population,
        )
        if not everywhere:
            return Match(UNMATCHED, 0.0, f"{why}; no place called {name!r} anywhere")
        best = everywhere[0]
        reason = f"{why}; proposed the most populous of {len(everywhere)} place(s) called {name!r} worldwide"
        return Match(AMBIGUOUS, 0.4, reason, best, country_iso2=best.country_iso2)

    def _decided(self, decision: Decision) -> Match:
        if decision.decision == "rejected":
            return Match(UNMATCHED, 0.0, "rejected by a reviewer")
        city = self.index.by_id.get(decision.geonames_id) if decision.geonames_id else None
        return Match(
            MATCHED,
            1.0,
            f"{decision.decision} by a reviewer",
            city,
            place_id=decision.place_id,
            country_iso2=city.country_iso2 if city else "",
        )


def _with_country_note(match: Match, found: CountryMatch) -> Match:
    if not found.reason:
        return match
    status = MATCHED if match.confidence >= MATCHED_AT else AMBIGUOUS
    return Match(
        status,
        match.confidence,
        f"{match.reason}; {found.reason}",
        match.city,
        country_iso2=match.country_iso2,
        area=match.area,
    )
