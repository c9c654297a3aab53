"""The bundled case-study package: complete, cited, and every citation pointing at real lines."""

import csv
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from metrodiplomacy.diplomacy.models import NetworkMembership
from metrodiplomacy.evidence.models import CaseStudy, Citation, RelianceCoding
from metrodiplomacy.importers.datapackage import check_package_at
from metrodiplomacy.importers.datapackage.spec import tables
from metrodiplomacy.places import gazetteer
from metrodiplomacy.places.gazetteer import normalise
from metrodiplomacy.places.models import Statistic

PACKAGE = settings.CASESTUDIES_DIR
SEEDS = settings.SEEDS_DIR


def read(name: str) -> list[dict]:
    path = PACKAGE / f"{name}.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def seed_lines(file_name: str) -> list[str]:
    return (SEEDS / file_name).read_text(encoding="utf-8").split("\n")


WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty"
).split()
TENS = {
    30: "thirty",
    40: "forty",
    50: "fifty",
    60: "sixty",
    70: "seventy",
    80: "eighty",
    90: "ninety",
    100: "hundred",
}


def number_forms(value: str) -> set[str]:
    """How a figure may be printed in a seed: 1051.5 → '1051.5', '1,051.5'; 0.7 → '0,7'; 13 → 'thirteen'."""
    number = Decimal(value)
    plain = format(number.normalize(), "f")
    forms = {plain, plain.replace(".", ",")}
    whole, _dot, fraction = plain.partition(".")
    grouped = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    forms |= {grouped, grouped.replace(",", " ")}
    if number == int(number) and int(number) < len(WORDS):
        forms.add(WORDS[int(number)])
    if number == int(number) and int(number) in TENS:
        forms.add(TENS[int(number)])
    return forms


@pytest.mark.django_db
def test_the_bundled_package_has_no_problem():
    assert check_package_at(PACKAGE) == []


def test_every_fact_row_is_cited():
    cited = {row["record"] for row in read("citations")}
    for table in tables():
        if not table.needs_citation:
            continue
        for row in read(table.name):
            assert f"{table.name}/{row['id']}" in cited, f"{table.file} row {row['id']} has no citation"


def test_every_citation_range_exists_in_its_seed_file():
    sources = {row["id"]: row["file"] for row in read("sources")}
    lengths = {name: len(seed_lines(name)) for name in set(sources.values()) if name}
    for row in read("citations"):
        start, _dash, end = row["lines"].partition("-")
        start, end = int(start), int(end or start)
        assert 1 <= start <= end <= lengths[sources[row["source"]]], row


def _names_of(table_name: str) -> dict[str, set[str]]:
    """Every way a record of the table can be named: name, acronym, alternate forms."""
    names: dict[str, set[str]] = {}
    for row in read(table_name):
        forms = {row.get("name", ""), row.get("acronym", ""), row.get("title", "")}
        # "ICLEI – Local Governments for Sustainability" is printed as either half.
        forms |= {part.strip(" )") for f in list(forms) for part in re.split(r" – | \(", f)}
        names[row["id"]] = {normalise(f) for f in forms if len(f) > 2}
    return names


def _candidates(table_name: str, row: dict, names: dict) -> set[str]:
    """The names and figures a citation of this row may show: its own and those of what it refers to."""
    found = set(names.get(table_name, {}).get(row.get("id"), set()))
    for column, value in row.items():
        if not value or column in {"id", "flag", "note", "rationale", "description"}:
            continue
        for table in ("places", "organisations", "sources"):
            for key in value.split(";"):
                found |= names[table].get(key, set())
                # An organisation may be named by its city ("the city is involved with…").
                found |= (
                    names["places"].get(names["home_place"].get(key, ""), set()) if table == "organisations" else set()
                )
        if re.fullmatch(r"-?\d+(\.\d+)?", value):
            found |= number_forms(value)
        elif column in {"name", "title", "acronym", "ranking", "measure"}:
            found.add(normalise(value))
            found |= {normalise(word) for word in value.split() if len(word) >= 4}
    return {f for f in found if f}


def test_citations_point_at_lines_naming_the_record_or_its_figure():
    """Each cited range must contain the record's name, a named party or its key figure.

    Paraphrased evidence (a figure spelt in words, a short form) is allowed only when the
    record has another citation that does name it: no record rests only on such passages.
    """
    sources = {row["id"]: row["file"] for row in read("sources")}
    texts = {name: seed_lines(name) for name in set(sources.values()) if name}
    names = {t: _names_of(t) for t in ("places", "organisations", "sources")}
    names["home_place"] = {row["id"]: row["home_place"] for row in read("organisations")}
    for place_row in read("places"):
        names["places"][place_row["id"]].add(normalise(place_row["name"].split(" (")[0]))
        city = gazetteer.find_city(place_row["name"], place_row["country"]) if place_row["kind"] != "country" else None
        # GeoNames alternate names: the seeds write eThekwini for Durban, Montreal without its accent.
        names["places"][place_row["id"]] |= {normalise(n) for n in (city.alternate_names if city else ()) if len(n) > 3}
    rows = {f"{t.name}/{r['id']}": (t.name, r) for t in tables() if t.is_record for r in read(t.name)}
    rows |= {f"places/{r['id']}": ("places", r) for r in read("places")}
    hits: Counter = Counter()
    total: Counter = Counter()
    for citation in read("citations"):
        table_name, row = rows[citation["record"]]
        start, _dash, end = citation["lines"].partition("-")
        text = normalise(" ".join(texts[sources[citation["source"]]][int(start) - 1 : int(end or start)]))
        total[citation["record"]] += 1
        if any(candidate in text for candidate in _candidates(table_name, row, names)):
            hits[citation["record"]] += 1
    unsupported = sorted(record for record in total if hits[record] == 0)
    assert unsupported == [], f"records no citation of which names them: {unsupported}"
    share = sum(hits.values()) / sum(total.values())
    assert share > 0.9, f"only {share:.0%} of citations name their record or its figure"


def test_no_fact_is_recorded_twice():
    for table in tables():
        if not table.is_record:
            continue
        seen = {}
        for row in read(table.name):
            content = tuple(sorted((k, v) for k, v in row.items() if k not in {"id", "flag"}))
            assert content not in seen, f"{table.file}: {row['id']} repeats {seen[content]}"
            seen[content] = row["id"]


def test_it_holds_the_28_codings_of_figure_11(casestudies):
    codings = RelianceCoding.objects.filter(coder="Blake Ledna")
    assert codings.count() == 28
    assert {c.place.key for c in codings} == {"buenos-aires", "guangzhou", "los-angeles", "paris"}
    assert Counter(c.policy_area.code for c in codings) == Counter(
        {
            code: 4
            for code in (
                "economic",
                "security",
                "tourism",
                "cultural",
                "migration",
                "environmental",
                "sports",
            )
        }
    )


def test_it_holds_the_profile_figures_of_figures_1_4_7_and_9(casestudies):
    for city in ("buenos-aires", "guangzhou", "los-angeles", "paris"):
        for metric in ("population", "gdp"):
            years = set(Statistic.objects.filter(place__key=city, metric=metric).values_list("year", flat=True))
            assert {2010, 2025} <= years, (city, metric, years)


def _cited_in(model, source: str, first: int, last: int):
    ids = Citation.objects.filter(
        content_type__model=model._meta.model_name,
        source__key=source,
        line_start__gte=first,
        line_end__lte=last,
    ).values("object_id")
    return model.objects.filter(pk__in=ids)


def test_it_holds_all_26_rows_of_the_study_network_table(casestudies):
    rows = _cited_in(NetworkMembership, "cidob-study-2019", 948, 965).filter(is_prioritised=True)
    assert rows.count() == 26
    per_member = Counter(rows.values_list("member__key", flat=True))
    assert per_member["seoul-metropolitan-government"] == 8
    assert per_member["ethekwini-municipality"] == 3


def test_it_holds_every_unit_row_of_the_study_table(casestudies):
    from metrodiplomacy.actors.models import Unit

    units = _cited_in(Unit, "cidob-study-2019", 813, 836)
    staff = sorted(u.staff for u in units if u.staff is not None)
    # The table lists 13 units with a head count (eThekwini's row is empty).
    for figure in (53, 18, 4, 40, 10, 40, 5, 40, 12, 18, 16, 14, 12):
        assert figure in staff
    assert len([u for u in units if u.staff is not None]) >= 13


def test_the_ten_metropolises_are_case_studies(casestudies):
    places = set(CaseStudy.objects.values_list("place__key", flat=True))
    assert places == {
        "buenos-aires",
        "guangzhou",
        "los-angeles",
        "paris",
        "durban",
        "medellin",
        "montreal",
        "seoul",
        "vienna",
        "barcelona-metropolitan-area",
    }


def test_contradicting_passages_are_both_recorded_and_flagged(casestudies):
    from metrodiplomacy.actors.models import Unit

    seoul = Unit.objects.filter(
        organisation__key="seoul-metropolitan-government", name="International Cooperation Bureau"
    )
    assert {u.budget_currency for u in seoul} == {"EUR", "USD"}
    assert all(u.flag for u in seoul)


def test_the_package_holds_no_sentence_of_the_seeds():
    """No run of 12 words of a seed appears in the package (the facts are ours to use, not the sentences)."""
    words = re.compile(r"[a-z0-9áéíóúàèòïüçñ']+")
    grams = set()
    for seed in SEEDS.glob("*.txt"):
        seed_words = words.findall(seed.read_text(encoding="utf-8").lower())
        grams |= {" ".join(seed_words[i : i + 12]) for i in range(len(seed_words) - 11)}
    for path in Path(PACKAGE).glob("*.csv"):
        package_words = words.findall(path.read_text(encoding="utf-8").lower())
        copied = [" ".join(package_words[i : i + 12]) for i in range(len(package_words) - 11)]
        assert not grams.intersection(copied), path.name
