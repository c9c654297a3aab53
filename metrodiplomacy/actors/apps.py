from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "metrodiplomacy.actors"
    label = "actors"

    def ready(self) -> None:
        # Every model is loaded by now: put the related-record rule on their relations (see related.py).
        from metrodiplomacy import related

        related.install()
