from metrodiplomacy.admin_helpers import register

from .models import Indicator, Observation, Strategy

register(Strategy, list_display=("name", "organisation", "kind", "year_start"))
register(Indicator, Observation)
