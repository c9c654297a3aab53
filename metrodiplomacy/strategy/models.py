from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metrodiplomacy.records import Qualifier, Record, Scale, record_constraints, year_range_check


class StrategyKind(models.TextChoices):
    INTEGRAL_INTERNATIONAL_PLAN = "integral_international_plan", _("integral international plan")
    DEVELOPMENT_PLAN_INTERNATIONALISATION = (
        "development_plan_internationalisation",
        _("development plan with an internationalisation programme"),
    )
    SECTORAL_PLAN = "sectoral_plan", _("sectoral plan")
    STRATEGIC_PLAN = "strategic_plan", _("strategic plan")
    INFORMAL_STRATEGY = "informal_strategy", _("strategy without a written plan")


class StrategySector(models.TextChoices):
    ECONOMIC_INTERNATIONALISATION = "economic_internationalisation", _("economic internationalisation")
    COOPERATION = "cooperation", _("cooperation")
    SCIENCE_DIPLOMACY = "science_diplomacy", _("science diplomacy")
    INVESTMENT_PROMOTION = "investment_promotion", _("investment promotion")
    CULTURE = "culture", _("culture")
    TOURISM = "tourism", _("tourism")
    OTHER = "other", _("other")


class Strategy(Record):
    """A plan of an organisation that frames its international action."""

    organisation = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT, related_name="strategies")
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=40, choices=StrategyKind.choices)
    sector = models.CharField(_("sector"), max_length=40, choices=StrategySector.choices, blank=True)
    year_start = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    year_end = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    is_participatory = models.BooleanField(_("drawn up with a participatory process"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "year_start"]
        verbose_name_plural = _("strategies")
        constraints = [
            *record_constraints("strategy"),
            *year_range_check("strategy", "year_start", "year_end"),
            models.CheckConstraint(
                condition=Q(year_end__isnull=True)
                | Q(year_start__isnull=True)
                | Q(year_end__gte=models.F("year_start")),
                name="strategy_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorCategory(models.TextChoices):
    INVESTMENT_ATTRACTED = "investment_attracted", _("investment attracted")
    HEADQUARTERS_ESTABLISHED = "headquarters_established", _("headquarters established")
    PROJECTS_AND_FINANCING = "projects_and_financing", _("projects and financing")
    TALENT_ATTRACTED = "talent_attracted", _("talent attracted")
    JOBS = "jobs", _("jobs")
    FAIR_AND_CONGRESS_VISITORS = "fair_and_congress_visitors", _("fair and congress visitors")
    TOURISTS = "tourists", _("tourists")
    RANKING_POSITION = "ranking_position", _("ranking position")
    FUNDS_OBTAINED = "funds_obtained", _("funds obtained")
    CUSTOM = "custom", _("custom")


class IndicatorKind(models.TextChoices):
    OUTPUT = "output", _("output")
    OUTCOME = "outcome", _("outcome")
    IMPACT = "impact", _("impact")
    EXTERNALITY = "externality", _("externality")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("higher is better")
    LOWER_IS_BETTER = "lower", _("lower is better")


class StrategyAxis(Record):
    """A strategic line of a plan, grouping its objectives (axis 1: an attractive metropolis…)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="axes")
    code = models.CharField(_("code"), max_length=20, blank=True, help_text=_("Its number in the plan, e.g. 1 or A."))
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "code", "name"]
        verbose_name = _("strategic axis")
        verbose_name_plural = _("strategic axes")
        constraints = record_constraints("strategyaxis")

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class Objective(Record):
    """What a strategy sets out to achieve; indicators measure it."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="objectives")
    axis = models.ForeignKey(
        StrategyAxis,
        verbose_name=_("axis"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
    )
    code = models.CharField(_("code"), max_length=20, blank=True, help_text=_("Its number in the plan, e.g. 1.2."))
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "code", "name"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = record_constraints("objective")

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    def clean(self) -> None:
        super().clean()
        if self.axis_id is not None and self.strategy_id is not None and self.axis.strategy_id != self.strategy_id:
            raise ValidationError({"axis": _("The axis belongs to another strategy.")})


class Indicator(Record):
    """What is measured to follow up international action, or one of its negative externalities."""

    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=300)
    category = models.CharField(_("category"), max_length=30, choices=IndicatorCategory.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=IndicatorKind.choices)
    objectives = models.ManyToManyField(Objective, verbose_name=_("objectives"), blank=True, related_name="indicators")
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("What one value counts: persons, EUR, position, µg/m³…")
    )
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=Direction.choices,
        blank=True,
        help_text=_("Left empty: lower is better for an externality, higher for any other kind."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = record_constraints("indicator")

    def __str__(self) -> str:
        return self.name


class ValueRole(models.TextChoices):
    BASELINE = "baseline", _("baseline")
    TARGET = "target", _("target")
    OBSERVED = "observed", _("observed")


class ValueState(models.TextChoices):
    KNOWN = "known", _("known")
    # Said explicitly, so a missing figure is never mistaken for zero nor typed in as free text.
    UNKNOWN = "unknown", _("unknown")


class Approval(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for approval")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned for correction")


class Observation(Record):
    """A value of an indicator for a period (a year): its baseline, its target or what was observed."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=ValueRole.choices, default=ValueRole.OBSERVED)
    value_state = models.CharField(
        _("value state"), max_length=10, choices=ValueState.choices, default=ValueState.KNOWN
    )
    value = models.DecimalField(
        _("value"), max_digits=20, decimal_places=4, null=True, blank=True, help_text=_("Empty when it is unknown.")
    )
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, default=Scale.UNITS)
    unit = models.CharField(_("unit"), max_length=40)
    qualifier = models.CharField(_("qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    dimension = models.CharField(
        _("disaggregation"), max_length=60, blank=True, help_text=_("What the value is broken down by, e.g. sex.")
    )
    dimension_value = models.CharField(
        _("disaggregation value"), max_length=100, blank=True, help_text=_("Which part this value is, e.g. women.")
    )
    # Changed only by the approval services (strategy/services.py), never by a form.
    approval = models.CharField(
        _("approval"), max_length=10, choices=Approval.choices, default=Approval.DRAFT, editable=False
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year", "role"]
        constraints = [
            *record_constraints("observation"),
            *year_range_check("observation", "year"),
            models.CheckConstraint(
                condition=Q(value_state="known", value__isnull=False) | Q(value_state="unknown", value__isnull=True),
                name="observation_value_matches_state",
            ),
            models.CheckConstraint(
                condition=Q(dimension="") | ~Q(dimension_value=""), name="observation_disaggregation_complete"
            ),
        ]

    def __str__(self) -> str:
        shown = self.value if self.value_state == ValueState.KNOWN else _("unknown")
        return f"{self.indicator} {self.year} {self.role}: {shown}"

    def clean(self) -> None:
        super().clean()
        if self.value_state == ValueState.KNOWN and self.value is None:
            raise ValidationError({"value": _("Give the value, or mark it unknown.")})
        if self.value_state == ValueState.UNKNOWN and self.value is not None:
            raise ValidationError({"value": _("An unknown value is left empty.")})
        if bool(self.dimension) != bool(self.dimension_value):
            raise ValidationError({"dimension_value": _("Give both the disaggregation and its value, or neither.")})


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("submitted")
    APPROVE = "approve", _("approved")
    RETURN = "return", _("returned")
    REOPEN = "reopen", _("reopened as draft")


class ObservationReview(models.Model):
    """One step of the approval of a value: who did what, when, and why."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField(_("action"), max_length=10, choices=ReviewAction.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["observation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.observation.key}: {self.action} by {self.user} at {self.at:%Y-%m-%d %H:%M}"


class LockedPeriod(models.Model):
    """A year of an organisation's values closed for good: nothing in it may change any more."""

    organisation = models.ForeignKey("actors.Organisation", on_delete=models.CASCADE, related_name="locked_periods")
    year = models.PositiveSmallIntegerField(_("year"))
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["organisation", "year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="lockedperiod_unique_year"),
            *year_range_check("lockedperiod", "year"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class ReportKind(models.TextChoices):
    ANNUAL_REVIEW = "annual_review", _("annual review of activities")
    PLAN_EVALUATION = "plan_evaluation", _("evaluation of a plan")
    WEB_PORTAL = "web_portal", _("web page on the international action")
    OTHER = "other", _("other")


class ReportCoverage(models.TextChoices):
    TERRITORY = "territory", _("the external action of the whole territory, with its stakeholders")
    ORGANISATION = "organisation", _("all the international action of the publisher")
    SECTOR = "sector", _("one sector or programme")


class AccountabilityReport(Record):
    """A published account to citizens of international action: what was done abroad and, ideally, with what results.

    Kept apart from indicators because the study asks two things of a metropolis: that it measures
    results, and that it reports them publicly for everything it does abroad (seed 003, line 1163).
    """

    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="accountability_reports"
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    coverage = models.CharField(_("coverage"), max_length=20, choices=ReportCoverage.choices)
    sector = models.CharField(_("sector"), max_length=40, choices=StrategySector.choices, blank=True)
    strategy = models.ForeignKey(
        Strategy, on_delete=models.SET_NULL, null=True, blank=True, related_name="accountability_reports"
    )
    reports_results = models.BooleanField(
        _("reports the results obtained"),
        null=True,
        blank=True,
        help_text=_("Yes when it gives results (indicator values, impact), not only activities and contacts."),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    url = models.URLField(_("address"), blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "year", "title"]
        constraints = [
            *record_constraints("accountabilityreport"),
            *year_range_check("accountabilityreport", "year"),
            models.CheckConstraint(
                condition=Q(coverage="sector") | Q(sector=""), name="accountabilityreport_sector_only_when_sectoral"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ExternalityKind(models.TextChoices):
    GENTRIFICATION_AND_HOUSING = "gentrification_housing", _("gentrification and housing")
    POLLUTION = "pollution", _("pollution")
    TRAFFIC = "traffic", _("traffic")
    MASS_TOURISM = "mass_tourism", _("mass tourism")
    JOB_PRECARITY = "job_precarity", _("job precarity")
    LOSS_OF_LOCAL_IDENTITY = "loss_of_local_identity", _("loss of local identity")
    OTHER = "other", _("other")


class ExternalityDriver(models.TextChoices):
    PORT = "port", _("port and cruise traffic")
    AIRPORT = "airport", _("airport")
    EVENTS = "events", _("hosted events and congresses")
    FAIRS = "fairs", _("fairs")
    TOURISM = "tourism", _("tourism promotion")
    INVESTMENT = "investment", _("investment attraction")
    TALENT = "talent", _("talent attraction")
    PLATFORM_ECONOMY = "platform_economy", _("platform economy and start-ups")
    INTERNATIONAL_ORGANISATIONS = "international_organisations", _("hosting international organisations")
    OTHER = "other", _("other")


class Externality(Record):
    """A negative effect of a territory's international attractiveness, with what drives it and how it is measured.

    The study finds that no city it analysed gauges these effects or explains its mitigation (seed 003,
    lines 920 and 1165): the register makes both visible.
    """

    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="externalities", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=ExternalityKind.choices)
    driver = models.CharField(_("main driver"), max_length=30, choices=ExternalityDriver.choices)
    driving_organisations = models.ManyToManyField(
        "actors.Organisation",
        verbose_name=_("driving organisations"),
        blank=True,
        related_name="driven_externalities",
        help_text=_("The port, airport, fair or agency whose activity causes it."),
    )
    policy_areas = models.ManyToManyField(
        "evidence.PolicyArea", verbose_name=_("sectors"), blank=True, related_name="externalities"
    )
    indicators = models.ManyToManyField(
        Indicator,
        verbose_name=_("indicators"),
        blank=True,
        related_name="externalities",
        help_text=_("Indicators of kind externality that measure it."),
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "kind", "name"]
        verbose_name = _("externality")
        verbose_name_plural = _("externalities")
        constraints = record_constraints("externality")

    def __str__(self) -> str:
        return self.name


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class MitigationMeasure(Record):
    """What is done to reduce an externality, and how far it has got."""

    externality = models.ForeignKey(Externality, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(_("name"), max_length=300)
    status = models.CharField(_("status"), max_length=15, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    responsible = models.ForeignKey(
        "actors.Organisation",
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mitigation_measures",
    )
    year_start = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["externality", "year_start", "name"]
        verbose_name = _("mitigation measure")
        verbose_name_plural = _("mitigation measures")
        constraints = [*record_constraints("mitigationmeasure"), *year_range_check("mitigationmeasure", "year_start")]

    def __str__(self) -> str:
        return self.name
