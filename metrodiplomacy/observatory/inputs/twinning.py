"""Thin feeder of the twinning analysis: visible twinning agreements as cities and pairs (two queries)."""

from __future__ import annotations

from metrodiplomacy.analysis.twinning import City, TwinningGraph
from metrodiplomacy.diplomacy.models import Agreement, AgreementKind, AgreementParty
from metrodiplomacy.places.models import Place
from metrodiplomacy.records import visible_to


def twinning_graph(user) -> TwinningGraph:
    """The graph of the twinning agreements the user may read, between places (organisations are left out)."""
    agreements = visible_to(Agreement.objects.filter(kind=AgreementKind.TWINNING), user).values("pk")
    # Subqueries rather than lists of ids: 15,000 ids would pass SQLite's limit on query variables.
    party_rows = AgreementParty.objects.filter(agreement__in=agreements, place__isnull=False)
    parties: dict[int, list[int]] = {}
    for agreement_id, place_id in party_rows.values_list("agreement_id", "place_id").iterator(chunk_size=5000):
        parties.setdefault(agreement_id, []).append(place_id)
    pairs = [(ids[i], ids[j]) for ids in parties.values() for i in range(len(ids)) for j in range(i + 1, len(ids))]
    places = Place.objects.filter(pk__in=party_rows.values("place_id")).values_list(
        "pk", "name", "country__iso2", "iso2", "latitude", "longitude"
    )
    cities = [
        City(pk, name, country or iso2 or "", latitude, longitude)
        for pk, name, country, iso2, latitude, longitude in places.order_by("pk").iterator(chunk_size=5000)
    ]
    return TwinningGraph(cities, pairs)
