"""Precision of the automatic twinning matches, from a seeded sample checked by hand (not a test).

    .venv/bin/python bench/twinning_precision.py            # precision from bench/twinning_precision_sample.csv
    .venv/bin/python bench/twinning_precision.py --draw     # draw the sample again (keeps verdicts already given)

The sample is the first 200 sides the matcher matched on its own, in a seeded random order (seed 7)
of every side of every row of the shared file, plus strata of 40 (`STRATA`): administrative areas,
localities of the countries-states-cities layer, settlements of the postal-code layer, units named after
their seat, and homonyms told apart by the place the name gives. A reviewer
writes `right`, `wrong` or `unsure` in `verdict` and why in `why`; the precision is the share of
`right`, per stratum (`unsure` counts against it; the figure without the unsure rows is printed beside).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "bench" / "twinning_precision_sample.csv"
DEFAULT_FILE = ROOT.parent / "shared" / "data" / "twin_cities_raw.csv"
SEED = 7
SIZE = 200
NARROWED = "narrowed"
# Strata drawn beyond the first SIZE matches: each layer or rule is too rare in the file (2 % of matches or
# less) for 200 random draws to say much about it. "narrowed" holds homonyms told apart by the region or
# town the name gives ("Friedberg, Hesse"), whatever layer they come from.
STRATA = {"admin area": 40, "locality": 40, "postal": 40, "seat": 40, NARROWED: 40}
COLUMNS = (
    "stratum",
    "line",
    "raw_name",
    "raw_country",
    "twinned_with",
    "matched_to",
    "point",
    "kind",
    "confidence",
    "reason",
    "verdict",
    "why",
)


def draw(path: Path) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metrodiplomacy.settings")
    import django

    django.setup()
    from metrodiplomacy.importers.twinning.reader import read_pairs
    from metrodiplomacy.importers.twinning.report import match_pairs
    from metrodiplomacy.places.matching import Matcher

    # Every side of every row in a seeded order, the matched ones kept: a change to the matcher changes
    # only the rows whose match it changes, so verdicts already given stay with their rows.
    sides = [
        (pair.row.line, name, country, match, pair.row)
        for pair in match_pairs(read_pairs(path), Matcher({}))
        for (name, country), match in zip(pair.row.sides, (pair.first, pair.second), strict=True)
    ]
    random.Random(SEED).shuffle(sides)
    matched = [side for side in sides if side[3].is_matched]
    chosen = [("random", side) for side in matched[:SIZE]]
    for stratum, size in STRATA.items():
        if stratum == NARROWED:
            found = [
                side
                for side in matched[SIZE:]
                if " the one in " in side[3].reason or " the one near " in side[3].reason
            ]
        else:
            found = [side for side in matched[SIZE:] if kind_of(side[3]) == stratum]
        chosen += [(stratum, side) for side in found[:size]]
    rows = []
    for stratum, (line, name, country, match, row) in chosen:
        partner = f"{row.city2}, {row.country2}" if name == row.city1 else f"{row.city1}, {row.country1}"
        place = match.area or match.city
        point = f"{place.latitude:.3f} {place.longitude:.3f}" if place and place.latitude is not None else "none"
        rows.append(
            {
                "stratum": stratum,
                "line": line,
                "raw_name": name,
                "raw_country": country,
                "twinned_with": partner,
                "matched_to": match.label,
                "point": point,
                "kind": kind_of(match),
                "confidence": match.confidence,
                "reason": match.reason,
                "verdict": "",
                "why": "",
            }
        )
    return rows


def kind_of(match) -> str:
    """Which layer or rule a match comes from, as the strata name them."""
    from metrodiplomacy.places import localities, postal

    if match.area is None:
        return "district" if match.district else "city"
    for prefix, kind in ((localities.CODE_PREFIX, "locality"), (postal.CODE_PREFIX, "postal"), ("SEAT-", "seat")):
        if match.area.code.startswith(prefix):
            return kind
    return "admin area"


def read() -> list[dict]:
    with open(SAMPLE, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def precision(rows: list[dict]) -> dict[str, dict]:
    """stratum -> counts of verdicts and the precision, `unsure` counted as wrong (and, apart, left out)."""
    result = {}
    for stratum in sorted({row["stratum"] for row in rows}):
        verdicts = [row["verdict"] for row in rows if row["stratum"] == stratum]
        right, wrong, unsure = (verdicts.count(v) for v in ("right", "wrong", "unsure"))
        checked = right + wrong + unsure
        result[stratum] = {
            "right": right,
            "wrong": wrong,
            "unsure": unsure,
            "unchecked": len(verdicts) - checked,
            "precision": round(right / checked, 4) if checked else None,
            "precision without unsure": round(right / (right + wrong), 4) if right + wrong else None,
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draw", action="store_true", help="draw the sample again, keeping verdicts given")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    args = parser.parse_args()
    if args.draw:
        given = {(r["line"], r["raw_name"], r["matched_to"]): r for r in read()} if SAMPLE.exists() else {}
        rows = draw(args.file)
        for row in rows:
            old = given.get((str(row["line"]), row["raw_name"], row["matched_to"]))
            if old:
                row["verdict"], row["why"] = old["verdict"], old["why"]
        with open(SAMPLE, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    for stratum, figures in precision(read()).items():
        print(f"{stratum}: " + ", ".join(f"{key} {value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
