"""Records of two organisations in every visibility × publication state, for the API tests."""

import pytest

from metrodiplomacy.diplomacy.models import Agreement, AgreementParty
from metrodiplomacy.evidence.models import Citation, PolicyArea, Source
from metrodiplomacy.places.models import Place
from metrodiplomacy.workspaces.services import create_token

STATES = [(v, p) for v in ("private", "workspace", "public") for p in ("draft", "published")]


def agreement_key(org: str, visibility: str, publication: str) -> str:
    return f"{org}-{visibility}-{publication}"


@pytest.fixture
def records(personas):
    """Six agreements per organisation (A and C), each cited from its owner's own private source."""
    from django.contrib.contenttypes.models import ContentType

    country = Place.objects.create(key="xx", kind="country", name="Exampleland", iso2="XX")
    city = Place.objects.create(key="example-city", kind="city", name="Example City", country=country, parent=country)
    area = PolicyArea.objects.get_or_create(code="economic", defaults={"name": "Economic development"})[0]
    agreement_type = ContentType.objects.get_for_model(Agreement)
    for org_name, org in (("a", personas["org_a"]), ("c", personas["org_c"])):
        source = Source.objects.create(
            key=f"{org_name}-source", title=f"Source of {org_name}", kind="report", owner=org
        )
        for visibility, publication in STATES:
            agreement = Agreement.objects.create(
                key=agreement_key(org_name, visibility, publication),
                owner=org,
                visibility=visibility,
                publication=publication,
                kind="twinning" if org_name == "a" else "memorandum",
                title=f"Agreement {org_name} {visibility} {publication}",
                year=2010 if org_name == "a" else 2015,
            )
            agreement.policy_areas.add(area)
            AgreementParty.objects.create(agreement=agreement, place=city)
            AgreementParty.objects.create(agreement=agreement, organisation=org)
            Citation.objects.create(
                source=source,
                content_type=agreement_type,
                object_id=agreement.pk,
                section="Annex",
                line_start=1,
                note=f"States agreement {agreement.key}",
            )
    return {"city": city, "area": area, **personas}


def token_for(user, **kwargs) -> str:
    return create_token(user, kwargs.pop("name", "script"), **kwargs)[1]


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
