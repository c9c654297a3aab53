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
