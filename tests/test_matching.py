"""Matching free-text place names to the gazetteer: folding, variants, homonyms, districts, decisions."""

import pytest

from metrodiplomacy.places.gazetteer import CityEntry
from metrodiplomacy.places.matching import (
    AMBIGUOUS,
    MATCHED,
    UNMATCHED,
    CityIndex,
    Decision,
    Matcher,
    match_country,
    match_key,
)


def city(geonames_id, name, country, population, *alternates, latitude=0.0, longitude=0.0, admin1=""):
    return CityEntry(geonames_id, name, country, latitude, longitude, population, tuple(alternates), admin1)


CITIES = [
    city(1, "Medellín", "CO", 2_500_000, "Medellin"),
    city(2, "Frankfurt am Main", "DE", 650_000, "Frankfurt", latitude=50.1, longitude=8.7),
    city(3, "Frankfurt (Oder)", "DE", 57_000, latitude=52.3, longitude=14.5),
    city(4, "Kelkheim", "DE", 28_000),
    city(5, "Springfield", "US", 170_000, latitude=37.2, longitude=-93.3),
    city(6, "Springfield", "US", 154_000, latitude=42.1, longitude=-72.6),
    city(7, "Parkersburg", "US", 31_000, "Newport", latitude=39.3, longitude=-81.6),
    city(8, "Newport", "US", 24_000, latitude=41.5, longitude=-71.3),
    city(9, "Abidjan", "CI", 4_000_000),
    city(10, "Prague", "CZ", 1_165_000, "Praha"),
    city(11, "Shanghai", "CN", 24_000_000),
    city(12, "Saint-Denis", "RE", 147_000),
    city(13, "Brazzaville", "CG", 1_300_000),
    city(14, "Manchester", "GB", 395_000),
    city(15, "Thessaloniki", "GR", 354_000),
    city(16, "Komárno", "SK", 32_000, latitude=47.76, longitude=18.13),
    city(17, "Komárno", "SK", 32_000, latitude=47.77, longitude=18.12),
]


@pytest.fixture(scope="module")
def matcher():
    return Matcher(index=CityIndex({entry.geonames_id: entry for entry in CITIES}))


def test_it_folds_case_accents_and_punctuation():
    assert match_key("MEDELLÍN") == match_key("medellin") == "medellin"
    assert match_key("Frankfurt (Oder)") == "frankfurt oder"
    assert match_key("Saint-Denis") == "saint denis"


@pytest.mark.parametrize(
    ("raw", "codes"),
    [
        ("Ivory Coast", ("CI",)),
        ("Czech Republic", ("CZ",)),
        ("South Korea", ("KR",)),
        ("Russia", ("RU",)),
        ("Republic of the Congo", ("CG",)),
        ("Democratic Republic of the Congo", ("CD",)),
        ("England", ("GB",)),
        ("Scotland, United Kingdom", ("GB",)),
        ("Georgia (country)", ("GE",)),
        ("Burma", ("MM",)),
        ("Kosovo", ("XK",)),
        ("Réunion, France", ("RE", "FR")),
        ("DE", ("DE",)),
    ],
)
def test_it_reads_country_variants_and_historic_names(raw, codes):
    assert match_country(raw).codes == codes
    assert match_country(raw).confidence == 1.0


def test_a_state_brings_its_overseas_territories_after_itself():
    codes = match_country("France").codes
    assert codes[0] == "FR" and "RE" in codes[1:]
    assert match_country("Finland").codes == ("FI", "AX")


def test_it_reads_a_misspelt_country_with_less_confidence():
    found = match_country("Grece")
    assert found.codes == ("GR",) and found.confidence < 1 and "misspelt" in found.reason


def test_it_says_when_no_country_is_known():
    assert match_country("Atlantis").codes == ()
    assert "unknown country" in match_country("Atlantis").reason


def test_an_exact_name_matches_with_full_confidence(matcher):
    match = matcher.match("MEDELLIN", "Colombia")
    assert (match.status, match.city.geonames_id, match.confidence) == (MATCHED, 1, 1.0)


def test_a_bracket_qualifier_that_is_part_of_the_name_picks_the_right_homonym(matcher):
    assert matcher.match("Frankfurt (Oder)", "Germany").city.geonames_id == 3
    assert matcher.match("Frankfurt", "Germany").city.geonames_id == 2


def test_a_descriptive_bracket_qualifier_is_set_aside(matcher):
    match = matcher.match("Kelkheim (Taunus)", "Germany")
    assert match.city.geonames_id == 4 and match.status == MATCHED
    assert "qualifier 'Taunus' set aside" in match.reason


def test_homonyms_of_similar_population_are_ambiguous(matcher):
    match = matcher.match("Springfield", "United States")
    assert match.status == AMBIGUOUS and match.city.geonames_id == 5
    assert match.confidence < 0.8 and "2 places of that name" in match.reason


def test_a_place_named_so_beats_one_that_only_has_it_as_an_alternate_name(matcher):
    assert matcher.match("Newport", "United States").city.geonames_id == 8


def test_one_town_listed_twice_nearby_is_not_a_homonym(matcher):
    assert matcher.match("Komárno", "Slovakia").status == MATCHED


def test_a_district_named_with_its_city_becomes_a_district_of_that_city(matcher):
    for raw in ("Pudong (Shanghai)", "Shanghai – Pudong"):
        match = matcher.match(raw, "China")
        assert (match.status, match.city.geonames_id, match.district) == (MATCHED, 11, "Pudong")
    numbered = matcher.match("Prague 1", "Czech Republic")
    assert (numbered.city.geonames_id, numbered.district) == (10, "Prague 1")


def test_a_misspelt_city_matches_by_fuzzy_spelling_with_a_reason(matcher):
    match = matcher.match("Thesaloniki", "Greece")
    assert match.city.geonames_id == 15 and "spelling close" in match.reason
    assert 0 < match.confidence < 1


def test_a_city_in_a_territory_named_with_its_state_is_found(matcher):
    assert matcher.match("Saint-Denis", "Réunion, France").city.geonames_id == 12


def test_a_row_whose_columns_slipped_is_read_from_the_city_column(matcher):
    assert matcher.match("Manchester, England", "").city.geonames_id == 14


def test_an_unknown_place_is_unmatched_with_the_reason(matcher):
    match = matcher.match("Atlantisville", "Greece")
    assert match.status == UNMATCHED and match.city is None
    assert "no place called 'Atlantisville' in GR" in match.reason


def test_reviewers_decisions_win_over_every_rule():
    index = CityIndex({entry.geonames_id: entry for entry in CITIES})
    decisions = {
        (match_key("Springfield"), match_key("United States")): Decision("accepted", geonames_id=6, place_id=60),
        (match_key("Medellin"), match_key("Colombia")): Decision("rejected"),
    }
    matcher = Matcher(decisions, index=index)
    accepted = matcher.match("Springfield", "United States")
    assert (accepted.status, accepted.city.geonames_id, accepted.place_id) == (MATCHED, 6, 60)
    assert matcher.match("Medellín", "Colombia").status == UNMATCHED


def area_matcher():
    cities = [
        city(20, "Arlington", "US", 395_000, latitude=32.7, longitude=-97.1, admin1="TX"),
        city(21, "Arlington", "US", 236_000, latitude=38.88, longitude=-77.1, admin1="VA"),
        city(22, "Miami", "US", 440_000, latitude=25.8, longitude=-80.2, admin1="FL"),
        city(23, "Bromley", "GB", 87_000, latitude=51.4, longitude=0.02),
        city(24, "Waterloo", "US", 68_000, latitude=42.5, longitude=-92.3, admin1="IA"),
        city(25, "Austin", "US", 974_000, "Waterloo", latitude=30.3, longitude=-97.7, admin1="TX"),
    ]
    return Matcher(index=CityIndex({entry.geonames_id: entry for entry in cities}))


def test_a_london_borough_is_matched_as_an_admin_area_less_surely_than_a_city():
    found = area_matcher().match("Haringey", "England")
    assert found.status == MATCHED and found.area.code == "GB-HRY" and found.city is None
    assert 0.8 <= found.confidence < 1.0 and "administrative area" in found.reason
    # No town of that name to stand for it: no point rather than a made-up one.
    assert found.area.latitude is None and found.area.located_by == ""


def test_a_city_wins_over_the_admin_area_of_the_same_name():
    found = area_matcher().match("Bromley", "England")
    assert found.city.geonames_id == 23 and found.area is None


def test_an_admin_area_is_only_matched_in_its_own_country():
    assert area_matcher().match("Haringey", "France").status == UNMATCHED


def test_a_name_that_says_county_gets_the_county_not_the_town_it_starts_with():
    found = area_matcher().match("Miami-Dade County", "United States")
    assert found.status == MATCHED and found.area.code == "US-12086"


def test_a_county_named_after_its_seat_takes_the_seats_point_in_the_same_state():
    found = area_matcher().match("Arlington County", "United States")
    assert found.area.code == "US-51013"
    assert (found.area.latitude, found.area.longitude) == (38.88, -77.1)  # Virginia's Arlington, not Texas'
    assert "seat Arlington" in found.area.located_by


def test_homonymous_counties_are_not_matched_on_their_own():
    found = area_matcher().match("Washington County", "United States")
    assert found.status == AMBIGUOUS and found.area is None


def test_an_old_alternate_name_never_beats_a_town_so_named():
    found = area_matcher().match("Waterloo", "United States")
    assert found.city.name == "Waterloo"


def test_a_name_that_says_municipality_is_not_matched_to_an_area_of_another_kind():
    # LV-JEL is the state city of Jelgava; "Jelgava Municipality" is the municipality around it.
    found = area_matcher().match("Jelgava Municipality", "Latvia")
    assert found.area is None or found.area.code != "LV-JEL"
    assert area_matcher().match("Jelgava", "Latvia").area.code == "LV-JEL"


def test_a_county_is_not_read_as_its_seat_town():
    matcher = Matcher(index=CityIndex({30: city(30, "Głubczyce", "PL", 13_000)}))
    assert matcher.match("Głubczyce County", "Poland").status == UNMATCHED


def test_the_hand_checked_precision_sample_is_complete_and_recomputes():
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "bench" / "twinning_precision.py"
    spec = importlib.util.spec_from_file_location("twinning_precision", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.read()
    assert [row["stratum"] for row in rows].count("random") == module.SIZE
    assert all(row["verdict"] in ("right", "wrong", "unsure") and row["why"] for row in rows)
    figures = module.precision(rows)["random"]
    assert figures["right"] + figures["wrong"] + figures["unsure"] == module.SIZE
    assert figures["precision"] == round(figures["right"] / module.SIZE, 4)
