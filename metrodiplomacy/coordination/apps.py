from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "metrodiplomacy.coordination"
    label = "coordination"
