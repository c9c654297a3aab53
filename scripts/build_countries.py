"""Rebuild metrodiplomacy/places/data/countries.csv (run by hand, not at run time).

Inputs: pycountry (ISO 3166-1) and the country table of the country_converter
package (MIT licence), which carries each country's UN M49 code and sub-region.
The M49 region follows from the sub-region. The Global North / Global South
column applies the UNCTADstat grouping of economies (2022): developed economies
are the countries of Europe and Northern America plus Australia, Israel, Japan,
New Zealand and the Republic of Korea; every other economy is developing.

    pip download country_converter --no-deps -d /tmp/coco && unzip ... &&
    python scripts/build_countries.py /path/to/country_data.tsv
"""

import csv
import pathlib
import re
import sys

import pycountry

REGION_OF_SUBREGION = {
    "Northern Africa": "Africa",
    "Eastern Africa": "Africa",
    "Middle Africa": "Africa",
    "Southern Africa": "Africa",
    "Western Africa": "Africa",
    "Caribbean": "Americas",
    "Central America": "Americas",
    "South America": "Americas",
    "Northern America": "Americas",
    "Central Asia": "Asia",
    "Eastern Asia": "Asia",
    "South-eastern Asia": "Asia",
    "Southern Asia": "Asia",
    "Western Asia": "Asia",
    "Eastern Europe": "Europe",
    "Northern Europe": "Europe",
    "Southern Europe": "Europe",
    "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania",
    "Melanesia": "Oceania",
    "Micronesia": "Oceania",
    "Polynesia": "Oceania",
}
# UNCTADstat (2022) developed economies outside Europe and Northern America.
NORTH_OUTSIDE_EUROPE_AND_NORTHERN_AMERICA = {"AU", "IL", "JP", "NZ", "KR"}


def main(tsv_path: str) -> None:
    by_iso2 = {}
    with open(tsv_path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            # A few rows carry a regex of codes (GB or UK, GR or EL).
            for code in re.findall(r"[A-Z]{2}", row["ISO2"]):
                by_iso2.setdefault(code, row)
    out = pathlib.Path(__file__).resolve().parent.parent / "metrodiplomacy/places/data/countries.csv"
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["iso2", "iso3", "m49", "name", "region", "subregion", "global_group"])
        for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
            row = by_iso2.get(country.alpha_2)
            subregion = row["UNregion"] if row else ""
            region = REGION_OF_SUBREGION.get(subregion, "")
            if country.alpha_2 == "AQ":
                region, subregion = "", ""
            north = region == "Europe" or subregion == "Northern America"
            north = north or country.alpha_2 in NORTH_OUTSIDE_EUROPE_AND_NORTHERN_AMERICA
            group = "" if not region else ("north" if north else "south")
            writer.writerow([country.alpha_2, country.alpha_3, country.numeric, country.name, region, subregion, group])


if __name__ == "__main__":
    main(sys.argv[1])
