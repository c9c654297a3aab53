"""Writes of places: gazetteer entries become Place records when data refers to them."""

from django.db import transaction
from django.utils.text import slugify

from . import gazetteer
from .models import Place, PlaceKind


def ensure_country(iso2: str) -> Place:
    """The country's Place, created from pycountry and the shipped M49 table on first use."""
    entry = gazetteer.find_country(iso2)
    if entry is None:
        raise ValueError(f"unknown country code {iso2!r}")
    place = Place.objects.filter(iso2=entry.iso2).first()
    if place is not None:
        return place
    with transaction.atomic():
        return Place.objects.create(
            key=entry.iso2.lower(), kind=PlaceKind.COUNTRY, name=entry.name, **place_fields_from_country(entry)
        )


def place_fields_from_country(entry: gazetteer.CountryEntry) -> dict:
    return {
        "iso2": entry.iso2,
        "iso3": entry.iso3,
        "m49": entry.m49,
        "region": entry.region,
        "subregion": entry.subregion,
        "global_group": entry.global_group,
        "global_group_source": gazetteer.GLOBAL_GROUP_SOURCE if entry.global_group else "",
    }


def place_fields_from_city(city: gazetteer.CityEntry) -> dict:
    return {
        "geonames_id": city.geonames_id,
        "latitude": city.latitude,
        "longitude": city.longitude,
        "population": city.population,
        "alternate_names": "\n".join(sorted(set(city.alternate_names))),
    }


def ensure_city(name: str, country_iso2: str, kind: str = PlaceKind.CITY, key: str | None = None) -> Place:
    """The city's Place, created from GeoNames on first use; raises ValueError when GeoNames has no such city."""
    city = gazetteer.find_city(name, country_iso2)
    if city is None:
        raise ValueError(f"no city called {name!r} in {country_iso2} in GeoNames")
    place = Place.objects.filter(geonames_id=city.geonames_id).first()
    if place is not None:
        return place
    country = ensure_country(country_iso2)
    return Place.objects.create(
        key=key or slugify(f"{city.name}-{country_iso2}"),
        kind=kind,
        name=city.name,
        country=country,
        parent=country,
        **place_fields_from_city(city),
    )
