from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metrodiplomacy.records import Record, key_validator, record_constraints, year_range_check


class SourceKind(models.TextChoices):
    THESIS = "thesis", _("thesis")
    REPORT = "report", _("report")
    STUDY = "study", _("study")
    DATASET = "dataset", _("dataset")
    WEB = "web", _("web page")
    INTERVIEW = "interview", _("interview")
    OTHER = "other", _("other")


class Source(Record):
    """A document, dataset, page or interview that facts are taken from."""

    title = models.CharField(_("title"), max_length=400)
    author = models.CharField(_("author"), max_length=400, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices)
    file = models.CharField(_("file name"), max_length=200, blank=True)
    url = models.URLField(_("address"), blank=True)
    # What others may do with the source's data (a dataset's licence decides whether we may republish it).
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [*record_constraints("source"), *year_range_check("source", "year")]

    def __str__(self) -> str:
        return self.title


class Citation(models.Model):
    """Points from any record to the passage of a source that states it."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    section = models.CharField(_("section"), max_length=300, blank=True)
    line_start = models.PositiveIntegerField(_("first line"), null=True, blank=True)
    line_end = models.PositiveIntegerField(_("last line"), null=True, blank=True)
    page = models.CharField(_("page"), max_length=40, blank=True)
    note = models.TextField(_("what the passage says"))
    quotation = models.TextField(
        _("quotation"), blank=True, help_text=_("Your own sources only: bundled data paraphrases.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["source_id", "line_start"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(line_start__isnull=True) | Q(line_start__gte=1), name="citation_line_from_one"
            ),
            models.CheckConstraint(
                condition=Q(line_end__isnull=True) | Q(line_start__isnull=False, line_end__gte=models.F("line_start")),
                name="citation_line_range_ordered",
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "source", "section", "line_start", "line_end"],
                name="citation_unique_passage_per_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}, {self.locator}"

    @property
    def locator(self) -> str:
        if self.line_start is None:
            return self.section or self.page
        if self.line_end in (None, self.line_start):
            lines = f"line {self.line_start}"
        else:
            lines = f"lines {self.line_start}–{self.line_end}"
        return f"{self.section}, {lines}" if self.section else lines


class Framework(models.Model):
    """A set of policy areas cities are coded on (the thesis' seven areas, the extended taxonomy)."""

    key = models.CharField(_("key"), max_length=60, unique=True, validators=[key_validator])
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    areas = models.ManyToManyField("PolicyArea", through="FrameworkArea", related_name="frameworks")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name


class PolicyArea(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sdgs = models.CharField(_("related SDGs"), max_length=60, blank=True, help_text=_("Goal numbers, ';' separated."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class FrameworkArea(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE)
    area = models.ForeignKey(PolicyArea, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "area"], name="frameworkarea_unique"),
            models.UniqueConstraint(fields=["framework", "position"], name="frameworkarea_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.framework_id}: {self.position}. {self.area_id}"


class RelianceLevel(models.TextChoices):
    RELIES = "+", _("relies")
    NEUTRAL = "0", _("neutral")
    NO_RELIANCE = "-", _("no reliance")
    NOT_CLEAR = "?", _("not clear")


class RelianceCoding(Record):
    """One coder's judgement of how far a place relies on international action in a policy area."""

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="reliance_codings")
    policy_area = models.ForeignKey(PolicyArea, on_delete=models.PROTECT, related_name="reliance_codings")
    level = models.CharField(_("level"), max_length=1, choices=RelianceLevel.choices)
    coder = models.CharField(_("coder"), max_length=200)
    coded_on = models.DateField(_("coded on"), null=True, blank=True)
    rationale = models.TextField(_("rationale"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["place__name", "policy_area__code"]
        constraints = [
            *record_constraints("reliancecoding"),
            models.UniqueConstraint(fields=["place", "policy_area", "coder"], name="reliancecoding_one_per_coder"),
            models.CheckConstraint(condition=Q(level__in=["+", "0", "-", "?"]), name="reliancecoding_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.place} / {self.policy_area}: {self.level} ({self.coder})"


class ClassificationScheme(models.TextChoices):
    GOVERNANCE_SCENARIO = "governance_scenario", _("governance scenario")
    PLANNING_GROUP = "planning_group", _("planning group")
    EXTERNALITIES_MEASURED = "externalities_measured", _("negative externalities measured (1) or not (0)")


class ClassificationCoding(Record):
    """A coder's classification of a place on the comparative framework (overrides the derived one)."""

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="classification_codings")
    scheme = models.CharField(_("scheme"), max_length=30, choices=ClassificationScheme.choices)
    value = models.PositiveSmallIntegerField(_("value"))
    coder = models.CharField(_("coder"), max_length=200)
    rationale = models.TextField(_("rationale"))
    history = HistoricalRecords()

    class Meta:
        constraints = [
            *record_constraints("classificationcoding"),
            models.CheckConstraint(
                condition=Q(scheme="governance_scenario", value__gte=1, value__lte=3)
                | Q(scheme="planning_group", value__gte=1, value__lte=4)
                | Q(scheme="externalities_measured", value__gte=0, value__lte=1),
                name="classificationcoding_value_in_scheme_range",
            ),
            models.UniqueConstraint(fields=["place", "scheme", "coder"], name="classificationcoding_one_per_coder"),
        ]

    def __str__(self) -> str:
        return f"{self.place}: {self.scheme} {self.value}"


class CaseStudy(Record):
    """A place a source studies as a case."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="case_studies")
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="case_studies")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="case_studies"
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["place__name"]
        verbose_name_plural = _("case studies")
        constraints = [
            *record_constraints("casestudy"),
            models.UniqueConstraint(fields=["source", "place"], name="casestudy_unique_source_place"),
        ]

    def __str__(self) -> str:
        return f"{self.place} ({self.source})"


class Survey(Record):
    name = models.CharField(_("name"), max_length=300)
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="surveys"
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    respondents = models.PositiveIntegerField(_("respondents"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [*record_constraints("survey"), *year_range_check("survey", "year")]

    def __str__(self) -> str:
        return self.name


class SurveyResult(Record):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="results")
    measure = models.CharField(_("measure"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=20)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            *record_constraints("surveyresult"),
            models.CheckConstraint(
                condition=~Q(unit="percent") | Q(value__gte=0, value__lte=100),
                name="surveyresult_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.measure} = {self.value} {self.unit}"
