"""Thin feeder of the network analytics: visible network memberships as plain `Seat` values (one query + roles)."""

from __future__ import annotations

from metrodiplomacy.analysis.networks import Seat
from metrodiplomacy.diplomacy.models import NetworkMembership
from metrodiplomacy.records import visible_to
from metrodiplomacy.related import is_withheld


def network_seats(user) -> list[Seat]:
    """Each visible membership as a seat of the member's city (its home place, else the member itself)."""
    memberships = (
        visible_to(NetworkMembership.objects.all(), user)
        .select_related("member__home_place", "network")
        .prefetch_related("roles")
        .order_by("pk")
    )
    return [
        Seat(
            city=membership.member.home_place.name if membership.member.home_place_id else membership.member.name,
            network=membership.network.acronym or membership.network.name,
            roles=tuple(sorted({role.role for role in membership.roles.all()})),
            is_prioritised=membership.is_prioritised,
        )
        for membership in memberships
        # A seat whose member or network the reader may not read is left out, not counted as "withheld".
        if not (is_withheld(membership.member) or is_withheld(membership.network))
    ]
