"""What the diplomacy endpoints read and write: agreements, network memberships, hostings, initiatives, engagements."""

import datetime as dt
from typing import Annotated

from ninja import Field, FilterSchema, Schema
from ninja.filter_schema import FilterLookup

from metrodiplomacy.api.common import CitedOut, RecordOut, key_of, keys_of

# The pattern is documented, not enforced here: the model refuses a malformed key with a 400, the same answer as a
# key another organisation's record holds (metrodiplomacy/writes.py, save_validated).
KEY_FIELD = Field(
    ...,
    max_length=120,
    json_schema_extra={"pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
    description="Stable key of the record.",
)
OWNER_FIELD = Field(None, description="Key of the owning organisation; your own when you edit for only one.")
VISIBILITY_FIELD = Field("private", description="private, workspace or public.")
PUBLICATION_FIELD = Field("draft", description="draft or published.")


class PartyOut(Schema):
    place: str | None = Field(None, description="Key of the place, when the party is a city as such.")
    organisation: str | None = Field(None, description="Key of the organisation.")

    resolve_place = key_of("place")
    resolve_organisation = key_of("organisation")


class AgreementOut(RecordOut):
    kind: str
    title: str
    year: int | None
    signed_on: dt.date | None
    status: str
    policy_areas: list[str] = Field(..., description="Policy area codes.")
    parties: list[PartyOut]

    resolve_policy_areas = keys_of("policy_areas", "code")

    @staticmethod
    def resolve_parties(obj) -> list:
        return list(obj.parties.all())


class AgreementDetailOut(AgreementOut, CitedOut):
    pass


class AgreementFilters(FilterSchema):
    kind: Annotated[str | None, FilterLookup("kind")] = None
    year: Annotated[int | None, FilterLookup("year")] = None
    status: Annotated[str | None, FilterLookup("status")] = None
    place: Annotated[str | None, FilterLookup("parties__place__key")] = Field(None, description="A party's place key.")
    organisation: Annotated[str | None, FilterLookup("parties__organisation__key")] = Field(
        None, description="A party's organisation key."
    )
    policy_area: Annotated[str | None, FilterLookup("policy_areas__code")] = None


class PartyIn(Schema):
    place: str | None = Field(None, description="Key of a place (give this or organisation).")
    organisation: str | None = Field(None, description="Key of an organisation you can read.")


class AgreementIn(Schema):
    key: str = KEY_FIELD
    owner: str | None = OWNER_FIELD
    visibility: str = VISIBILITY_FIELD
    publication: str = PUBLICATION_FIELD
    flag: str = ""
    kind: str = Field(..., description="twinning, sister_city, memorandum, … (see the data model).")
    title: str = Field(..., min_length=1, max_length=300)
    year: int | None = None
    signed_on: dt.date | None = None
    status: str = "unknown"
    policy_areas: list[str] = Field(default_factory=list, description="Policy area codes.")
    parties: list[PartyIn] = Field(default_factory=list)


class AgreementPatch(Schema):
    owner: str | None = None
    visibility: str | None = None
    publication: str | None = None
    flag: str | None = None
    kind: str | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    year: int | None = None
    signed_on: dt.date | None = None
    status: str | None = None
    policy_areas: list[str] | None = Field(None, description="Replaces the policy areas when given.")
    parties: list[PartyIn] | None = Field(None, description="Replaces the parties when given.")


class RoleOut(Schema):
    role: str
    year: int | None


class NetworkMembershipOut(RecordOut):
    network: str
    member: str
    since: int | None
    until: int | None
    is_prioritised: bool | None
    roles: list[RoleOut]

    resolve_network = key_of("network")
    resolve_member = key_of("member")

    @staticmethod
    def resolve_roles(obj) -> list:
        return list(obj.roles.all())


class NetworkMembershipDetailOut(NetworkMembershipOut, CitedOut):
    pass


class NetworkMembershipFilters(FilterSchema):
    network: Annotated[str | None, FilterLookup("network__key")] = None
    member: Annotated[str | None, FilterLookup("member__key")] = None
    is_prioritised: Annotated[bool | None, FilterLookup("is_prioritised")] = None


class HostingOut(RecordOut):
    place: str
    organisation: str
    kind: str
    since: int | None

    resolve_place = key_of("place")
    resolve_organisation = key_of("organisation")


class HostingDetailOut(HostingOut, CitedOut):
    pass


class HostingFilters(FilterSchema):
    place: Annotated[str | None, FilterLookup("place__key")] = None
    organisation: Annotated[str | None, FilterLookup("organisation__key")] = None
    kind: Annotated[str | None, FilterLookup("kind")] = None


class InitiativeOut(RecordOut):
    name: str
    lead: str | None
    partners: list[str]
    places: list[str]
    policy_areas: list[str]
    year: int | None
    description: str

    resolve_lead = key_of("lead")
    resolve_partners = keys_of("partners")
    resolve_places = keys_of("places")
    resolve_policy_areas = keys_of("policy_areas", "code")


class InitiativeDetailOut(InitiativeOut, CitedOut):
    pass


class InitiativeFilters(FilterSchema):
    lead: Annotated[str | None, FilterLookup("lead__key")] = None
    partner: Annotated[str | None, FilterLookup("partners__key")] = None
    place: Annotated[str | None, FilterLookup("places__key")] = None
    policy_area: Annotated[str | None, FilterLookup("policy_areas__code")] = None
    year: Annotated[int | None, FilterLookup("year")] = None


class InitiativeIn(Schema):
    key: str = KEY_FIELD
    owner: str | None = OWNER_FIELD
    visibility: str = VISIBILITY_FIELD
    publication: str = PUBLICATION_FIELD
    flag: str = ""
    name: str = Field(..., min_length=1, max_length=300)
    lead: str | None = Field(None, description="Key of the leading organisation.")
    partners: list[str] = Field(default_factory=list, description="Organisation keys.")
    places: list[str] = Field(default_factory=list, description="Place keys.")
    policy_areas: list[str] = Field(default_factory=list, description="Policy area codes.")
    year: int | None = None
    description: str = ""


class InitiativePatch(Schema):
    owner: str | None = None
    visibility: str | None = None
    publication: str | None = None
    flag: str | None = None
    name: str | None = Field(None, min_length=1, max_length=300)
    lead: str | None = None
    partners: list[str] | None = None
    places: list[str] | None = None
    policy_areas: list[str] | None = None
    year: int | None = None
    description: str | None = None


class EngagementOut(RecordOut):
    kind: str
    title: str
    organisation: str | None
    place: str | None
    year: int | None
    date: dt.date | None
    end_date: dt.date | None
    policy_areas: list[str]
    partners: list[str]
    description: str

    resolve_organisation = key_of("organisation")
    resolve_place = key_of("place")
    resolve_policy_areas = keys_of("policy_areas", "code")
    resolve_partners = keys_of("partners")


class EngagementDetailOut(EngagementOut, CitedOut):
    pass


class EngagementFilters(FilterSchema):
    kind: Annotated[str | None, FilterLookup("kind")] = None
    year: Annotated[int | None, FilterLookup("year")] = None
    organisation: Annotated[str | None, FilterLookup("organisation__key")] = None
    place: Annotated[str | None, FilterLookup("place__key")] = None
    policy_area: Annotated[str | None, FilterLookup("policy_areas__code")] = None


class EngagementIn(Schema):
    key: str = KEY_FIELD
    owner: str | None = OWNER_FIELD
    visibility: str = VISIBILITY_FIELD
    publication: str = PUBLICATION_FIELD
    flag: str = ""
    kind: str = Field(..., description="outgoing_mission, incoming_delegation, … (see the data model).")
    title: str = Field(..., min_length=1, max_length=300)
    organisation: str | None = Field(None, description="Key of the acting organisation.")
    place: str | None = Field(None, description="Key of the place where it happened.")
    year: int | None = None
    date: dt.date | None = None
    end_date: dt.date | None = None
    policy_areas: list[str] = Field(default_factory=list, description="Policy area codes.")
    partners: list[str] = Field(default_factory=list, description="Organisation keys.")
    description: str = ""


class EngagementPatch(Schema):
    owner: str | None = None
    visibility: str | None = None
    publication: str | None = None
    flag: str | None = None
    kind: str | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    organisation: str | None = None
    place: str | None = None
    year: int | None = None
    date: dt.date | None = None
    end_date: dt.date | None = None
    policy_areas: list[str] | None = None
    partners: list[str] | None = None
    description: str | None = None
