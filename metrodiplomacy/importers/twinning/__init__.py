"""Twinning lists (`city1,country1,city2,country2`) in: every pair matched to the gazetteer, then written
as agreements of kind twinning between places, with a match report.

Reading and matching write nothing; the writer runs in one transaction, so a bad file or a failure
leaves the database as it was. A re-import finds every pair by its natural key and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from metrodiplomacy.places.matching import MATCHED, Matcher

from .reader import TwinningFileInvalid, read_licence, read_pairs
from .report import MatchedPair, Progress, TwinningReport, match_pairs
from .writer import Defaults, TwinningWriter

__all__ = ["TwinningFileInvalid", "TwinningReport", "import_twinning"]


def import_twinning(
    path: str | Path,
    owner=None,
    visibility: str = "public",
    publication: str = "published",
    progress: Progress | None = None,
    matcher: Matcher | None = None,
) -> TwinningReport:
    """Check, match and write a twinning file; uncertain names go to the review queue.

    Raises TwinningFileInvalid, with every problem, before anything is written.
    """
    from metrodiplomacy.places.services import match_decisions, queue_for_review

    path = Path(path)
    rows = read_pairs(path)
    if progress:
        progress("loading the gazetteer", 0, 1)
    matcher = matcher or Matcher(match_decisions())
    if progress:
        progress("loading the gazetteer", 1, 1)
    report = TwinningReport(path.name, match_pairs(rows, matcher, progress))
    writer = TwinningWriter(path, read_licence(path), Defaults(owner, visibility, publication), progress)
    with transaction.atomic():
        report.written = writer.write(report.pairs)
        report.queued = queue_for_review(_uncertain(report.pairs))
    return report


def _uncertain(pairs: list[MatchedPair]) -> dict:
    counted: dict = {}
    for pair in pairs:
        for side, match in zip(pair.row.sides, (pair.first, pair.second), strict=True):
            if match.status != MATCHED:
                _match, count = counted.get(side, (match, 0))
                counted[side] = (match, count + 1)
    return counted
