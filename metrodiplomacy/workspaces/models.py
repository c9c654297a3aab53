from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metrodiplomacy.records import key_validator


class Workspace(models.Model):
    """A shared space of organisations: a metropolitan coordination space or a research project."""

    key = models.CharField(_("key"), max_length=120, unique=True, validators=[key_validator])
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organisations = models.ManyToManyField("actors.Organisation", related_name="workspaces", blank=True)
    history = HistoricalRecords(m2m_fields=[organisations])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("admin")
    EDITOR = "editor", _("editor")
    VIEWER = "viewer", _("viewer")


class Membership(models.Model):
    """A user's role in an organisation: what they may see and change follows from it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey("actors.Organisation", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org")]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} of {self.organisation}"

    @property
    def can_edit(self) -> bool:
        return self.role in {Role.ADMIN, Role.EDITOR}


class ApiToken(models.Model):
    """A secret that lets a script call the API as its user, never with more rights than the user has.

    Only the SHA-256 digest of the token is stored; the token itself is shown once, when it is created.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the script using it."))
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("first characters of the token"), max_length=12, editable=False)
    read_only = models.BooleanField(_("read only"), default=False)
    organisation = models.ForeignKey(
        "actors.Organisation",
        verbose_name=_("acts only for"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["user", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"], condition=models.Q(revoked_at__isnull=True), name="apitoken_unique_live_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user}, {self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class FeedSecret(models.Model):
    """A secret that opens one workspace's calendar feeds to a calendar application, and nothing else.

    Calendar applications send no cookie or header, so the secret travels in the feed's address, where
    proxies and logs may see it: unlike an API token it cannot write, cannot call the API, and opens no
    other workspace. The feed holds what its user may read on the day. Only the SHA-256 digest is stored.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_secrets")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100, help_text=_("Where it is used, e.g. the calendar app."))
    secret_hash = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("first characters of the secret"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["user", "workspace", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user}, {self.workspace.key}, {self.prefix}…)"
