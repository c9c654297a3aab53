"""The home page lists the loaded case studies; private records stay private."""

import pytest
from django.urls import reverse

from metrodiplomacy.evidence.models import CaseStudy, Source
from metrodiplomacy.places.services import ensure_city
from metrodiplomacy.records import visible_to

TEN = (
    "Buenos Aires",
    "Guangzhou",
    "Los Angeles",
    "Paris",
    "Durban",
    "Medellín",
    "Montréal",
    "Seoul",
    "Vienna",
    "Barcelona Metropolitan Area",
)


@pytest.mark.django_db
def test_the_home_page_lists_the_ten_metropolises(client, casestudies, django_assert_max_num_queries):
    # The map, the key figures and the latest changes read a fixed number of tables, whatever their size.
    with django_assert_max_num_queries(20):
        response = client.get(reverse("observatory:home"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in TEN:
        assert name in page, name
    assert "http://" not in page and "https://" not in page


@pytest.mark.django_db
def test_a_private_record_is_seen_by_its_organisation_only(personas):
    source = Source.objects.create(key="memo", title="Internal memo", kind="other", owner=personas["org_a"])
    study = CaseStudy.objects.create(key="cs", source=source, place=ensure_city("Lyon", "FR"), owner=personas["org_a"])
    queryset = CaseStudy.objects.all()
    assert list(visible_to(queryset, personas["viewer"])) == [study]
    assert list(visible_to(queryset, personas["outsider"])) == []

    from django.contrib.auth.models import AnonymousUser

    assert list(visible_to(queryset, AnonymousUser())) == []
    study.visibility, study.publication = "public", "published"
    study.save()
    assert list(visible_to(queryset, AnonymousUser())) == [study]


def test_the_stylesheet_is_found_by_the_static_finders():
    from django.contrib.staticfiles import finders

    assert finders.find("metrodiplomacy/site.css")
