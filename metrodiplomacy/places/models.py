from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metrodiplomacy.records import (
    Qualifier,
    Record,
    Scale,
    key_validator,
    record_constraints,
    year_range_check,
)


class PlaceKind(models.TextChoices):
    COUNTRY = "country", _("country")
    REGION = "region", _("region")
    METROPOLITAN_AREA = "metropolitan_area", _("metropolitan area")
    CITY = "city", _("city")
    MUNICIPALITY = "municipality", _("municipality")
    ADMIN_AREA = "admin_area", _("administrative area")


class GlobalGroup(models.TextChoices):
    NORTH = "north", _("Global North")
    SOUTH = "south", _("Global South")


class Place(models.Model):
    """A country, region, metropolitan area, city or municipality: shared reference data, not owned."""

    key = models.CharField(_("key"), max_length=120, unique=True, validators=[key_validator])
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        "self", verbose_name=_("country"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("within"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The metropolitan area a municipality belongs to, or the country of a city."),
    )
    iso2 = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, null=True, blank=True, unique=True)
    iso3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, blank=True)
    m49 = models.CharField(_("UN M49 code"), max_length=3, blank=True)
    region = models.CharField(_("UN M49 region"), max_length=40, blank=True)
    subregion = models.CharField(_("UN M49 sub-region"), max_length=40, blank=True)
    global_group = models.CharField(_("Global North / South"), max_length=5, choices=GlobalGroup.choices, blank=True)
    global_group_source = models.CharField(_("source of the North/South classification"), max_length=200, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    population = models.PositiveBigIntegerField(_("gazetteer population"), null=True, blank=True)
    alternate_names = models.TextField(_("alternate names"), blank=True, help_text=_("One per line."))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
            ),
            models.CheckConstraint(condition=~Q(kind="country") | Q(iso2__isnull=False), name="place_country_has_iso2"),
            models.CheckConstraint(condition=Q(kind="country") | Q(iso2__isnull=True), name="place_iso2_only_country"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_global_group(self) -> str:
        if self.global_group:
            return self.global_group
        return self.country.global_group if self.country_id else ""


class Statistic(Record):
    """A number about a place or an organisation for a year, as the source states it."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="statistics")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="statistics"
    )
    metric = models.CharField(_("metric"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, default=Scale.UNITS)
    unit = models.CharField(_("unit"), max_length=20)
    qualifier = models.CharField(_("qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=[("observed", _("observed")), ("projected", _("projected")), ("target", _("target"))],
        default="observed",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["metric", "year"]
        constraints = [
            *record_constraints("statistic"),
            *year_range_check("statistic", "year"),
            # A statistic with neither is about the world as a whole ("more than 200 city networks").
            models.CheckConstraint(
                condition=Q(place__isnull=True) | Q(organisation__isnull=True),
                name="statistic_about_one_subject_at_most",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.year}: {self.value} {self.scale} {self.unit}"


class RankingPosition(Record):
    """A place's position in a named ranking for a year."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="ranking_positions")
    ranking = models.CharField(_("ranking"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ranking", "year"]
        constraints = [
            *record_constraints("rankingposition"),
            *year_range_check("rankingposition", "year"),
            models.CheckConstraint(
                condition=Q(position__isnull=True) | Q(position__gte=1),
                name="rankingposition_position_from_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} in {self.ranking} {self.year}: {self.position}"


class MatchDecisionKind(models.TextChoices):
    PENDING = "pending", _("waiting for review")
    ACCEPTED = "accepted", _("accepted")
    CORRECTED = "corrected", _("corrected")
    REJECTED = "rejected", _("rejected")


class MatchDecision(models.Model):
    """A free-text place name (as an import spelt it) and what a reviewer decided it refers to.

    Imports queue names they could not match with confidence; the decision is applied to every
    later import that meets the same name in the same country.
    """

    raw_name = models.CharField(_("name as written"), max_length=300)
    raw_country = models.CharField(_("country as written"), max_length=200, blank=True)
    name_key = models.CharField(_("folded name"), max_length=300)
    country_key = models.CharField(_("folded country"), max_length=200, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=MatchDecisionKind.choices, default=MatchDecisionKind.PENDING
    )
    proposed_geonames_id = models.PositiveIntegerField(_("proposed GeoNames id"), null=True, blank=True)
    proposed_label = models.CharField(_("proposed place"), max_length=300, blank=True)
    confidence = models.FloatField(_("confidence of the proposal"), default=0)
    reason = models.TextField(_("why the match was uncertain"), blank=True)
    occurrences = models.PositiveIntegerField(_("rows naming it in the last import"), default=0)
    place = models.ForeignKey(
        Place,
        verbose_name=_("decided place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.CharField(_("decided by"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurrences", "raw_name"]
        constraints = [
            models.UniqueConstraint(fields=["name_key", "country_key"], name="matchdecision_unique_name"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0, confidence__lte=1), name="matchdecision_confidence_range"
            ),
            # Accepting or correcting names a place; rejecting or waiting names none.
            models.CheckConstraint(
                condition=Q(decision__in=["accepted", "corrected"], place__isnull=False)
                | Q(decision__in=["pending", "rejected"], place__isnull=True),
                name="matchdecision_place_iff_matched",
            ),
        ]

    def __str__(self) -> str:
        where = f", {self.raw_country}" if self.raw_country else ""
        return f"{self.raw_name}{where}: {self.get_decision_display()}"
