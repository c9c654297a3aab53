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
