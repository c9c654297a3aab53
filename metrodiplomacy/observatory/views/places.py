"""The page of a city or metropolis, and of an organisation (a city network's lists its members and roles)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from metrodiplomacy.actors.models import Unit
from metrodiplomacy.actors.queries import get_organisation_for_user
from metrodiplomacy.analysis.maps import arcs_table, points_table, world_map_svg
from metrodiplomacy.analysis.tables import Table
from metrodiplomacy.diplomacy.models import Hosting, NetworkMembership
from metrodiplomacy.observatory.place_page import build_place_page
from metrodiplomacy.places.models import Place
from metrodiplomacy.records import visible_to
from metrodiplomacy.strategy.models import Strategy

from ..templatetags.money import format_budget
from .common import chart_svg, coordinates, data_response, inline_svg, map_points


def _place_url(place: Place) -> str:
    return reverse("observatory:show_place", args=[place.key])


def show_place(request, key: str, fmt: str | None = None):
    """A city or metropolis: profile, growth, classification, units, strategies, agreements, networks, sources."""
    place = Place.objects.select_related("country", "parent").filter(key=key).first()
    if place is None:
        raise Http404(_("No such record."))
    page = build_place_page(place, request.user, coordinates, _place_url)
    tables = page.ordered()
    map_tables = [
        points_table(page.points, _("Agreement partners on the map"), _("agreements")),
        arcs_table(page.arcs, _("Agreements drawn as arcs")),
    ]
    if fmt:
        return data_response(request, place.name, tables + map_tables, fmt, place.key)
    growth = page.tables["growth"]
    context = {
        "place": place,
        "page": page,
        "tables": page.tables,
        "growth_chart": chart_svg("growth", growth) if growth.rows else "",
        "map": inline_svg(
            world_map_svg(
                page.points,
                page.arcs,
                title=_("Agreements of %(place)s on the map") % {"place": place.name},
                fit=True,
                ident="agreements-map",
            )
        )
        if page.arcs
        else "",
        "map_tables": map_tables,
        "profile": page.profile,
        "twinned": any(
            a.kind == "twinning" and any(p.place_id == place.pk for p in a.parties.all())
            for a in page.profile.sections["agreements"]
        ),
    }
    return render(request, "observatory/place.html", context)


def show_organisation(request, key: str, fmt: str | None = None):
    """An organisation: what it is, where it is based, its units, memberships, strategies; a network's members."""
    user = request.user
    organisation = get_organisation_for_user(user, key)
    members = list(
        visible_to(NetworkMembership.objects.filter(network=organisation), user)
        .select_related("member__home_place__country")
        .prefetch_related("roles")
        .order_by("member__name")
    )
    memberships = list(
        visible_to(NetworkMembership.objects.filter(member=organisation), user)
        .select_related("network")
        .prefetch_related("roles")
        .order_by("network__name")
    )
    units = list(visible_to(Unit.objects.filter(organisation=organisation), user).order_by("name"))
    strategies = list(visible_to(Strategy.objects.filter(organisation=organisation), user).order_by("name"))
    hosted_in = list(
        visible_to(Hosting.objects.filter(organisation=organisation), user).select_related("place").order_by("key")
    )

    def roles(membership) -> str:
        found = [r.get_role_display() + (f" {r.year}" if r.year else "") for r in membership.roles.all()]
        return ", ".join(found) or _("member")

    home = organisation.home_place
    about = Table.build(
        _("About the organisation"),
        (_("field"), _("value")),
        [
            ("key", organisation.key),
            (_("kind"), organisation.get_kind_display()),
            (_("acronym"), organisation.acronym),
            (_("based in"), home.name if home else ""),
            (_("part of"), organisation.parent.name if organisation.parent_id else ""),
            (_("website"), organisation.website),
        ],
    )
    members_table = Table.build(
        _("Members and their roles"),
        ("member key", _("member"), _("place"), _("country"), _("roles"), _("prioritised"), _("since")),
        [
            (
                m.member.key,
                m.member.name,
                m.member.home_place.name if m.member.home_place_id else "",
                m.member.home_place.country.name if m.member.home_place_id and m.member.home_place.country_id else "",
                roles(m),
                m.is_prioritised,
                m.since,
            )
            for m in members
        ],
    )
    memberships_table = Table.build(
        _("Networks it belongs to"),
        ("network key", _("network"), _("roles"), _("prioritised"), _("since")),
        [(m.network.key, m.network.name, roles(m), m.is_prioritised, m.since) for m in memberships],
    )
    units_table = Table.build(
        _("International units"),
        ("key", _("unit"), _("specialty"), _("staff"), _("budget"), _("currency"), _("year")),
        [
            (
                u.key,
                u.name,
                u.get_specialty_display(),
                u.staff,
                format_budget(u.budget, u.budget_scale, u.budget_qualifier, u.budget_currency)
                if u.budget is not None
                else None,
                u.budget_currency,
                u.budget_year,
            )
            for u in units
        ],
    )
    strategies_table = Table.build(
        _("Strategies and plans"),
        ("key", _("strategy"), _("kind"), _("from"), _("to")),
        [(s.key, s.name, s.get_kind_display(), s.year_start, s.year_end) for s in strategies],
    )
    hosted_table = Table.build(
        _("Hosted in"),
        ("place key", _("place"), _("hosting"), _("since")),
        [(h.place.key, h.place.name, h.get_kind_display(), h.since) for h in hosted_in],
    )
    tables = [about, members_table, memberships_table, units_table, strategies_table, hosted_table]
    if fmt:
        return data_response(request, organisation.name, tables, fmt, organisation.key)
    member_places = list(
        {m.member.home_place_id: m.member.home_place for m in members if m.member.home_place_id}.values()
    )
    counts: dict[int, int] = {}
    for m in members:
        if m.member.home_place_id:
            counts[m.member.home_place_id] = counts.get(m.member.home_place_id, 0) + 1
    points = map_points(member_places, counts, _place_url)
    context = {
        "organisation": organisation,
        "about": about,
        "members": members,
        "members_table": members_table,
        "memberships": memberships,
        "memberships_table": memberships_table,
        "units_table": units_table,
        "strategies_table": strategies_table,
        "hosted_table": hosted_table,
        "roles": {m.pk: roles(m) for m in members + memberships},
        "map": inline_svg(
            world_map_svg(
                points, title=_("Members of %(name)s on the map") % {"name": organisation.name}, ident="members-map"
            )
        )
        if points
        else "",
        "map_table": points_table(points, _("Members' places on the map"), _("members")),
    }
    return render(request, "observatory/organisation.html", context)
