from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "metrodiplomacy.observatory"
    label = "observatory"
