"""What every user-owned record shares: a stable key, an owner, a visibility and a publication state.

Ownership and visibility are the inputs of each app's permission gate (`queries.py`).
The key is what data packages use to refer to a record, so an import can be re-run
without duplicating anything and an export can be read back.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
key_validator = RegexValidator(KEY_PATTERN, _("Use lower-case letters, digits and single hyphens."))


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private: the owning organisation only")
    WORKSPACE = "workspace", _("Workspace: every organisation of its workspaces")
    PUBLIC = "public", _("Public: portal and public API")


class Publication(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Scale(models.TextChoices):
    UNITS = "units", _("units")
    THOUSAND = "thousand", _("thousand")
    MILLION = "million", _("million")
    BILLION = "billion", _("billion")


SCALE_FACTOR = {"units": 1, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    ABOUT = "about", _("about")
    AT_LEAST = "at_least", _("at least")
    MORE_THAN = "more_than", _("more than")
    LESS_THAN = "less_than", _("less than")


def year_field(verbose_name, **kwargs):
    return models.PositiveSmallIntegerField(verbose_name, null=True, blank=True, **kwargs)


def year_range_check(model_name: str, *fields: str) -> list[models.CheckConstraint]:
    """Years stay within the span any record of city diplomacy can have."""
    return [
        models.CheckConstraint(
            condition=models.Q(**{f"{field}__isnull": True})
            | models.Q(**{f"{field}__gte": 1000, f"{field}__lte": 2200}),
            name=f"{model_name}_{field}_plausible",
        )
        for field in fields
    ]


PUBLISHED_NEEDS_PUBLIC = _("Only a public record can be published: make it public, or keep it as a draft.")


class Record(models.Model):
    key = models.CharField(_("key"), max_length=120, validators=[key_validator])
    owner = models.ForeignKey(
        "actors.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    publication = models.CharField(
        _("publication"), max_length=10, choices=Publication.choices, default=Publication.DRAFT
    )
    flag = models.TextField(
        _("flag"),
        blank=True,
        help_text=_("Why this fact is ambiguous or contradicted, naming the other record."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC and self.publication == Publication.PUBLISHED

    def clean(self) -> None:
        # Publication is the draft → published step of a public record (the portal shows published public
        # records; the dashboard counts public drafts): a private or workspace record that says "published" would
        # read as on its way to the portal when it is not. Every write checks it through `full_clean`.
        if self.publication == Publication.PUBLISHED and self.visibility != Visibility.PUBLIC:
            raise ValidationError({"publication": PUBLISHED_NEEDS_PUBLIC})


def draft_hidden_published(app_label: str):
    """A migration step: records stored as published but not public (allowed before the rule) go back to draft.

    They were already hidden from the public (the gate reads published only with public), so nothing a reader
    sees changes; their next edit is no longer refused for a state the form does not offer to fix.
    """

    def forwards(apps, schema_editor):
        for model in apps.get_app_config(app_label).get_models():
            names = {f.name for f in model._meta.get_fields()}
            if {"visibility", "publication", "key"} <= names and not model.__name__.startswith("Historical"):
                hidden = model._base_manager.filter(publication=Publication.PUBLISHED).exclude(
                    visibility=Visibility.PUBLIC
                )
                hidden.update(publication=Publication.DRAFT)

    return forwards


def record_constraints(model_name: str) -> list:
    """The key is unique per table: data packages refer to records by it."""
    return [models.UniqueConstraint(fields=["key"], name=f"{model_name}_unique_key")]


class _Operator:
    """Whoever runs the command line on the server: they can read the database file anyway."""

    is_authenticated = True
    is_staff = True


OPERATOR = _Operator()


def visible_to(queryset, user):
    """The records of the queryset the user may read: the one rule each app's gate applies.

    Anonymous readers see published public records; a member of an organisation also sees
    everything it owns and the workspace-visible records of organisations it shares a
    workspace with. Staff see everything. The records returned carry their reader, so the records they
    point at are shown only if the reader may read them too (`metrodiplomacy.related`).
    """
    from metrodiplomacy.related import read_by

    public = models.Q(visibility=Visibility.PUBLIC, publication=Publication.PUBLISHED)
    if user is None or not user.is_authenticated:
        return read_by(queryset.filter(public), user)
    if user.is_staff:
        return queryset
    own, partners = _reading_scope(user)
    return read_by(
        queryset.filter(
            public | models.Q(owner__in=own) | models.Q(visibility=Visibility.WORKSPACE, owner__in=partners)
        ),
        user,
    )


def _reading_scope(user) -> tuple[list[int], list[int]]:
    """The organisations a user belongs to, and those sharing a workspace with them.

    A page runs a dozen gated reads; inside a request (see `ReadingScopeMiddleware`) the two lists are read once.
    Elsewhere they are read every time, so a membership granted in a script or a test counts at once.
    """
    cache = getattr(user, "_reading_scope", None)
    if cache:
        return cache[0], cache[1]
    from metrodiplomacy.workspaces.models import Membership, Workspace

    own = list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    partners = list(
        Workspace.organisations.through.objects.filter(workspace__organisations__in=own)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    if cache is not None:
        cache.extend((own, partners))
    return own, partners


class ReadingScopeMiddleware:
    """Marks the signed-in user of a request so their memberships are read once for the whole request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user._reading_scope = []
        return self.get_response(request)


def editing_organisations(user) -> list[int]:
    """The organisations in which the user is an admin or an editor: the owners whose records they may change."""
    if user is None or not user.is_authenticated:
        return []
    from metrodiplomacy.workspaces.models import Membership, Role

    return list(
        Membership.objects.filter(user=user, role__in=[Role.ADMIN, Role.EDITOR]).values_list(
            "organisation_id", flat=True
        )
    )


def editable_to(queryset, user):
    """The records of the queryset the user may change: those owned by an organisation they edit for."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    if user.is_staff:
        return queryset
    from metrodiplomacy.related import read_by

    # The records it names are still read through the related-record rule: owning a unit is not reading the
    # private organisation it may once have named.
    return read_by(queryset.filter(owner__in=editing_organisations(user)), user)


def get_visible_or_404(queryset, user, **lookup):
    """One record the user may read; another organisation's private record answers exactly like a missing one."""
    from django.http import Http404

    found = visible_to(queryset, user).filter(**lookup).first()
    if found is None:
        raise Http404("No such record.")
    return found
