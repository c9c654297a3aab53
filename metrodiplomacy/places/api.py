"""Places (shared reference data), statistics and ranking positions under /api/v1/."""

from typing import Annotated

from django.http import Http404
from ninja import Field, FilterSchema, Router, Schema
from ninja.filter_schema import FilterLookup

from metrodiplomacy.api.common import CitedOut, RecordOut, add_record_endpoints, key_of

from .models import Place
from .queries import (
    get_ranking_position_for_user,
    get_statistic_for_user,
    visible_places,
    visible_ranking_positions,
    visible_statistics,
)

router = Router(tags=["places"])


class PlaceOut(Schema):
    key: str
    kind: str
    name: str
    country: str | None = Field(None, description="Key of the country.")
    parent: str | None = Field(None, description="Key of the place it lies within.")
    iso2: str | None
    iso3: str
    m49: str
    region: str
    subregion: str
    global_group: str
    global_group_source: str
    geonames_id: int | None
    latitude: float | None
    longitude: float | None
    population: int | None

    resolve_country = key_of("country")
    resolve_parent = key_of("parent")


class PlaceDetailOut(PlaceOut, CitedOut):
    alternate_names: list[str]
    note: str

    @staticmethod
    def resolve_alternate_names(obj: Place) -> list[str]:
        return [name for name in obj.alternate_names.splitlines() if name.strip()]


class PlaceFilters(FilterSchema):
    kind: Annotated[str | None, FilterLookup("kind")] = None
    country: Annotated[str | None, FilterLookup("country__key")] = Field(None, description="Country key.")
    parent: Annotated[str | None, FilterLookup("parent__key")] = Field(None, description="Key of the place within.")
    iso2: Annotated[str | None, FilterLookup("iso2__iexact")] = None
    global_group: Annotated[str | None, FilterLookup("global_group")] = None
    name: Annotated[str | None, FilterLookup("name__icontains")] = Field(None, description="Part of the name.")


def get_place(user, key: str) -> Place:
    place = visible_places(user).filter(key=key).first()
    if place is None:
        raise Http404("No such record.")
    return place


add_record_endpoints(
    router,
    path="places",
    name="places",
    out=PlaceOut,
    detail=PlaceDetailOut,
    filters=PlaceFilters,
    visible=visible_places,
    get_for_user=get_place,
    related=("country", "parent"),
    is_record=False,
)


class StatisticOut(RecordOut):
    place: str | None
    organisation: str | None
    metric: str
    year: int | None
    value: float
    scale: str
    unit: str
    qualifier: str
    kind: str

    resolve_place = key_of("place")
    resolve_organisation = key_of("organisation")


class StatisticDetailOut(StatisticOut, CitedOut):
    pass


class StatisticFilters(FilterSchema):
    place: Annotated[str | None, FilterLookup("place__key")] = None
    organisation: Annotated[str | None, FilterLookup("organisation__key")] = None
    metric: Annotated[str | None, FilterLookup("metric")] = None
    year: Annotated[int | None, FilterLookup("year")] = None
    kind: Annotated[str | None, FilterLookup("kind")] = None


add_record_endpoints(
    router,
    path="statistics",
    name="statistics",
    out=StatisticOut,
    detail=StatisticDetailOut,
    filters=StatisticFilters,
    visible=visible_statistics,
    get_for_user=get_statistic_for_user,
    related=("place", "organisation"),
)


class RankingPositionOut(RecordOut):
    place: str
    ranking: str
    year: int | None
    position: int | None
    note: str

    resolve_place = key_of("place")


class RankingPositionDetailOut(RankingPositionOut, CitedOut):
    pass


class RankingPositionFilters(FilterSchema):
    place: Annotated[str | None, FilterLookup("place__key")] = None
    ranking: Annotated[str | None, FilterLookup("ranking")] = None
    year: Annotated[int | None, FilterLookup("year")] = None


add_record_endpoints(
    router,
    path="ranking-positions",
    name="ranking positions",
    out=RankingPositionOut,
    detail=RankingPositionDetailOut,
    filters=RankingPositionFilters,
    visible=visible_ranking_positions,
    get_for_user=get_ranking_position_for_user,
    related=("place",),
)
