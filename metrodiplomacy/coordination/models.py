from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metrodiplomacy.records import Record, record_constraints, year_range_check


class MechanismKind(models.TextChoices):
    ROUNDTABLE = "roundtable", _("roundtable")
    COUNCIL = "council", _("council")
    STEERING_COMMITTEE = "steering_committee", _("steering committee")
    ADVISORY_BOARD = "advisory_board", _("advisory board")
    PLATFORM = "platform", _("platform")
    OTHER = "other", _("other")


class CoordinationLogic(models.TextChoices):
    INTERGOVERNMENTAL = "intergovernmental", _("coordination among spheres of government")
    CITIZEN_PARTICIPATION = "citizen_participation", _("citizen participation")
    PUBLIC_PRIVATE = "public_private", _("public–private collaboration")


class MechanismScope(models.TextChoices):
    OVERALL = "overall", _("the whole external action of its territory")
    SECTORAL = "sectoral", _("one sector or dimension of the external action")


class CoordinationMechanism(Record):
    """A body through which several stakeholders coordinate part of a territory's external action."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=MechanismKind.choices)
    convenor = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="convened_mechanisms",
    )
    members = models.ManyToManyField("actors.Organisation", blank=True, related_name="coordination_mechanisms")
    logic = models.CharField(_("logic"), max_length=30, choices=CoordinationLogic.choices)
    # The study's call (a space that follows the whole external action, not one sector of it) can only be
    # checked when each mechanism says which it is; empty when the source does not say.
    scope = models.CharField(_("scope"), max_length=10, choices=MechanismScope.choices, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=["members"])

    class Meta:
        ordering = ["name"]
        constraints = [
            *record_constraints("coordinationmechanism"),
            *year_range_check("coordinationmechanism", "year"),
        ]

    def __str__(self) -> str:
        return self.name
