"""The twinning graph under /api/v1/twinning/: its statistics, top lists and one city's ego network.

Built from the twinning agreements the caller may read, through the portal's per-process graph cache.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from metrodiplomacy.analysis.tables import Table
from metrodiplomacy.analysis.twinning import centralities, countries_table, degree_distribution, summary
from metrodiplomacy.api.auth import READ_AUTH
from metrodiplomacy.diplomacy.models import AgreementParty
from metrodiplomacy.observatory.views.twinning import cached_graph, city_position, visible_twinning
from metrodiplomacy.places.models import Place

router = Router(tags=["twinning"])


def _table(table: Table) -> dict[str, Any]:
    return table.to_dict()


@router.get("/twinning/stats", auth=READ_AUTH, response=dict[str, Any], summary="Statistics of the twinning graph")
def twinning_stats(request: HttpRequest) -> dict[str, Any]:
    """Size, density, components, clustering, assortativity and modularity, and the degree distribution."""
    cached = cached_graph(request.auth.user)
    twinning = cached.graph
    if not twinning.graph.ecount():
        return {"summary": {}, "degree_distribution": []}
    stats = cached.get("api stats", lambda: (summary(twinning), degree_distribution(twinning)))
    return {
        "summary": {row["metric"]: row["value"] for row in stats[0].to_dict()["rows"]},
        "degree_distribution": stats[1].to_dict()["rows"],
        "notes": [*stats[0].notes, *stats[1].notes],
    }


@router.get("/twinning/top", auth=READ_AUTH, response=dict[str, Any], summary="The most twinned cities and countries")
def twinning_top(request: HttpRequest, limit: int = 20) -> dict[str, Any]:
    """The `limit` (1 to 100) best-connected cities with their centralities, and the most twinned countries."""
    if not 1 <= limit <= 100:
        raise HttpError(400, "limit must be between 1 and 100")
    cached = cached_graph(request.auth.user)
    twinning = cached.graph
    if not twinning.graph.ecount():
        return {"cities": [], "countries": []}
    cities, countries = cached.get(
        ("api top", limit), lambda: (centralities(twinning, limit), countries_table(twinning, limit))
    )
    ranked = cities.to_dict()["rows"]
    return {"cities": ranked, "countries": countries.to_dict()["rows"], "notes": list(cities.notes + countries.notes)}


@router.get(
    "/twinning/cities/{key}",
    auth=READ_AUTH,
    response=dict[str, Any],
    summary="A city's twins and its place in the graph",
)
def twinning_city(request: HttpRequest, key: str) -> dict[str, Any]:
    """The city's metrics and its partners: country, own twins, twins shared with the city, agreement keys."""
    user = request.auth.user
    place = Place.objects.filter(key=key).first()
    twinning = cached_graph(user).graph
    vertex = twinning.vertex.get(place.pk) if place is not None else None
    if vertex is None or not twinning.degrees[vertex]:
        raise HttpError(404, "Not Found")
    agreements = visible_twinning(user).filter(parties__place=place).values("pk")
    parties = (
        AgreementParty.objects.filter(agreement__in=agreements, place__isnull=False)
        .exclude(place=place)
        .values_list("place_id", "place__key", "agreement__key")
        .order_by("agreement__key")
    )
    keys: dict[int, str] = {}
    signed: dict[int, list[str]] = {}
    for place_id, place_key, agreement_key in parties:
        keys[place_id] = place_key
        signed.setdefault(place_id, []).append(agreement_key)
    graph, degrees = twinning.graph, twinning.degrees
    twins = set(graph.neighbors(vertex))
    partners = []
    for other in twins:
        city = twinning.cities[other]
        partners.append(
            {
                "key": keys.get(city.id),
                "name": city.name,
                "country": city.country,
                "twins": degrees[other],
                "shared_twins": len(twins & set(graph.neighbors(other))),
                "agreements": signed.get(city.id, []),
            }
        )
    partners.sort(key=lambda partner: (-partner["twins"], partner["name"]))
    centre = twinning.cities[vertex]
    return {
        "key": place.key,
        "name": centre.name,
        "country": centre.country,
        **city_position(twinning, vertex),
        "partners": partners,
    }
