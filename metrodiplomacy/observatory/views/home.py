"""The home page: the places in the data on a world map, key figures, and the latest public changes."""

from __future__ import annotations

from collections import Counter

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.analysis.maps import points_table, world_map_svg
from metrodiplomacy.analysis.tables import Table
from metrodiplomacy.diplomacy.models import Agreement, Initiative, NetworkMembership
from metrodiplomacy.evidence.models import CaseStudy, Source
from metrodiplomacy.observatory.profiles import NOT_LOCAL_ACTORS, case_study_places
from metrodiplomacy.records import visible_to
from metrodiplomacy.strategy.models import Strategy

from .common import data_response, inline_svg, map_points

RECENT = 12


def _organisations_per_place(user, places) -> Counter:
    """Visible local actors based in each place or in a place inside it (two levels down), one query."""
    ids = {place.pk for place in places}
    counts: Counter = Counter()
    rows = (
        visible_to(Organisation.objects.exclude(kind__in=NOT_LOCAL_ACTORS), user)
        .filter(home_place__isnull=False)
        .values_list("home_place_id", "home_place__parent_id", "home_place__parent__parent_id")
    )
    for own, parent, grandparent in rows:
        for pk in (own, parent, grandparent):
            if pk in ids:
                counts[pk] += 1
                break
    return counts


def _recent_changes(user) -> list[tuple]:
    """The latest changed public records of the main kinds, newest first (one query per kind)."""
    kinds = (
        (_("organisation"), Organisation, "name", "observatory:show_organisation"),
        (_("agreement"), Agreement, "title", None),
        (_("network membership"), NetworkMembership, "key", None),
        (_("initiative"), Initiative, "name", None),
        (_("strategy"), Strategy, "name", None),
        (_("source"), Source, "title", "observatory:show_source"),
    )
    changes = []
    for label, model, name, url_name in kinds:
        for key, text, when in (
            visible_to(model.objects.all(), user)
            .order_by("-updated_at")
            .values_list("key", name, "updated_at")[:RECENT]
        ):
            link = reverse(url_name, args=[key]) if url_name else ""
            changes.append((when, label, text, link))
    changes.sort(key=lambda change: change[0], reverse=True)
    return changes[:RECENT]


def home(request, fmt: str | None = None):
    """The case-study places on the map with their actors, key figures and the latest public changes."""
    user = request.user
    places = list(case_study_places(user))
    studies = visible_to(CaseStudy.objects.filter(place__in=places), user).select_related("source")
    sources_of: dict[int, list] = {}
    for study in studies.order_by("source__year", "source__title"):
        sources_of.setdefault(study.place_id, []).append(study.source)
    organisations = _organisations_per_place(user, places)
    points = map_points(places, organisations, lambda place: reverse("observatory:show_place", args=[place.key]))
    figures = Table.build(
        _("Key figures"),
        (_("what"), _("count")),
        [
            (_("places studied as cases"), len(places)),
            (_("organisations"), visible_to(Organisation.objects.all(), user).count()),
            (_("city networks"), visible_to(Organisation.objects.filter(kind="city_network"), user).count()),
            (_("network memberships"), visible_to(NetworkMembership.objects.all(), user).count()),
            (_("agreements"), visible_to(Agreement.objects.all(), user).count()),
            (_("strategies"), visible_to(Strategy.objects.all(), user).count()),
            (_("sources"), visible_to(Source.objects.all(), user).count()),
        ],
    )
    rows = [(place, sources_of.get(place.pk, []), organisations.get(place.pk, 0)) for place in places]
    places_table = Table.build(
        _("Case-study places and the sources that study them"),
        ("key", _("place"), _("country"), _("kind"), _("organisations"), _("studied in")),
        [
            (
                place.key,
                place.name,
                place.country.name if place.country_id else "",
                place.get_kind_display(),
                count,
                "; ".join(source.title for source in sources),
            )
            for place, sources, count in rows
        ],
    )
    changes = _recent_changes(user)
    changes_table = Table.build(
        _("Latest public changes"),
        (_("changed"), _("kind"), _("record")),
        [(when.date().isoformat(), kind, text) for when, kind, text, _link in changes],
    )
    map_table = points_table(points, _("Places on the map"), _("organisations"))
    tables = [places_table, figures, changes_table, map_table]
    if fmt:
        return data_response(request, _("Cities and metropolises in the observatory"), tables, fmt, "home")
    world = world_map_svg(
        points,
        title=_("Case-study places on the world map"),
        description=_("Each circle is a place studied as a case, sized by the organisations recorded there."),
        labels=len(points),
        ident="home-map",
    )
    context = {
        "rows": rows,
        "map": inline_svg(world),
        "map_table": map_table,
        "figures": figures,
        "changes": changes,
        "changes_table": changes_table,
    }
    return render(request, "observatory/home.html", context)
