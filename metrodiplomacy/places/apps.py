from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "metrodiplomacy.places"
    label = "places"
