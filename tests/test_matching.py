"""Matching free-text place names to the gazetteer: folding, variants, homonyms, districts, decisions."""

import pytest

from metrodiplomacy.places.gazetteer import CityEntry
from metrodiplomacy.places.matching import (
    ADMIN_AREA_WEIGHT,
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


def test_a_county_is_not_read_as_its_seat_town_but_placed_there():
    matcher = Matcher(index=CityIndex({30: city(30, "Głubczyce", "PL", 13_000, latitude=50.2, longitude=17.8)}))
    found = matcher.match("Głubczyce County", "Poland")
    assert found.city is None and found.area.kind == "County" and found.area.name == "Głubczyce County"
    assert (found.area.latitude, found.area.longitude) == (50.2, 17.8)
    assert found.confidence < ADMIN_AREA_WEIGHT and found.is_matched


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
    for stratum, size in module.STRATA.items():
        assert [row["stratum"] for row in rows].count(stratum) == size, stratum


class FakeLocalities:
    """The countries-states-cities package's loader, reduced to what each test needs."""

    def __init__(self, states: dict[str, list[dict]], cities: dict[tuple[str, str], list[dict]]):
        self.states, self.cities = states, cities

    def load_states(self, iso2):
        return self.states.get(iso2, [])

    def load_cities(self, iso2, state_code):
        return self.cities.get((iso2, state_code), [])


def locality(entry_id, name, latitude, longitude):
    return {"id": entry_id, "name": name, "latitude": str(latitude), "longitude": str(longitude)}


def locality_matcher(cities=CITIES):
    from metrodiplomacy.places.localities import LocalityIndex

    loader = FakeLocalities(
        {
            "DK": [{"name": "Capital Region of Denmark", "state_code": "84"}],
            "AU": [{"name": "Victoria", "state_code": "VIC"}, {"name": "New South Wales", "state_code": "NSW"}],
            "US": [{"name": "Ohio", "state_code": "OH"}, {"name": "Texas", "state_code": "TX"}],
        },
        {
            ("DK", "84"): [locality(1, "Gladsaxe", 55.77, 12.43), locality(2, "Gladsaxe Kommune", 55.76, 12.45)],
            ("AU", "VIC"): [locality(3, "Bayside", -37.94, 145.02), locality(4, "Wodonga", -36.12, 146.89)],
            ("AU", "NSW"): [locality(5, "Wodonga Flat", -33.0, 151.0)],
            ("US", "OH"): [locality(6, "Liberty Township", 39.4, -84.4)],
            ("US", "TX"): [locality(7, "Liberty Township", 33.0, -97.0), locality(8, "Bad Point", "x", 0)],
        },
    )
    return Matcher(index=CityIndex({entry.geonames_id: entry for entry in cities}), localities=LocalityIndex(loader))


def test_a_municipality_missing_from_geonames_is_matched_in_the_third_layer_with_its_point():
    found = locality_matcher().match("Gladsaxe", "Denmark")
    assert found.status == MATCHED and found.city is None
    # The town and its municipality are one place listed twice: the entry named exactly so stands for it.
    assert found.area.code == "CSC-1" and (found.area.latitude, found.area.longitude) == (55.77, 12.43)
    assert found.confidence == 0.88 and "countries-states-cities" in found.reason
    assert "ODbL" in found.area.located_by


def test_the_kind_word_of_a_municipality_is_set_aside_in_the_third_layer():
    assert locality_matcher().match("Gladsaxe Municipality", "Denmark").area.code in ("CSC-1", "CSC-2")


def test_homonymous_localities_far_apart_are_left_to_a_reviewer():
    found = locality_matcher().match("Liberty Township", "United States")
    assert found.status == AMBIGUOUS and found.area is None and "2 localities" in found.reason


def test_a_division_named_by_the_list_picks_the_locality_or_none():
    found = locality_matcher().match("Bayside, Victoria", "Australia")
    assert found.status == MATCHED and found.area.code == "CSC-3" and "'Victoria'" in found.reason
    # The list says New South Wales: the Victorian Bayside is not read for it.
    assert locality_matcher().match("Bayside, New South Wales", "Australia").status == UNMATCHED
    assert locality_matcher().match("Liberty Township, Ohio", "United States").area.code == "CSC-6"


def test_a_city_and_an_area_both_win_over_a_locality_of_the_same_name():
    cities = [*CITIES, city(40, "Wodonga", "AU", 40_000)]
    assert locality_matcher(cities).match("Wodonga", "Australia").city.geonames_id == 40
    assert locality_matcher().match("Medellín", "Colombia").city.geonames_id == 1


def test_a_locality_without_a_usable_point_is_not_offered():
    assert locality_matcher().match("Bad Point", "United States").status == UNMATCHED


def test_the_shipped_database_places_istanbul_and_ankara_districts():
    found = Matcher().match("Keçiören", "Turkey")
    assert found.status == MATCHED and found.area.code.startswith("CSC-")
    assert 39.9 < found.area.latitude < 40.1 and 32.7 < found.area.longitude < 33.0  # north of central Ankara
