from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "metrodiplomacy.cooperation"
    label = "cooperation"
