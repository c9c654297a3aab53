from simple_history.admin import SimpleHistoryAdmin

from metrodiplomacy.admin_helpers import register

from .models import Place, RankingPosition, Statistic


class PlaceAdmin(SimpleHistoryAdmin):
    search_fields = ("key", "name", "alternate_names", "iso2")
    list_display = ("name", "kind", "country", "population", "global_group")
    list_filter = ("kind", "global_group", "region")


register(Place, admin_class=PlaceAdmin)
register(Statistic, RankingPosition, list_display=("__str__", "visibility", "publication"))
