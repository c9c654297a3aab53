"""Reading the names twinning lists write: folded keys, the variants a place name may stand for, the
country a country column names, and what a name says of where its place lies.

Pure text and reference-data logic (pycountry's countries, no gazetteer index, no database); `matching.py`
tries these readings against the gazetteer layers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from . import gazetteer

FUZZY_COUNTRY_CUTOFF = 85

# Names ISO 3166 and pycountry do not know, by their folded form: short forms, constituent countries,
# territories named with their state, historic names, and the spellings twinning lists use.
COUNTRY_VARIANTS = {
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "uk": "GB",
    "russia": "RU",
    "soviet russia": "RU",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "south korea": "KR",
    "korea": "KR",
    "republic of korea": "KR",
    "north korea": "KP",
    "republic of the congo": "CG",
    "congo brazzaville": "CG",
    "congo": "CG",
    "democratic republic of the congo": "CD",
    "dr congo": "CD",
    "congo kinshasa": "CD",
    "zaire": "CD",
    "czech republic": "CZ",
    "czechia": "CZ",
    "turkey": "TR",
    "kosovo": "XK",
    "palestine": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "gaza strip": "PS",
    "northern cyprus": "CY",
    "east timor": "TL",
    "cape verde": "CV",
    "brunei": "BN",
    "micronesia": "FM",
    "moldavia": "MD",
    "moldova": "MD",
    "macedonia": "MK",
    "republic of macedonia": "MK",
    "swaziland": "SZ",
    "burma": "MM",
    "holland": "NL",
    "the netherlands": "NL",
    "vatican": "VA",
    "vatican city": "VA",
    "laos": "LA",
    "syria": "SY",
    "iran": "IR",
    "vietnam": "VN",
    "tanzania": "TZ",
    "bolivia": "BO",
    "venezuela": "VE",
    "taiwan": "TW",
    "bosnia": "BA",
    "bosnia and hercegovina": "BA",
    "republic of ireland": "IE",
    "eire": "IE",
    "usa": "US",
    "united states of america": "US",
    "america": "US",
    "surinam": "SR",
    "ceylon": "LK",
    "persia": "IR",
    "siam": "TH",
    "rhodesia": "ZW",
    "upper volta": "BF",
    "dahomey": "BJ",
    "kampuchea": "KH",
    "west germany": "DE",
    "east germany": "DE",
    "federal republic of germany": "DE",
    "german democratic republic": "DE",
    "sao tome and principe": "ST",
    "falkland islands": "FK",
    "reunion": "RE",
    "curacao": "CW",
    "aland islands": "AX",
    "the gambia": "GM",
    "gambia": "GM",
    "the bahamas": "BS",
}
# The United Kingdom's nations as lists name them, and GeoNames' first-level code for each.
CONSTITUENT = {"england": "ENG", "scotland": "SCT", "wales": "WLS", "northern ireland": "NIR"}
# Lists file these territories under their state; GeoNames gives them country codes of their own. The
# state's own cities are tried first, so a home city always wins over a namesake overseas.
SPECIAL_REGIONS = {
    "CN": ("HK", "MO"),
    "FI": ("AX",),
    "DK": ("GL", "FO"),
    "FR": ("RE", "GP", "MQ", "GF", "YT", "NC", "PF", "PM", "WF", "BL", "MF"),
    "NL": ("CW", "AW", "SX", "BQ"),
    "US": ("PR", "GU", "VI", "AS", "MP"),
}
# Qualifiers that say what kind of unit a name is, not which one.
DESCRIPTIVE_QUALIFIERS = {
    "district",
    "rural gmina",
    "urban gmina",
    "gmina",
    "municipality",
    "city",
    "town",
    "village",
    "county",
    "borough",
    "parish",
    "commune",
    "community",
    "region",
    "province",
    "prefecture",
    "state",
    "island",
    "ward",
}
_PUNCTUATION_AS_SPACE = str.maketrans(dict.fromkeys("()[].,;:'\"`´’‘“”/\\!?-–—", " "))
BRACKETS = re.compile(r"\s*[(\[]([^)\]]*)[)\]]\s*")
_DASH = re.compile(r"\s+[–—-]\s+")
_RIVER_SUFFIX = re.compile(r"\s+(am|an der|in der|im|ob der|bei|sur|sous|on|upon|nad|pod)\s+\S+(\s+\S+)?$")
# "County" and "district" are left on: a county or district is not its seat town (Głubczyce County).
_GENERIC_PARTS = re.compile(r"^(city of|town of|municipality of|gmina)\s+|\s+(city|town|municipality)$")


def match_key(text: str) -> str:
    """The form names are compared in: folded case and accents, punctuation and dashes as spaces."""
    # Most gazetteer names are plain ASCII: skip the Unicode decomposition for them (index build time).
    folded = text.casefold() if text.isascii() else gazetteer.normalise(text)
    return " ".join(folded.translate(_PUNCTUATION_AS_SPACE).split())


@dataclass(frozen=True)
class CountryMatch:
    codes: tuple[str, ...]
    confidence: float
    reason: str


@functools.cache
def country_names() -> dict[str, str]:
    table = {match_key(name): iso2 for name, iso2 in COUNTRY_VARIANTS.items()}
    for entry in gazetteer.countries().values():
        table.setdefault(match_key(entry.name), entry.iso2)
        short = entry.name.split(",")[0]
        table.setdefault(match_key(short), entry.iso2)
    return table


def country_code(text: str) -> str | None:
    key = match_key(text)
    if not key:
        return None
    if key in country_names():
        return country_names()[key]
    entry = gazetteer.find_country(text)
    return entry.iso2 if entry else None


def match_country(raw: str) -> CountryMatch:
    """The ISO code(s) a raw country names: a territory named with its state gives both ("Réunion, France")."""
    text = re.sub(r"^\s*in\s+", "", raw.strip(), flags=re.I)
    if not match_key(text):
        return CountryMatch((), 0.0, "no country given")
    parts = [part for part in (p.strip() for p in text.split(",")) if part]
    codes: list[str] = []
    for part in [text, *parts, *(BRACKETS.sub(" ", part) for part in parts)]:
        code = country_code(part)
        if code and code not in codes:
            codes.append(code)
    if codes:
        # Lists file Hong Kong and Macau under China; GeoNames gives them codes of their own.
        codes += [code for code in SPECIAL_REGIONS.get(codes[0], ()) if code not in codes]
        return CountryMatch(tuple(codes), 1.0, "")
    names = country_names()
    found = process.extractOne(match_key(parts[-1]), list(names), scorer=fuzz.ratio)
    if found and found[1] >= FUZZY_COUNTRY_CUTOFF:
        return CountryMatch((names[found[0]],), 0.9, f"country {raw!r} read as {found[0]!r} (misspelt)")
    return CountryMatch((), 0.0, f"unknown country {raw!r}")


def name_variants(raw: str) -> list[tuple[str, float, str]]:
    """The keys to try for a raw city name, with the confidence each keeps and the rule that made it."""
    variants: list[tuple[str, float, str]] = [(match_key(raw), 1.0, "")]
    qualifiers = BRACKETS.findall(raw)
    bare = BRACKETS.sub(" ", raw).strip()
    if qualifiers:
        variants.append((match_key(bare), 0.95, f"qualifier {', '.join(qualifiers)!r} set aside"))
    dashed = _DASH.split(bare)
    if len(dashed) == 2:
        variants.append((match_key(dashed[1]), 0.95, f"district {dashed[1]!r} of {dashed[0]!r}"))
    comma = [part.strip() for part in bare.split(",") if part.strip()]
    if len(comma) >= 2:
        variants.append((match_key(comma[0]), 0.95, f"{', '.join(comma[1:])!r} read as the region"))
    base = match_key(comma[0] if comma else bare)
    for before, after in (("st ", "saint "), ("st ", "sankt "), ("ste ", "sainte "), ("s ", "san ")):
        if base.startswith(before):
            variants.append((after + base[len(before) :], 0.95, f"{before.strip()!r} read as {after.strip()!r}"))
    river = _RIVER_SUFFIX.sub("", base)
    if river != base:
        variants.append((river, 0.9, "river or region suffix set aside"))
    french = re.split(r"-(?:en|lès|lez)-", bare, maxsplit=1)
    if len(french) == 2:
        # "Leuze-en-Hainaut", "Lys-lez-Lannoy": hyphens mark the French form (Dutch "Peel en Maas" is two places).
        variants.append((match_key(french[0]), 0.9, "river or region suffix set aside"))
    if base.startswith("greater "):
        variants.append((base[8:], 0.85, "'Greater' set aside"))
    # Merged municipalities are named after their towns ("Évry-Courcouronnes", "Windsor and Maidenhead"):
    # the first town, usually the seat, stands for the whole.
    first = re.split(r"\s+and\s+|-", bare, maxsplit=1)
    if len(first) == 2 and len(first[0]) > 3 and not qualifiers and len(dashed) == 1:
        variants.append((match_key(first[0]), 0.8, f"merged municipality read as its first town {first[0]!r}"))
    if base.startswith("bad "):
        # German spa towns gained or lost "Bad" over time (Bad Kötzting was Kötzting).
        variants.append((base[4:], 0.9, "'Bad' set aside"))
    if base.endswith(" spa"):
        # English spa towns too: Droitwich Spa is GeoNames' Droitwich.
        variants.append((base[:-4], 0.9, "'Spa' set aside"))
    generic = _GENERIC_PARTS.sub("", base)
    if generic and generic != base:
        variants.append((generic, 0.95, "generic word set aside"))
    seen: set[str] = set()
    return [v for v in variants if v[0] and not (v[0] in seen or seen.add(v[0]))]


_NUMBERED = re.compile(r"^(.*\S)\s+([IVXLC]+|\d{1,2})$")


def district_forms(raw: str) -> list[tuple[str, str]]:
    """(district, city) readings of a name that places a district in its city.

    "Pudong (Shanghai)", "Tokyo – Kōtō", "Vienna 19 – Döbling", "Prague 1": the gazetteer lists cities,
    rarely their districts, so the district becomes a new place within the city.
    """
    found = []
    bare = BRACKETS.sub(" ", raw).strip()
    for qualifier in BRACKETS.findall(raw):
        if match_key(qualifier) not in DESCRIPTIVE_QUALIFIERS:
            found.append((bare, qualifier.strip()))
    dashed = _DASH.split(bare)
    if len(dashed) == 2:
        numbered = _NUMBERED.match(dashed[0])
        found.append((dashed[1], numbered.group(1) if numbered else dashed[0]))
    numbered = _NUMBERED.match(bare)
    if numbered and len(dashed) == 1:
        found.append((bare, numbered.group(1)))
    return found


# The unit words after which a name is its seat town's ("Kętrzyn County", "Lippe (district)").
SEAT_KIND = re.compile(r"\s+(county|district|raion|rayon)$")
# Russian districts are named with their seat's adjective: Gatchinsky (Gatchina), Yeysky (Yeysk), Lgovsky (Lgov).
_ADJECTIVE = re.compile(r"(skiy|skoy|skii|sky|ski)$")


def seat_forms(stem: str, hyphenated: bool = False) -> list[tuple[str, bool]]:
    """(town name, whether derived) a unit's name may stand for: itself, the town a Russian adjective is made
    from, or the first town of a hyphenated compound (Siegen of Siegen-Wittgenstein)."""
    forms = [(stem, False)]
    found = _ADJECTIVE.search(stem)
    if found and len(stem) - len(found.group(1)) >= 3:
        root = stem[: found.start()]
        forms += [(root + ending, True) for ending in ("sk", "", "a", "o", "y", "i", "e")]
    if hyphenated and " " in stem:
        forms.append((stem.split(" ", 1)[0], True))
    return forms


def context(raw: str) -> list[str]:
    """What a raw name says of where the place lies: bracket qualifiers, the city before a dash, the comma's rest."""
    said = [q.strip() for q in BRACKETS.findall(raw) if match_key(q) not in DESCRIPTIVE_QUALIFIERS]
    bare = BRACKETS.sub(" ", raw).strip()
    dashed = _DASH.split(bare)
    if len(dashed) == 2:
        said.append(_NUMBERED.sub(r"\1", dashed[0].strip()))
    comma = [part.strip() for part in bare.split(",") if part.strip()]
    if len(comma) >= 2:
        said.append(", ".join(comma[1:]))
    return [text for text in said if text]
