"""The public portal's pages; each data page also answers as JSON and CSV at the same path."""

from .analysis import compare_places, show_matrix
from .home import home
from .places import show_organisation, show_place
from .records import list_sources, search_records, show_source

__all__ = [
    "compare_places",
    "home",
    "list_sources",
    "search_records",
    "show_matrix",
    "show_organisation",
    "show_place",
    "show_source",
]
