from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metrodiplomacy.records import Record, Scale, record_constraints, year_range_check


class Modality(models.TextChoices):
    TECHNICAL = "technical", _("technical cooperation")
    FINANCIAL = "financial", _("financial cooperation")
    SOUTH_SOUTH = "south_south", _("south–south cooperation")
    TRIANGULAR = "triangular", _("triangular cooperation")
    HUMANITARIAN = "humanitarian", _("humanitarian action")
    EDUCATION_FOR_DEVELOPMENT = "education_for_development", _("education for development")
    OTHER = "other", _("other")


class CooperationProject(Record):
    """A decentralised cooperation project with its funders, implementers and partner places."""

    title = models.CharField(_("title"), max_length=300)
    funders = models.ManyToManyField("actors.Organisation", blank=True, related_name="funded_projects")
    implementers = models.ManyToManyField("actors.Organisation", blank=True, related_name="implemented_projects")
    partner_places = models.ManyToManyField("places.Place", blank=True, related_name="cooperation_projects")
    modality = models.CharField(_("modality"), max_length=30, choices=Modality.choices, blank=True)
    year_start = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    year_end = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    budget = models.DecimalField(_("budget"), max_digits=20, decimal_places=4, null=True, blank=True)
    budget_scale = models.CharField(_("budget scale"), max_length=10, choices=Scale.choices, default=Scale.UNITS)
    budget_currency = models.CharField(_("budget currency"), max_length=3, blank=True)
    description = models.TextField(_("description"), blank=True)
    policy_areas = models.ManyToManyField("evidence.PolicyArea", blank=True, related_name="cooperation_projects")
    history = HistoricalRecords(m2m_fields=["funders", "implementers", "partner_places", "policy_areas"])

    class Meta:
        ordering = ["title"]
        constraints = [
            *record_constraints("cooperationproject"),
            *year_range_check("cooperationproject", "year_start", "year_end"),
            models.CheckConstraint(
                condition=Q(year_end__isnull=True)
                | Q(year_start__isnull=True)
                | Q(year_end__gte=models.F("year_start")),
                name="cooperationproject_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="cooperationproject_budget_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title
