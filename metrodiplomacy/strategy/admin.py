from metrodiplomacy.admin_helpers import register

from .models import AccountabilityReport, Indicator, Observation, Strategy

register(Strategy, list_display=("name", "organisation", "kind", "year_start"))
register(Indicator, Observation)
register(AccountabilityReport, list_display=("title", "organisation", "kind", "coverage", "year"))
