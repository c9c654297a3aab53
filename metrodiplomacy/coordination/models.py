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


class StakeholderSector(models.TextChoices):
    PUBLIC = "public", _("public sector")
    PRIVATE = "private", _("private sector")
    ACADEMIA = "academia", _("academia and research")
    CIVIL_SOCIETY = "civil_society", _("civil society")
    MIXED = "mixed", _("public–private")


# UN M49 regions, the same names places carry in their `region` field, so an agenda's regions and a
# partner place's region can be compared without a lookup table.
M49_REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")


def validate_regions(value) -> None:
    from django.core.exceptions import ValidationError

    if not isinstance(value, list) or any(region not in M49_REGIONS for region in value):
        raise ValidationError(
            _("List UN M49 regions only: %(regions)s.") % {"regions": ", ".join(M49_REGIONS)}, code="regions"
        )


class StakeholderAgenda(Record):
    """What one organisation of a metropolis pursues abroad, and who answers for it: its entry in the registry."""

    organisation = models.OneToOneField(
        "actors.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="agenda"
    )
    sector = models.CharField(_("sector"), max_length=20, choices=StakeholderSector.choices, blank=True)
    priority_regions = models.JSONField(_("priority regions"), default=list, blank=True, validators=[validate_regions])
    priority_countries = models.ManyToManyField(
        "places.Place", verbose_name=_("priority countries"), blank=True, related_name="+"
    )
    priority_cities = models.ManyToManyField(
        "places.Place", verbose_name=_("priority partner cities"), blank=True, related_name="+"
    )
    policy_areas = models.ManyToManyField(
        "evidence.PolicyArea", verbose_name=_("policy areas"), blank=True, related_name="+"
    )
    networks = models.ManyToManyField(
        "actors.Organisation", verbose_name=_("priority networks"), blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "actors.Unit",
        verbose_name=_("international unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    commitments = models.TextField(
        _("coordination commitments"),
        blank=True,
        help_text=_("What the organisation undertakes towards the others: sharing its calendar, joint missions…"),
    )
    history = HistoricalRecords(m2m_fields=["priority_countries", "priority_cities", "policy_areas", "networks"])

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("stakeholder agenda")
        verbose_name_plural = _("stakeholder agendas")
        constraints = record_constraints("stakeholderagenda")

    def __str__(self) -> str:
        return str(self.organisation)


class Meeting(models.Model):
    """A meeting of a coordination mechanism; it is read and changed by whoever may read and change the mechanism."""

    mechanism = models.ForeignKey(CoordinationMechanism, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    # Minutes live under MEDIA_ROOT but are never served from it: a view checks the mechanism's gate first.
    minutes = models.FileField(_("minutes"), upload_to="coordination/minutes/%Y/", blank=True)
    minutes_name = models.CharField(_("minutes file name"), max_length=200, blank=True)
    minutes_type = models.CharField(_("minutes media type"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.mechanism} — {self.date:%Y-%m-%d}"


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class Decision(models.Model):
    """What a mechanism decided, who answers for it and by when: its follow-up."""

    mechanism = models.ForeignKey(CoordinationMechanism, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions")
    text = models.TextField(_("decision"))
    responsible = models.ForeignKey(
        "actors.Organisation",
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordination_decisions",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.OPEN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "due_date", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
