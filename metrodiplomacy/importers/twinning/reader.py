"""Read a twinning list (`city1,country1,city2,country2`) and check every row before anything is written."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from metrodiplomacy.importers.datapackage.reader import PackageInvalid, Problem

HEADER = ("city1", "country1", "city2", "country2")
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_NAME_LENGTH = 200


class TwinningFileInvalid(PackageInvalid):
    """A twinning file with problems: nothing of it was written."""


@dataclass(frozen=True)
class PairRow:
    """One row of the file; `line` is its line number in the file (the header is line 1)."""

    line: int
    city1: str
    country1: str
    city2: str
    country2: str

    @property
    def sides(self) -> tuple[tuple[str, str], tuple[str, str]]:
        return (self.city1, self.country1), (self.city2, self.country2)


@dataclass(frozen=True)
class Licence:
    """What a licence file beside the data says: its name and the copyright line."""

    name: str
    holder: str
    year: int | None


def read_pairs(path: Path) -> list[PairRow]:
    """Every row of the file; raise TwinningFileInvalid listing every problem (file, row, column, reason)."""
    name = path.name
    if path.stat().st_size > MAX_FILE_BYTES:
        raise TwinningFileInvalid([Problem(name, None, "", f"larger than {MAX_FILE_BYTES // 2**20} MiB")])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise TwinningFileInvalid([Problem(name, None, "", f"not UTF-8 text ({error.reason})")]) from error
    reader = csv.reader(text.splitlines())
    header = tuple(cell.strip().lower() for cell in next(reader, ()))
    if header != HEADER:
        reason = f"the header must be {','.join(HEADER)}; found {','.join(header) or 'nothing'}"
        raise TwinningFileInvalid([Problem(name, 1, "", reason)])
    rows: list[PairRow] = []
    problems: list[Problem] = []
    for line, cells in enumerate(reader, start=2):
        if not cells or not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(HEADER):
            problems.append(Problem(name, line, "", f"{len(cells)} cells where {len(HEADER)} are expected"))
            continue
        values = [cell.strip() for cell in cells]
        for column, value in zip(HEADER, values, strict=True):
            if column.startswith("city") and not value:
                problems.append(Problem(name, line, column, "empty city name"))
            elif len(value) > MAX_NAME_LENGTH:
                problems.append(Problem(name, line, column, f"longer than {MAX_NAME_LENGTH} characters"))
        rows.append(PairRow(line, *values))
    if not rows and not problems:
        problems.append(Problem(name, None, "", "no pairs in the file"))
    if problems:
        raise TwinningFileInvalid(problems)
    return rows


def read_licence(path: Path) -> Licence | None:
    """The licence file beside the data (`twin_cities_LICENSE.txt` for `twin_cities_raw.csv`), if any."""
    stem = path.stem.split("_raw")[0]
    for candidate in sorted(path.parent.glob("*LICEN[CS]E*")):
        if not candidate.is_file() or not candidate.name.startswith(stem.split("_")[0]):
            continue
        lines = [line.strip() for line in candidate.read_text(encoding="utf-8", errors="replace").splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            continue
        copyright_line = next((line for line in lines if line.lower().startswith("copyright")), "")
        found = re.match(r"copyright\s*(?:\(c\)|©)?\s*(\d{4})?\s*(.*)", copyright_line, re.I)
        year = int(found.group(1)) if found and found.group(1) else None
        holder = found.group(2).strip() if found else ""
        return Licence(lines[0], holder, year)
    return None
