"""Reads of places. Places are public reference data: everyone may read them."""

from django.db.models import Q, QuerySet

from metrodiplomacy.records import editable_to, get_visible_or_404, visible_to

from .models import Place, RankingPosition, Statistic


def visible_places(user=None) -> QuerySet[Place]:
    return Place.objects.select_related("country")


def search_places(text: str, limit: int = 20) -> QuerySet[Place]:
    return visible_places().filter(Q(name__icontains=text) | Q(alternate_names__icontains=text))[:limit]


def find_place(text: str) -> Place | None:
    """The place whose key or name matches, preferring exact names and larger places."""
    places = visible_places()
    return (
        places.filter(key=text).first()
        or places.filter(name__iexact=text).order_by("-population").first()
        or places.filter(alternate_names__icontains=text).order_by("-population").first()
    )


def visible_statistics(user) -> QuerySet[Statistic]:
    return visible_to(Statistic.objects.all(), user)


def editable_statistics(user) -> QuerySet[Statistic]:
    return editable_to(Statistic.objects.all(), user)


def get_statistic_for_user(user, key: str) -> Statistic:
    return get_visible_or_404(Statistic.objects.all(), user, key=key)


def visible_ranking_positions(user) -> QuerySet[RankingPosition]:
    return visible_to(RankingPosition.objects.all(), user)


def editable_ranking_positions(user) -> QuerySet[RankingPosition]:
    return editable_to(RankingPosition.objects.all(), user)


def get_ranking_position_for_user(user, key: str) -> RankingPosition:
    return get_visible_or_404(RankingPosition.objects.all(), user, key=key)
