from metrodiplomacy.admin_helpers import register

from .models import Organisation, Unit

register(Organisation, list_display=("name", "acronym", "kind", "home_place", "visibility", "publication"))
register(Unit, list_display=("name", "organisation", "specialty", "staff", "budget", "budget_currency"))
