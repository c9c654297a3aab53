"""Reads of places. Places are public reference data: everyone may read them."""

from django.db.models import Q, QuerySet

from .models import Place


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
