"""Constraints the database itself enforces, whatever writes to it."""

import pytest
from django.db import IntegrityError, transaction

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.diplomacy.models import Agreement, AgreementParty, NetworkMembership
from metrodiplomacy.evidence.models import ClassificationCoding, PolicyArea, RelianceCoding
from metrodiplomacy.places.models import Place, Statistic
from metrodiplomacy.places.services import ensure_city, ensure_country


def refused(factory):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory()


@pytest.fixture
def lyon(db):
    return ensure_city("Lyon", "FR")


@pytest.fixture
def org(db):
    return Organisation.objects.create(key="lyon-city", name="City of Lyon", kind="city_government")


def test_places_come_from_the_gazetteer_with_country_region_and_classification(lyon):
    assert lyon.geonames_id and lyon.latitude and lyon.population > 400_000
    assert lyon.country.iso2 == "FR" and lyon.country.region == "Europe"
    assert lyon.effective_global_group == "north"
    assert ensure_country("AR").global_group == "south"
    assert ensure_city("Lyon", "FR").pk == lyon.pk


def test_an_unknown_city_is_refused(db):
    with pytest.raises(ValueError):
        ensure_city("Atlantis", "GR")


def test_coordinates_stay_on_the_globe(db):
    refused(lambda: Place.objects.create(key="x", kind="city", name="X", latitude=91))


def test_a_country_has_an_iso_code(db):
    refused(lambda: Place.objects.create(key="y", kind="country", name="Y"))


def test_record_keys_are_unique(org):
    refused(lambda: Organisation.objects.create(key="lyon-city", name="Other", kind="ngo"))


def test_a_statistic_has_one_subject_at_most(lyon, org):
    refused(lambda: Statistic.objects.create(key="s", place=lyon, organisation=org, metric="gdp", value=1, unit="EUR"))


def test_reliance_levels_and_one_coding_per_coder(lyon):
    area = PolicyArea.objects.get(code="economic")
    RelianceCoding.objects.create(key="a", place=lyon, policy_area=area, level="+", coder="me", rationale="r")
    refused(
        lambda: RelianceCoding.objects.create(
            key="b", place=lyon, policy_area=area, level="+", coder="me", rationale="r"
        )
    )
    refused(
        lambda: RelianceCoding.objects.create(
            key="c", place=lyon, policy_area=area, level="x", coder="you", rationale="r"
        )
    )


def test_classification_values_stay_in_their_scheme(lyon):
    refused(
        lambda: ClassificationCoding.objects.create(
            key="g", place=lyon, scheme="governance_scenario", value=4, coder="me", rationale="r"
        )
    )
    ClassificationCoding.objects.create(
        key="p", place=lyon, scheme="planning_group", value=4, coder="me", rationale="r"
    )


def test_a_party_is_a_place_or_an_organisation_not_both(lyon, org):
    agreement = Agreement.objects.create(key="ag", kind="twinning", title="T")
    refused(lambda: AgreementParty.objects.create(agreement=agreement, place=lyon, organisation=org))
    AgreementParty.objects.create(agreement=agreement, place=lyon)
    refused(lambda: AgreementParty.objects.create(agreement=agreement, place=lyon))


def test_a_membership_ends_after_it_starts(org):
    network = Organisation.objects.create(key="net", name="Net", kind="city_network")
    refused(lambda: NetworkMembership.objects.create(key="m", network=network, member=org, since=2010, until=2005))
    refused(lambda: NetworkMembership.objects.create(key="n", network=org, member=org))


def test_the_thesis_framework_has_its_seven_areas(db):
    from metrodiplomacy.evidence.models import Framework

    codes = list(Framework.objects.get(key="thesis-seven-areas").frameworkarea_set.values_list("area__code", flat=True))
    assert codes == ["economic", "security", "tourism", "cultural", "migration", "environmental", "sports"]
