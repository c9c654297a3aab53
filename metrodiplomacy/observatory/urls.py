"""The portal's addresses: each page at `…/`, its data at the same path ending `.json` or `.csv`."""

from django.urls import path, register_converter

from . import views
from .views.common import FormatConverter
from .views.language import choose_language
from .views.open_data import download_open_data, download_open_data_package, show_open_data
from .views.twinning import twinning_city, twinning_overview

register_converter(FormatConverter, "fmt")

app_name = "observatory"
PAGES = [
    ("", "index", views.home, "home"),
    ("places/<slug:key>/", "places/<slug:key>", views.show_place, "show_place"),
    ("organisations/<slug:key>/", "organisations/<slug:key>", views.show_organisation, "show_organisation"),
    ("compare/", "compare", views.compare_places, "compare_places"),
    ("matrix/", "matrix", views.show_matrix, "show_matrix"),
    ("sources/", "sources", views.list_sources, "list_sources"),
    ("sources/<slug:key>/", "sources/<slug:key>", views.show_source, "show_source"),
    ("search/", "search", views.search_records, "search_records"),
    ("twinning/", "twinning", twinning_overview, "twinning_overview"),
    ("twinning/<slug:key>/", "twinning/<slug:key>", twinning_city, "twinning_city"),
    ("open-data/", "open-data", show_open_data, "show_open_data"),
]
urlpatterns = [path(page, view, name=name) for page, _data, view, name in PAGES] + [
    path(f"{data}.<fmt:fmt>", view, name=f"{name}_data") for _page, data, view, name in PAGES
]
urlpatterns.append(path("language/", choose_language, name="choose_language"))
# Open data downloads: the whole package, and each entity as CSV or XLSX.
urlpatterns += [
    path("open-data/metrodiplomacy-open-data.zip", download_open_data_package, name="download_open_package"),
    path("open-data/<slug:entity>.csv", download_open_data, {"extension": "csv"}, name="download_open_csv"),
    path("open-data/<slug:entity>.xlsx", download_open_data, {"extension": "xlsx"}, name="download_open_xlsx"),
]
