"""Matching what a name says beside itself: the region or town it gives, the unit it names, the last layers.

Small fake gazetteers keep each rule visible; the last tests read the shipped data.
"""

from metrodiplomacy.places.gazetteer import CityEntry
from metrodiplomacy.places.localities import LocalityIndex
from metrodiplomacy.places.matching import AMBIGUOUS, MATCHED, POSTAL_RISK, UNMATCHED, CityIndex, Matcher
from metrodiplomacy.places.postal import PostalIndex


def city(geonames_id, name, country, population, *alternates, at=(0.0, 0.0), admin1=""):
    return CityEntry(geonames_id, name, country, at[0], at[1], population, tuple(alternates), admin1)


class FakeLocalities:
    """The countries-states-cities loader: states, and their localities (which tell a point's division)."""

    def __init__(self, states, cities):
        self.states, self.cities = states, cities

    def load_states(self, iso2):
        return self.states.get(iso2, [])

    def load_cities(self, iso2, state_code):
        return self.cities.get((iso2, state_code), [])


def place(entry_id, name, at):
    return {"id": entry_id, "name": name, "latitude": str(at[0]), "longitude": str(at[1])}


HESSE, BAVARIA = (50.33, 8.75), (48.35, 10.98)
CITIES = [
    city(1, "Friedberg", "DE", 29_953, at=BAVARIA, admin1="02"),
    city(2, "Friedberg", "DE", 27_484, at=HESSE, admin1="05"),
    city(3, "Suzhou", "CN", 6_700_000, at=(31.30, 120.60)),
    city(4, "Wujiang", "CN", 0, at=(26.0, 110.0)),
    city(5, "Wujiang", "CN", 0, at=(30.0, 100.0)),
    city(6, "Portland", "US", 650_000, at=(45.52, -122.68), admin1="OR"),
    city(7, "Portland", "US", 66_000, at=(43.66, -70.26), admin1="ME"),
    city(8, "Holywell", "GB", 9_900, at=(55.0, -1.5), admin1="ENG"),
    city(9, "Holywell", "GB", 6_969, at=(53.27, -3.22), admin1="WLS"),
    city(10, "Gatchina", "RU", 92_000, at=(59.58, 30.13)),
    city(11, "Spassk-Dal'niy", "RU", 40_000, "Spassk", at=(44.6, 132.8)),
    city(12, "Spassk", "RU", 7_000, at=(53.9, 43.2)),
    city(13, "Kętrzyn", "PL", 27_000, at=(54.08, 21.38)),
    city(14, "Donghai", "CN", 50_000, at=(22.9, 115.6)),
    city(15, "Komárno", "SK", 32_287, at=(47.76, 18.13)),
    city(16, "Komárno", "SK", 32_287, at=(48.0, 18.5)),
    city(17, "Lisbon", "PT", 500_000, at=(38.7, -9.1)),
]
LOCALITIES = FakeLocalities(
    {
        "DE": [
            {"name": "Hessen", "state_code": "HE"},
            {"name": "Bavaria", "native": "Bayern", "state_code": "BY"},
            {"name": "Saxony", "state_code": "SN"},
        ],
        "US": [{"name": "Oregon", "state_code": "OR"}, {"name": "Maine", "state_code": "ME"}],
        "KR": [{"name": "Gyeonggi", "state_code": "41"}],
    },
    {
        ("DE", "HE"): [place(1, "Bad Nauheim", (50.36, 8.74))],
        ("DE", "BY"): [place(2, "Augsburg", (48.37, 10.90))],
        ("DE", "SN"): [place(6, "Dresden", (51.05, 13.74))],
        ("US", "OR"): [place(3, "Beaverton", (45.49, -122.80))],
        ("US", "ME"): [place(4, "South Portland", (43.64, -70.24))],
        ("KR", "41"): [place(5, "Yongin-si", (37.24, 127.18))],
    },
)


def postal(records: dict[str, list[dict]]) -> PostalIndex:
    return PostalIndex(reader=lambda iso2: records.get(iso2, []))


def code(number, name, division="1", at=(None, None)):
    return {"code": number, "localityName": name, "stateCode": division, "latitude": at[0], "longitude": at[1]}


POSTAL = postal(
    {
        "HU": [code("3176", "Hollókő"), code("5126", "Jászfényszaru")],
        "SE": [code("135 40", "TYRESÖ", "AB"), code("135 52", "TYRESÖ", "AB")],
        "MD": [code("MD-3824", "Copceac", "GA"), code("MD-4221", "Copceac", "SV")],
    }
)


def matcher(cities=CITIES, postal_index=POSTAL) -> Matcher:
    index = CityIndex({entry.geonames_id: entry for entry in cities})
    return Matcher(index=index, localities=LocalityIndex(LOCALITIES), postal=postal_index)


def test_a_region_the_name_gives_picks_the_homonym_that_lies_in_it():
    found = matcher().match("Friedberg, Hesse", "Germany")  # "Hesse": a letter from the database's "Hessen"
    assert found.status == MATCHED and found.city.geonames_id == 2 and "the one in 'Hesse'" in found.reason
    assert matcher().match("Friedberg, Bayern", "Germany").city.geonames_id == 1
    # Without the region the two are too alike in size to choose from.
    assert matcher().match("Friedberg", "Germany").status == AMBIGUOUS


def test_the_region_overrides_population():
    found = matcher().match("Portland, Maine", "United States")
    assert found.status == MATCHED and found.city.geonames_id == 7


def test_a_region_no_homonym_lies_in_leaves_the_name_to_a_reviewer():
    found = matcher().match("Friedberg, Saxony", "Germany")
    assert found.status == AMBIGUOUS and found.city is None and "none in 'Saxony'" in found.reason


def test_a_city_the_name_gives_with_no_homonym_near_it_makes_a_district_of_that_city():
    for name in ("Wujiang (Suzhou)", "Suzhou – Wujiang"):
        found = matcher().match(name, "China")
        assert found.status == MATCHED and found.district == "Wujiang" and found.city.geonames_id == 3, name


def test_a_nation_of_the_united_kingdom_picks_its_own_town():
    assert matcher().match("Holywell", "Wales").city.geonames_id == 9
    assert matcher().match("Holywell", "England, United Kingdom").city.geonames_id == 8


def test_one_census_figure_filed_twice_is_one_place_not_two_homonyms():
    found = matcher().match("Komárno", "Slovakia")
    assert found.status == MATCHED and "places of that name" not in found.reason


def test_a_county_named_after_its_seat_is_an_area_of_its_own_at_the_seat():
    found = matcher().match("Kętrzyn County", "Poland")
    assert found.status == MATCHED and found.city is None
    assert found.area.name == "Kętrzyn County" and found.area.kind == "County"
    assert (found.area.latitude, found.area.longitude) == (54.08, 21.38)


def test_a_russian_district_is_found_through_the_adjective_of_its_seat():
    found = matcher().match("Gatchinsky District", "Russia")
    assert found.status == MATCHED and found.area.located_by.startswith("the town it is named after, Gatchina")


def test_a_district_whose_derived_town_has_namesakes_is_not_placed():
    # Spassk-Dal'niy is far more populous, but Russia has a Spassky District in six regions.
    assert matcher().match("Spassky District", "Russia").status == UNMATCHED


def test_a_unit_is_not_read_as_its_town_where_units_do_not_bear_their_seats_names():
    assert matcher().match("Donghai County", "China").status == UNMATCHED


def test_a_korean_city_is_found_without_its_si_suffix():
    found = matcher().match("Yongin", "South Korea")
    assert found.status == MATCHED and found.area.name == "Yongin-si"


def test_a_village_under_the_gazetteers_floor_is_found_in_the_postal_list():
    found = matcher().match("Hollókő", "Hungary")
    assert found.status == MATCHED and found.area.code == "POST-HU-3176"
    assert found.area.latitude is None and "with no point" in found.reason


def test_codes_of_one_delivery_area_are_one_settlement_and_codes_apart_are_not():
    found = matcher().match("Tyresö", "Sweden")
    assert found.status == MATCHED and found.area.name == "Tyresö"  # the list's capitals, written as a name
    copceac = matcher().match("Copceac", "Moldova")
    assert copceac.status == AMBIGUOUS and "2 postal codes" in copceac.reason


def test_a_name_listed_once_is_not_trusted_where_the_list_leaves_out_villages():
    # Five towns of which two share a name, and a list naming none of them: a namesake may lack a post office.
    cities = [*CITIES, *(city(100 + n, name, "CZ", 600) for n, name in enumerate(["Lhota", "Lhota", "A", "B", "C"]))]
    sparse = postal({"CZ": [code("71300", "Heřmanice")], "HU": [code("3176", "Hollókő")]})
    found = matcher(cities, sparse).match("Heřmanice", "Czech Republic")
    assert found.status == AMBIGUOUS and "risk" in found.reason
    assert matcher(cities, sparse)._homonym_risk("CZ") > POSTAL_RISK


def test_the_shipped_lists_name_english_and_german_districts_and_english_subdivision_names():
    found = Matcher().match("Bassetlaw", "England")
    assert found.status == MATCHED and found.area.code == "GB-LAD-bassetlaw"
    assert 53.2 < found.area.latitude < 53.4  # at Worksop, its seat
    kreis = Matcher().match("Main-Taunus (district)", "Germany")
    assert kreis.status == MATCHED and kreis.area.name == "Main-Taunus-Kreis"
    assert Matcher().match("Göttingen", "Germany").city is not None  # the town, not its Landkreis
    assert Matcher().match("Göttingen (district)", "Germany").area.name == "Landkreis Göttingen"
    assert Matcher().match("Tuscany", "Italy").area.code == "IT-52"


def test_a_borough_that_bears_the_name_beats_villages_too_alike_to_choose_from():
    found = Matcher().match("Halton", "England")
    assert found.status == MATCHED and found.area is not None and found.area.name == "Halton"
    # Only a borough named exactly so: Gonzales County is not the town of Gonzales.
    assert Matcher().match("Gonzales", "United States").area is None


def test_a_merged_names_first_town_gives_way_to_the_whole_name_in_another_layer():
    found = Matcher().match("Põhja-Sakala", "Estonia")
    assert found.status == MATCHED and found.area is not None and "Põhja-Sakala" in found.area.name


def test_an_exact_name_in_a_later_layer_beats_a_spelling_close_to_a_citys():
    # "Hollóka" would be a sure fuzzy match (one letter off); the postal list's Hollókő is the name as written.
    cities = [*CITIES, city(30, "Hollóka", "HU", 5_000)]
    found = matcher(cities).match("Hollókő", "Hungary")
    assert found.area is not None and found.area.code == "POST-HU-3176"


def test_a_postal_code_with_spaces_makes_a_key_without_them():
    # The list names the country's towns (both Komárno entries), so a name it carries once is trusted.
    spaced = postal({"SK": [code("985 31", "Kalonda"), code("945 01", "Komárno")]})
    found = matcher(postal_index=spaced).match("Kalonda", "Slovakia")
    assert found.area.code == "POST-SK-98531" and "code 985 31" in found.reason
