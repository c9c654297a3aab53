from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metrodiplomacy.records import Record, record_constraints, year_range_check


class AgreementKind(models.TextChoices):
    TWINNING = "twinning", _("twinning")
    SISTER_CITY = "sister_city", _("sister city")
    FRIENDSHIP_CITY = "friendship_city", _("friendship city")
    MEMORANDUM = "memorandum", _("memorandum of understanding")
    COOPERATION_AGREEMENT = "cooperation_agreement", _("cooperation agreement")
    INNOVATION_GATEWAY = "innovation_gateway", _("innovation gateway")
    POLITICAL_ALLIANCE = "political_alliance", _("political alliance")
    ECONOMIC_ALLIANCE = "economic_alliance", _("economic alliance")
    OTHER = "other", _("other")


class Agreement(Record):
    """A bilateral or plurilateral relation between cities or organisations (two or more parties)."""

    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year signed"), null=True, blank=True)
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=[("active", _("active")), ("ended", _("ended")), ("unknown", _("unknown"))],
        default="unknown",
    )
    policy_areas = models.ManyToManyField("evidence.PolicyArea", blank=True, related_name="agreements")
    history = HistoricalRecords(m2m_fields=["policy_areas"])

    class Meta:
        ordering = ["year", "title"]
        constraints = [*record_constraints("agreement"), *year_range_check("agreement", "year")]

    def __str__(self) -> str:
        return self.title


class AgreementParty(models.Model):
    """A party to an agreement: an organisation, or a place when the record names only the city."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_parties",
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(place__isnull=False, organisation__isnull=True)
                | Q(place__isnull=True, organisation__isnull=False),
                name="agreementparty_place_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["agreement", "place"],
                condition=Q(place__isnull=False),
                name="agreementparty_unique_place",
            ),
            models.UniqueConstraint(
                fields=["agreement", "organisation"],
                condition=Q(organisation__isnull=False),
                name="agreementparty_unique_organisation",
            ),
        ]

    def __str__(self) -> str:
        return str(self.place or self.organisation)

    @property
    def party(self):
        return self.place or self.organisation


class NetworkMembership(Record):
    """An organisation's seat in a city network."""

    network = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT, related_name="network_members")
    member = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT, related_name="network_memberships")
    since = models.PositiveSmallIntegerField(_("since"), null=True, blank=True)
    until = models.PositiveSmallIntegerField(_("until"), null=True, blank=True)
    is_prioritised = models.BooleanField(_("prioritised network"), null=True, blank=True)
    # What the seat costs each year, where recorded: the network portfolio sums it per organisation.
    annual_fee = models.DecimalField(_("annual fee"), max_digits=14, decimal_places=2, null=True, blank=True)
    fee_currency = models.CharField(_("fee currency"), max_length=3, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["network__name", "member__name"]
        constraints = [
            *record_constraints("networkmembership"),
            *year_range_check("networkmembership", "since", "until"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=models.F("since")),
                name="networkmembership_until_after_since",
            ),
            models.CheckConstraint(condition=~Q(network=models.F("member")), name="networkmembership_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.network}"


class NetworkRoleKind(models.TextChoices):
    MEMBER = "member", _("member")
    EXECUTIVE_BUREAU = "executive_bureau", _("executive bureau")
    EXECUTIVE_BOARD = "executive_board", _("executive board")
    EXECUTIVE_COMMITTEE = "executive_committee", _("executive committee")
    STEERING_COMMITTEE = "steering_committee", _("steering committee")
    PRESIDENCY = "presidency", _("presidency")
    CO_PRESIDENCY = "co_presidency", _("co-presidency")
    VICE_PRESIDENCY = "vice_presidency", _("vice-presidency")
    REGIONAL_VICE_PRESIDENCY = "regional_vice_presidency", _("regional vice-presidency")
    CHAIR = "chair", _("chair")
    SECRETARIAT_HOST = "secretariat_host", _("secretariat host")
    HEADQUARTERS_HOST = "headquarters_host", _("headquarters host")
    REGIONAL_OFFICE_HOST = "regional_office_host", _("regional office host")
    CONGRESS_HOST = "congress_host", _("congress host")
    FOUNDER = "founder", _("founder")
    OTHER = "other", _("other")


class NetworkRole(models.Model):
    membership = models.ForeignKey(NetworkMembership, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=30, choices=NetworkRoleKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["membership", "role", "year"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "role", "year"], name="networkrole_unique"),
            *year_range_check("networkrole", "year"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.year or ''}".strip()


class HostingKind(models.TextChoices):
    HEADQUARTERS = "headquarters", _("headquarters")
    SECRETARIAT = "secretariat", _("secretariat")
    REGIONAL_OFFICE = "regional_office", _("regional office")
    OFFICE = "office", _("office")
    TRAINING_INSTITUTE = "training_institute", _("training institute")


class Hosting(Record):
    """A place hosts an international organisation's headquarters, secretariat or office."""

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="hostings")
    organisation = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT, related_name="hostings")
    kind = models.CharField(_("kind"), max_length=20, choices=HostingKind.choices)
    since = models.PositiveSmallIntegerField(_("since"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["place__name", "organisation__name"]
        constraints = [*record_constraints("hosting"), *year_range_check("hosting", "since")]

    def __str__(self) -> str:
        return f"{self.place} hosts {self.organisation} ({self.kind})"


class Initiative(Record):
    """A named programme or platform with foreign partners."""

    name = models.CharField(_("name"), max_length=300)
    lead = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="led_initiatives"
    )
    partners = models.ManyToManyField("actors.Organisation", blank=True, related_name="partner_initiatives")
    places = models.ManyToManyField("places.Place", blank=True, related_name="initiatives")
    policy_areas = models.ManyToManyField("evidence.PolicyArea", blank=True, related_name="initiatives")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=["partners", "places", "policy_areas"])

    class Meta:
        ordering = ["name"]
        constraints = [*record_constraints("initiative"), *year_range_check("initiative", "year")]

    def __str__(self) -> str:
        return self.name


class EngagementKind(models.TextChoices):
    OUTGOING_MISSION = "outgoing_mission", _("outgoing mission")
    INCOMING_DELEGATION = "incoming_delegation", _("incoming delegation")
    HEAD_OF_STATE_VISIT = "head_of_state_visit", _("head-of-state visit")
    HOSTED_EVENT = "hosted_event", _("hosted event")
    CONGRESS = "congress", _("congress")
    FAIR = "fair", _("fair")
    ADVOCACY_DECLARATION = "advocacy_declaration", _("advocacy declaration")
    KNOWLEDGE_EXCHANGE = "knowledge_exchange", _("knowledge exchange")
    TRAINING = "training", _("training")
    OTHER = "other", _("other")


class Engagement(Record):
    """A dated international action: a mission, a visit, a hosted event, a declaration."""

    kind = models.CharField(_("kind"), max_length=30, choices=EngagementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="engagements"
    )
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    # Missions and congresses last days; the calendar and the overlap rules need where they end.
    end_date = models.DateField(_("end date"), null=True, blank=True)
    policy_areas = models.ManyToManyField("evidence.PolicyArea", blank=True, related_name="engagements")
    partners = models.ManyToManyField("actors.Organisation", blank=True, related_name="partner_engagements")
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=["policy_areas", "partners"])

    class Meta:
        ordering = ["year", "title"]
        constraints = [
            *record_constraints("engagement"),
            *year_range_check("engagement", "year"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(date__isnull=True) | Q(end_date__gte=models.F("date")),
                name="engagement_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title
