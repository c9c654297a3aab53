from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metrodiplomacy.records import Qualifier, Record, Scale, record_constraints, year_range_check


class OrganisationKind(models.TextChoices):
    METROPOLITAN_GOVERNMENT = "metropolitan_government", _("metropolitan government")
    CITY_GOVERNMENT = "city_government", _("city or municipal government")
    REGIONAL_GOVERNMENT = "regional_government", _("regional government")
    NATIONAL_GOVERNMENT = "national_government", _("national government")
    AGENCY = "agency", _("agency")
    PUBLIC_COMPANY = "public_company", _("public company")
    BUSINESS_ASSOCIATION = "business_association", _("business association")
    UNIVERSITY = "university", _("university")
    RESEARCH_CENTRE = "research_centre", _("research centre or think tank")
    NGO = "ngo", _("NGO or foundation")
    CITY_NETWORK = "city_network", _("city network")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("international organisation")
    DIPLOMATIC_MISSION = "diplomatic_mission", _("diplomatic mission")
    OTHER = "other", _("other")


GOVERNMENT_KINDS = {
    "metropolitan_government",
    "city_government",
    "regional_government",
    "national_government",
}


class Organisation(Record):
    """An actor: a government, agency, company, university, NGO, city network or international body."""

    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    home_place = models.ForeignKey(
        "places.Place",
        verbose_name=_("home place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)
    # A city network's thematic focus (C40: environment); the reliance derivation credits a membership to these.
    policy_areas = models.ManyToManyField(
        "evidence.PolicyArea", verbose_name=_("focus areas"), blank=True, related_name="organisations"
    )
    history = HistoricalRecords(m2m_fields=["policy_areas"])

    class Meta:
        ordering = ["name"]
        constraints = record_constraints("organisation")

    def __str__(self) -> str:
        return self.name

    @property
    def is_network(self) -> bool:
        return self.kind == OrganisationKind.CITY_NETWORK


class UnitSpecialty(models.TextChoices):
    INTERNATIONAL_RELATIONS = "international_relations", _("international relations")
    ECONOMIC_PROMOTION = "economic_promotion", _("international economic promotion")
    EUROPEAN_AFFAIRS = "european_affairs", _("European affairs")
    COOPERATION = "cooperation", _("cooperation")
    KNOWLEDGE_MANAGEMENT = "knowledge_management", _("knowledge management")
    COMMUNICATIONS = "communications", _("communications")
    REPRESENTATION_OFFICE = "representation_office", _("representation office")
    OTHER = "other", _("other")


class Unit(Record):
    """A management unit inside an organisation, with its staff and budget as the source states them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("name"), max_length=250)
    specialty = models.CharField(_("specialty"), max_length=30, choices=UnitSpecialty.choices)
    staff = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    staff_qualifier = models.CharField(
        _("staff qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    budget = models.DecimalField(_("budget"), max_digits=20, decimal_places=4, null=True, blank=True)
    budget_scale = models.CharField(_("budget scale"), max_length=10, choices=Scale.choices, default=Scale.UNITS)
    budget_qualifier = models.CharField(
        _("budget qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    budget_currency = models.CharField(_("budget currency"), max_length=3, blank=True)
    budget_year = models.PositiveSmallIntegerField(_("budget year"), null=True, blank=True)
    location = models.ForeignKey(
        "places.Place",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            *record_constraints("unit"),
            *year_range_check("unit", "budget_year"),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0), name="unit_budget_positive"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | ~Q(budget_currency=""), name="unit_budget_has_currency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"
