"""The city-network ecosystem: cities × networks weighted by role, overlap, load, GaWC-style connectivity.

Django-free: a feeder passes `Seat` values (a city's roles in one network). The service value of city a in
network j is its heaviest role there on the 0–5 scale below; following Taylor's interlocking network model
of the GaWC world-city network, the link between two cities is r_ab = Σ_j v_aj · v_bj, a city's
connectivity is N_a = Σ_(b≠a) r_ab, and it is also given as a share of the highest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from metrodiplomacy.analysis.tables import Cell, Table

# 0–5 like GaWC's service values: 0 is no seat, 1 an ordinary member, 5 the network's seat of power.
ROLE_WEIGHTS = {
    "member": 1,
    "other": 1,
    "founder": 2,
    "congress_host": 2,
    "executive_bureau": 3,
    "executive_board": 3,
    "executive_committee": 3,
    "steering_committee": 3,
    "regional_office_host": 3,
    "vice_presidency": 4,
    "regional_vice_presidency": 4,
    "chair": 4,
    "co_presidency": 5,
    "presidency": 5,
    "secretariat_host": 5,
    "headquarters_host": 5,
}
LEADING_ROLE = 4


@dataclass(frozen=True)
class Seat:
    """A city's seat in a network: the roles recorded for it (an empty tuple means a plain member)."""

    city: str
    network: str
    roles: tuple[str, ...] = ()
    is_prioritised: bool | None = None


def service_value(roles: Iterable[str]) -> int:
    """The heaviest role's weight (1 for a seat with no role recorded)."""
    return max((ROLE_WEIGHTS.get(role, 1) for role in roles), default=1)


def service_values(seats: Iterable[Seat]) -> dict[str, dict[str, int]]:
    """v[city][network]: a city holding several seats in one network counts its heaviest."""
    values: dict[str, dict[str, int]] = defaultdict(dict)
    for seat in seats:
        current = values[seat.city].get(seat.network, 0)
        values[seat.city][seat.network] = max(current, service_value(seat.roles))
    return dict(values)


def interlocking_links(values: dict[str, dict[str, int]]) -> dict[tuple[str, str], int]:
    """r_ab = Σ_j v_aj · v_bj for every pair of cities sharing a network (a < b)."""
    by_network: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for city, networks in values.items():
        for network, value in networks.items():
            by_network[network].append((city, value))
    links: dict[tuple[str, str], int] = defaultdict(int)
    for members in by_network.values():
        members.sort()
        for i, (a, va) in enumerate(members):
            for b, vb in members[i + 1 :]:
                links[(a, b)] += va * vb
    return dict(links)


def connectivity(seats: Iterable[Seat]) -> Table:
    """Each city's interlocking connectivity N_a = Σ_b r_ab through shared networks, and its share of the highest."""
    values = service_values(seats)
    totals: dict[str, int] = dict.fromkeys(values, 0)
    partners: dict[str, int] = dict.fromkeys(values, 0)
    for (a, b), link in interlocking_links(values).items():
        totals[a] += link
        totals[b] += link
        partners[a] += 1
        partners[b] += 1
    highest = max(totals.values(), default=0)
    ordered = sorted(totals, key=lambda city: (-totals[city], city))
    rows = [
        (
            rank,
            city,
            len(values[city]),
            sum(values[city].values()),
            partners[city],
            totals[city],
            round(totals[city] / highest, 4) if highest else None,
        )
        for rank, city in enumerate(ordered, start=1)
    ]
    notes = [
        "Service value v = heaviest role in the network: " + _scale_text() + ".",
        "r_ab = sum over networks of v_a × v_b; connectivity N_a = sum over other cities of r_ab; "
        "the share divides by the highest N (GaWC interlocking network model).",
    ]
    columns = ("rank", "city", "networks", "sum of service values", "linked cities", "connectivity", "share of highest")
    return Table.build("Interlocking connectivity of cities through their networks", columns, rows, notes)


def overlap(seats: Iterable[Seat]) -> Table:
    """Pairs of networks with the cities they share, and the Jaccard index of their memberships."""
    members: dict[str, set[str]] = defaultdict(set)
    for seat in seats:
        members[seat.network].add(seat.city)
    names = sorted(members)
    rows = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            shared = members[a] & members[b]
            if shared:
                union = members[a] | members[b]
                rows.append((a, b, len(shared), round(len(shared) / len(union), 4), ", ".join(sorted(shared))))
    rows.sort(key=lambda row: (-row[2], row[0], row[1]))
    return Table.build(
        "Network overlap (shared member cities)",
        ("network", "network", "shared cities", "Jaccard index", "cities"),
        rows,
        ["Jaccard index = shared cities / cities in either network."],
    )


def load(seats: Iterable[Seat]) -> Table:
    """Per city: networks, leading roles, prioritised networks and the weighted load of its seats."""
    seats = list(seats)
    values = service_values(seats)
    prioritised: dict[str, set[str]] = defaultdict(set)
    for seat in seats:
        if seat.is_prioritised:
            prioritised[seat.city].add(seat.network)
    rows = []
    for city, networks in values.items():
        leading = sum(1 for value in networks.values() if value >= LEADING_ROLE)
        rows.append((city, len(networks), leading, len(prioritised[city]), sum(networks.values())))
    rows.sort(key=lambda row: (-row[4], -row[1], row[0]))
    notes = [
        f"Leading roles weigh {LEADING_ROLE} or more on the 0–5 scale ({_scale_text()}).",
        "Weighted load is the sum of the city's service values over its networks.",
    ]
    columns = ("city", "networks", "leading roles", "prioritised networks", "weighted load")
    return Table.build("Network load per city", columns, rows, notes)


def bipartite(seats: Iterable[Seat]) -> Table:
    """The city × network matrix of service values (0 where the city holds no seat)."""
    values = service_values(seats)
    networks = sorted({network for row in values.values() for network in row})
    rows: list[tuple[Cell, ...]] = [
        (city, *(values[city].get(network, 0) for network in networks)) for city in sorted(values)
    ]
    return Table.build("Cities × networks (service values 0–5)", ("city", *networks), rows, [_scale_text()])


def _scale_text() -> str:
    by_weight: dict[int, list[str]] = defaultdict(list)
    for role, weight in ROLE_WEIGHTS.items():
        by_weight[weight].append(role.replace("_", " "))
    return "; ".join(f"{weight} {', '.join(sorted(roles))}" for weight, roles in sorted(by_weight.items()))
