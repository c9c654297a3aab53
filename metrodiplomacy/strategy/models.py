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


class Indicator(Record):
    """What is measured to follow up international action, or one of its negative externalities."""

    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=300)
    category = models.CharField(_("category"), max_length=30, choices=IndicatorCategory.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=IndicatorKind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = record_constraints("indicator")

    def __str__(self) -> str:
        return self.name


class Observation(Record):
    """A value of an indicator for a year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, default=Scale.UNITS)
    unit = models.CharField(_("unit"), max_length=20)
    qualifier = models.CharField(_("qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [*record_constraints("observation"), *year_range_check("observation", "year")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


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
