"""Matching every row of a twinning list, and the report of what matched, what did not, and why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from metrodiplomacy.analysis.tables import Table
from metrodiplomacy.exports import write_csv
from metrodiplomacy.places.matching import AMBIGUOUS, MATCHED, UNMATCHED, Match, Matcher

from .reader import PairRow

SAME_PLACE = "same place"
REPEATED = "repeated"
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class MatchedPair:
    row: PairRow
    first: Match
    second: Match
    outcome: str  # matched, ambiguous, unmatched, same place or repeated

    @property
    def reason(self) -> str:
        parts = []
        for label, (name, country), match in (
            ("city1", self.row.sides[0], self.first),
            ("city2", self.row.sides[1], self.second),
        ):
            if not match.is_matched:
                parts.append(f"{label} {name!r} ({country or 'no country'}): {match.status}, {match.reason}")
        if self.outcome == SAME_PLACE:
            parts.append(f"both sides are {self.first.label}")
        if self.outcome == REPEATED:
            parts.append("the same pair appears on an earlier row")
        return "; ".join(parts)


@dataclass
class TwinningReport:
    """What an import matched and wrote; `table()` is the match report printed after an import."""

    file: str
    pairs: list[MatchedPair] = field(default_factory=list)
    written: Counter = field(default_factory=Counter)
    queued: int = 0

    def outcomes(self) -> Counter:
        return Counter(pair.outcome for pair in self.pairs)

    @property
    def matched_pairs(self) -> int:
        """Rows whose two places both matched: written, repeating a written pair, or naming one place twice."""
        outcomes = self.outcomes()
        return outcomes[MATCHED] + outcomes[REPEATED] + outcomes[SAME_PLACE]

    @property
    def match_rate(self) -> float:
        return self.matched_pairs / len(self.pairs) if self.pairs else 0.0

    def side_statuses(self) -> Counter:
        names: dict[tuple[str, str], str] = {}
        for pair in self.pairs:
            names[pair.row.sides[0]] = pair.first.status
            names[pair.row.sides[1]] = pair.second.status
        return Counter(names.values())

    def table(self) -> Table:
        outcomes, names = self.outcomes(), self.side_statuses()
        total = len(self.pairs)
        rows = [
            ("pairs in the file", total, 1.0 if total else None),
            ("both places matched", outcomes[MATCHED], _share(outcomes[MATCHED], total)),
            ("a place is ambiguous (review queue)", outcomes[AMBIGUOUS], _share(outcomes[AMBIGUOUS], total)),
            ("a place is unmatched", outcomes[UNMATCHED], _share(outcomes[UNMATCHED], total)),
            ("both sides are the same place", outcomes[SAME_PLACE], _share(outcomes[SAME_PLACE], total)),
            ("pair repeated on an earlier row", outcomes[REPEATED], _share(outcomes[REPEATED], total)),
            ("distinct names matched", names[MATCHED], None),
            ("distinct names ambiguous", names[AMBIGUOUS], None),
            ("distinct names unmatched", names[UNMATCHED], None),
        ]
        rows += [(f"{what} written", count, None) for what, count in sorted(self.written.items())]
        rows.append(("names waiting in the review queue (new or changed)", self.queued, None))
        notes = [
            f"A pair is written when both of its places match with confidence of at least 0.8: "
            f"{self.matched_pairs} of {total} rows matched ({self.match_rate:.1%}), "
            f"{outcomes[REPEATED]} of them repeating a pair listed earlier (cited on the same agreement).",
            "Ambiguous and unmatched names wait for `metrodip places review`; decisions apply to the next import.",
        ]
        return Table.build(f"Twinning import of {self.file}", ("outcome", "count", "share"), rows, notes)

    def reasons_table(self, limit: int = 15) -> Table:
        """The commonest reasons names did not match, by their first clause."""
        counted: Counter = Counter()
        for pair in self.pairs:
            for match in (pair.first, pair.second):
                if not match.is_matched:
                    counted[(match.status, _reason_kind(match.reason))] += 1
        rows = [(status, reason, count) for (status, reason), count in counted.most_common(limit)]
        return Table.build("Why places did not match (sides of pairs)", ("status", "reason", "sides"), rows)

    def write_csv(self, path: Path) -> int:
        """Every row left out (a place unmatched or ambiguous, or both sides one place), with its reason."""
        unwritten = [pair for pair in self.pairs if pair.outcome in (UNMATCHED, AMBIGUOUS, SAME_PLACE)]
        with open(path, "w", newline="", encoding="utf-8") as handle:
            # Names come from the scraped file: one starting with "=" must not run in a spreadsheet.
            write_csv(
                handle,
                ["line", "city1", "country1", "city2", "country2", "outcome", "reason", "proposals"],
                (_report_row(pair) for pair in unwritten),
            )
        return len(unwritten)


def _report_row(pair: MatchedPair) -> list:
    row = pair.row
    proposals = " | ".join(match.label for match in (pair.first, pair.second) if match.label)
    return [row.line, row.city1, row.country1, row.city2, row.country2, pair.outcome, pair.reason, proposals]


def match_pairs(rows: list[PairRow], matcher: Matcher, progress: Progress | None = None) -> list[MatchedPair]:
    """Match both places of every row, and tell what becomes of the pair."""
    seen: set[tuple[str, str]] = set()
    pairs = []
    for number, row in enumerate(rows, start=1):
        first, second = matcher.match(*row.sides[0]), matcher.match(*row.sides[1])
        if first.is_matched and second.is_matched:
            a, b = place_identity(first), place_identity(second)
            if a == b:
                outcome = SAME_PLACE
            elif (min(a, b), max(a, b)) in seen:
                outcome = REPEATED
            else:
                seen.add((min(a, b), max(a, b)))
                outcome = MATCHED
        elif UNMATCHED in (first.status, second.status):
            outcome = UNMATCHED
        else:
            outcome = AMBIGUOUS
        pairs.append(MatchedPair(row, first, second, outcome))
        if progress and (number % 500 == 0 or number == len(rows)):
            progress("matching", number, len(rows))
    return pairs


def place_identity(match: Match) -> str:
    """A stable name for the place a match leads to: it makes the agreement's natural key."""
    from .writer import district_slug

    if match.place_id is not None and (match.city is None or match.district):
        return f"p{match.place_id}"
    if match.area is not None:
        return f"adm-{match.area.code}"
    if match.city is None:
        raise ValueError("an unmatched name has no place")
    if match.district:
        return f"gn{match.city.geonames_id}-{district_slug(match.district)}"
    return f"gn{match.city.geonames_id}"


def _share(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def _reason_kind(reason: str) -> str:
    first = reason.split(";")[0]
    for marker in ("no place called", "places of that name", "spelling close", "names a country", "unknown country"):
        if marker in reason:
            return {
                "no place called": "not in the gazetteer for that country",
                "places of that name": "homonyms of similar population",
                "spelling close": "only a close spelling found",
                "names a country": "names a country or territory, not a city",
                "unknown country": "unknown country",
            }[marker]
    return first
