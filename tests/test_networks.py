"""City-network ecosystem: service values on the 0–5 scale, GaWC connectivity by hand, overlap, load."""

import pytest

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.analysis.networks import Seat, bipartite, connectivity, load, overlap, service_value
from metrodiplomacy.diplomacy.models import NetworkMembership, NetworkRole
from metrodiplomacy.observatory.inputs.networks import network_seats
from metrodiplomacy.records import OPERATOR

# Three cities in two networks. Service values: A 1 in N1 (member), 3 in N2 (executive board);
# B 5 in N1 (presidency), 1 in N2 (member); C 4 in N2 (vice-presidency).
SEATS = [
    Seat("A", "N1", ("member",)),
    Seat("B", "N1", ("member", "presidency"), is_prioritised=True),
    Seat("A", "N2", ("executive_board",)),
    Seat("B", "N2", ()),
    Seat("C", "N2", ("vice_presidency",), is_prioritised=True),
]


def test_a_seat_weighs_its_heaviest_role_and_a_bare_seat_one():
    assert service_value(["member", "presidency"]) == 5
    assert service_value([]) == 1
    assert service_value(["steering_committee", "congress_host"]) == 3


def test_interlocking_connectivity_matches_the_hand_computation():
    # r_AB = 1·5 + 3·1 = 8, r_AC = 3·4 = 12, r_BC = 1·4 = 4; N_A = 20, N_C = 16, N_B = 12.
    rows = connectivity(SEATS).rows
    assert [(row[1], row[5], row[6]) for row in rows] == [("A", 20, 1.0), ("C", 16, 0.8), ("B", 12, 0.6)]
    assert [row[2:5] for row in rows] == [(2, 4, 2), (1, 4, 2), (2, 6, 2)]


def test_two_seats_of_one_city_in_a_network_count_once_at_the_heavier_role():
    seats = [*SEATS, Seat("A", "N1", ("founder",))]
    rows = {row[1]: row[5] for row in connectivity(seats).rows}
    assert rows == {"A": 2 * 5 + 3 * 1 + 3 * 4, "B": 13 + 4, "C": 12 + 4}


def test_overlap_lists_shared_members_and_jaccard():
    assert overlap(SEATS).rows == (("N1", "N2", 2, 0.6667, "A, B"),)


def test_load_counts_networks_leading_roles_and_weights():
    assert load(SEATS).rows == (("B", 2, 1, 1, 6), ("A", 2, 0, 0, 4), ("C", 1, 1, 1, 4))
    assert bipartite(SEATS).rows == (("A", 1, 3), ("B", 5, 1), ("C", 0, 4))


@pytest.mark.django_db
def test_the_feeder_gives_the_cities_of_visible_memberships_only(personas):
    network = Organisation.objects.create(
        key="net", name="Network", acronym="NET", kind="city_network", visibility="public", publication="published"
    )
    public = NetworkMembership.objects.create(
        key="m1", network=network, member=personas["org_a"], visibility="public", publication="published"
    )
    NetworkRole.objects.create(membership=public, role="presidency")
    NetworkMembership.objects.create(key="m2", network=network, member=personas["org_c"], owner=personas["org_c"])
    # A public seat of a member whose own record is private is left out for the public (issue #15).
    assert network_seats(None) == []
    Organisation.objects.filter(pk=personas["org_a"].pk).update(visibility="public", publication="published")
    assert network_seats(None) == [Seat("Org A", "NET", ("presidency",), None)]
    assert {seat.city for seat in network_seats(OPERATOR)} == {"Org A", "Org C"}
    assert {seat.city for seat in network_seats(personas["outsider"])} == {"Org A", "Org C"}
    assert {seat.city for seat in network_seats(personas["viewer"])} == {"Org A"}
