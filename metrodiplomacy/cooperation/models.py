from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
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


class ActivityStatus(models.TextChoices):
    """The IATI ActivityStatus codelist: the codes are what an IATI file carries."""

    PIPELINE = "1", _("pipeline or identification")
    IMPLEMENTATION = "2", _("implementation")
    FINALISATION = "3", _("finalisation")
    CLOSED = "4", _("closed")
    CANCELLED = "5", _("cancelled")
    SUSPENDED = "6", _("suspended")


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
    # IATI: the activity identifier is the reporting organisation's identifier, a hyphen and the project's own
    # reference; left empty, the export builds it from the owner's IATI identifier and the record's key.
    iati_identifier = models.CharField(
        _("IATI identifier"),
        max_length=200,
        blank=True,
        help_text=_("The reporting organisation's IATI identifier, a hyphen and the project reference."),
    )
    activity_status = models.CharField(_("activity status"), max_length=1, choices=ActivityStatus.choices, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
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
            # One organisation reports an IATI activity once; another may hold its own copy of the same activity.
            models.UniqueConstraint(
                fields=["owner", "iati_identifier"],
                condition=~Q(iati_identifier=""),
                name="cooperationproject_iati_identifier_once_per_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OrganisationIdentifier(models.Model):
    """An organisation's IATI organisation identifier (registration agency prefix and number, e.g. GB-COH-123).

    Kept beside the actors app so imports can match a reporting or participating organisation by it.
    """

    organisation = models.OneToOneField("actors.Organisation", on_delete=models.CASCADE, related_name="iati_identifier")
    ref = models.CharField(_("IATI organisation identifier"), max_length=200, unique=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.ref


class ProjectParticipant(models.Model):
    """An organisation in a project in an IATI role other than funder or implementer (accountable, extending)."""

    class Role(models.TextChoices):
        ACCOUNTABLE = "2", _("accountable")
        EXTENDING = "3", _("extending")

    project = models.ForeignKey(CooperationProject, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=1, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation", "role"], name="projectparticipant_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


dac_code_validator = RegexValidator(r"^\d{5}$", _("A DAC purpose code has five digits."))


class ProjectSector(models.Model):
    """A sector of the project: a DAC 5-digit purpose code (IATI sector vocabulary 1) or another vocabulary's."""

    DAC = "1"

    project = models.ForeignKey(CooperationProject, on_delete=models.CASCADE, related_name="sectors")
    vocabulary = models.CharField(
        _("vocabulary"), max_length=10, default=DAC, help_text=_("IATI sector vocabulary; 1 is DAC 5-digit.")
    )
    code = models.CharField(_("code"), max_length=100)
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "vocabulary", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "vocabulary", "code"], name="projectsector_once"),
            models.CheckConstraint(
                condition=~Q(vocabulary="1") | Q(code__regex=r"^[0-9]{5}$"), name="projectsector_dac_five_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code}"


class ProjectGoal(models.Model):
    """A Sustainable Development Goal the project serves, with one of its targets when known (\"11.2\")."""

    project = models.ForeignKey(CooperationProject, on_delete=models.CASCADE, related_name="goals")
    goal = models.PositiveSmallIntegerField(_("SDG"), validators=[MinValueValidator(1), MaxValueValidator(17)])
    target = models.CharField(
        _("SDG target"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{1,2}\.[0-9a-z]{1,2}$", _("A target reads like 11.2 or 17.a."))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "goal", "target"]
        constraints = [
            models.UniqueConstraint(fields=["project", "goal", "target"], name="projectgoal_once"),
            models.CheckConstraint(condition=Q(goal__gte=1, goal__lte=17), name="projectgoal_one_of_seventeen"),
        ]

    def __str__(self) -> str:
        return self.target or str(self.goal)


class ProjectBudget(models.Model):
    """The budget of one period of the project (IATI asks for periods of a year at most)."""

    class Kind(models.TextChoices):
        ORIGINAL = "1", _("original")
        REVISED = "2", _("revised")

    class Status(models.TextChoices):
        INDICATIVE = "1", _("indicative")
        COMMITTED = "2", _("committed")

    project = models.ForeignKey(CooperationProject, on_delete=models.CASCADE, related_name="budgets")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    kind = models.CharField(_("kind"), max_length=1, choices=Kind.choices, default=Kind.ORIGINAL)
    status = models.CharField(_("status"), max_length=1, choices=Status.choices, default=Status.INDICATIVE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "period_start", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="projectbudget_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end}: {self.amount} {self.currency}"


class ProjectResult(models.Model):
    """A result of the project: what it delivered or changed, optionally followed by an indicator of a strategy."""

    class Kind(models.TextChoices):
        OUTPUT = "1", _("output")
        OUTCOME = "2", _("outcome")
        IMPACT = "3", _("impact")
        OTHER = "9", _("other")

    project = models.ForeignKey(CooperationProject, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=1, choices=Kind.choices, default=Kind.OUTPUT)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    indicator = models.ForeignKey(
        "strategy.Indicator", on_delete=models.SET_NULL, null=True, blank=True, related_name="cooperation_results"
    )
    # The IATI indicators of an imported result (title, measure, baseline, periods), kept as the file gave them
    # so an export gives them back; the platform's own indicators live in the strategy app.
    iati_indicators = models.JSONField(_("IATI indicators"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "position"]

    def __str__(self) -> str:
        return self.title
