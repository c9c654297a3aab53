from django.apps import AppConfig


class DiplomacyConfig(AppConfig):
    name = "metrodiplomacy.diplomacy"
    label = "diplomacy"
