from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "metrodiplomacy.actors"
    label = "actors"
