from metrodiplomacy.admin_helpers import register

from .models import CooperationProject

register(CooperationProject, list_display=("title", "modality", "year_start", "year_end"))
