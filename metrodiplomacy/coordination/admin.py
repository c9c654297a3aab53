from metrodiplomacy.admin_helpers import register

from .models import CoordinationMechanism

register(CoordinationMechanism, list_display=("name", "kind", "logic", "convenor"))
