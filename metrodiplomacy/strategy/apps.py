from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "metrodiplomacy.strategy"
    label = "strategy"
