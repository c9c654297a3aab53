"""Admin registration shared by every app: history (with restore) for each model."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from simple_history.admin import SimpleHistoryAdmin

from metrodiplomacy.evidence.models import Citation


class CitationInline(GenericTabularInline):
    model = Citation
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    fields = ("source", "section", "line_start", "line_end", "page", "note", "quotation")
    autocomplete_fields = ("source",)


class RecordAdmin(SimpleHistoryAdmin):
    """Owned records: searchable by key, filterable by visibility and status, citations inline."""

    inlines = [CitationInline]
    list_filter = ("visibility", "publication")
    readonly_fields = ("created_at", "updated_at")


def register(*models, admin_class=RecordAdmin, **options):
    for model in models:
        attrs = dict(options)
        names = {f.name for f in model._meta.get_fields()}
        attrs.setdefault(
            "search_fields",
            ["key", *[n for n in ("name", "title", "metric", "ranking", "measure") if n in names]],
        )
        attrs.setdefault(
            "autocomplete_fields",
            [
                f.name
                for f in model._meta.get_fields()
                if f.is_relation
                and f.concrete
                and f.related_model is not None
                and f.name not in ("content_type",)
                and not f.many_to_many
                and f.related_model._meta.app_label != "auth"
            ]
            + [f.name for f in model._meta.many_to_many],
        )
        admin.site.register(model, type(f"{model.__name__}Admin", (admin_class,), attrs))
