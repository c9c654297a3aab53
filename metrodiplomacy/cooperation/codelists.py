"""The codelists a cooperation project uses, read from the CSV files in `data/` (see data/README.md for origins).

No Django here: the analysis layer and the IATI importer read the same tables.
"""

import csv
import functools
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def dac_sectors() -> dict[str, str]:
    """DAC 5-digit purpose code -> English name."""
    with open(DATA / "dac_sectors.csv", encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


@functools.cache
def sdg_goals() -> dict[int, str]:
    """Sustainable Development Goal number -> short title."""
    with open(DATA / "sdg_goals.csv", encoding="utf-8") as handle:
        return {int(row["goal"]): row["name"] for row in csv.DictReader(handle)}


def sector_name(vocabulary: str, code: str) -> str:
    """The name of a DAC purpose code; empty for other vocabularies and for codes the list lacks."""
    return dac_sectors().get(code, "") if vocabulary == "1" else ""
