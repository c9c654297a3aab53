"""The twinning pages and API: the sample list imported through the importer, drawn and counted per reader."""

import re
from dataclasses import replace
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from metrodiplomacy.importers.twinning import import_twinning
from metrodiplomacy.observatory.views import twinning as twinning_views
from metrodiplomacy.places import gazetteer, matching
from metrodiplomacy.places.models import Place

SAMPLE = Path(__file__).parent / "data" / "twinning_sample.csv"
COUNTRIES = {"CO", "ES", "DE", "FR", "PL", "KR", "TR", "CI", "CA", "US", "CZ"}
EXTERNAL = re.compile(r"""(?:https?:)?//(?!testserver[/:"'])[a-z0-9.-]+\.[a-z]{2,}""", re.IGNORECASE)


@pytest.fixture(scope="module")
def small_index():
    """cities15000 of the sample's countries: the real gazetteer, small enough for a fast suite."""
    cities = {
        geonames_id: replace(entry, alternate_names=tuple(n for n in entry.alternate_names if gazetteer.is_latin(n)))
        for geonames_id, entry in gazetteer._cities()[0].items()
        if entry.country_iso2 in COUNTRIES
    }
    return matching.CityIndex(cities)


@pytest.fixture
def twinned(db, small_index, monkeypatch):
    """The sample imported as public published agreements; Medellín has two twins, Barcelona and Bilbao."""
    monkeypatch.setattr(matching, "city_index", lambda: small_index)
    twinning_views._graphs.clear()
    import_twinning(SAMPLE)
    return Place.objects.get(name="Medellín")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_overview_shows_the_map_the_figures_and_links_to_the_most_twinned_city(client, twinned):
    response = client.get(reverse("observatory:twinning_overview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 1 and "<polygon" in html and "<path d='M" in html
    assert "<table class='data'>" in html
    assert reverse("observatory:twinning_city", args=[twinned.key]) in html
    summary = response.context["tables"][0].records()
    assert {row["metric"]: row["value"] for row in summary}["twinning pairs"] == 7


def test_the_city_page_draws_its_partners_and_ego_network_and_lists_the_agreements(client, twinned):
    response = client.get(reverse("observatory:twinning_city", args=[twinned.key]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 2
    assert "Barcelona" in html and "Bilbao" in html
    metrics, ego, agreements = response.context["tables"]
    assert dict(metrics.rows)["twins"] == 2
    assert sorted(row[0] for row in ego.rows) == ["Barcelona", "Bilbao"]
    assert sorted(row[0] for row in agreements.rows) == ["Barcelona", "Bilbao"]
    assert all(row[3] for row in agreements.rows)  # every partner row names its agreement key


def test_the_place_page_links_to_its_twinning_page_only_when_it_has_twins(client, twinned):
    link = reverse("observatory:twinning_city", args=[twinned.key])
    assert client.get(reverse("observatory:show_place", args=[twinned.key])).content.decode().count(link) == 1
    untwinned = (
        Place.objects.exclude(pk__in=[twinned.pk]).filter(key="colombia").first()
        or Place.objects.filter(kind="country").first()
    )
    other = client.get(reverse("observatory:show_place", args=[untwinned.key])).content.decode()
    assert "/twinning/" not in other


def test_an_unknown_or_untwinned_city_answers_404(client, twinned):
    assert client.get(reverse("observatory:twinning_city", args=["no-such-city"])).status_code == 404
    country = Place.objects.filter(kind="country").first()
    assert client.get(reverse("observatory:twinning_city", args=[country.key])).status_code == 404


def test_the_pages_answer_as_json_and_csv(client, twinned):
    overview = client.get(reverse("observatory:twinning_overview_data", args=["json"])).json()
    assert [t["title"] for t in overview["tables"]][:2] == [
        "Twinning graph",
        "Degree distribution of the twinning graph",
    ]
    csv = client.get(reverse("observatory:twinning_city_data", args=[twinned.key, "csv"]) + "?table=2")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0] == "partner,partner key,country,agreement key,year" and len(lines) == 3


def test_the_api_gives_stats_top_lists_and_a_citys_partners(client, twinned):
    stats = client.get("/api/v1/twinning/stats").json()
    assert stats["summary"]["twinning pairs"] == 7 and stats["degree_distribution"]
    top = client.get("/api/v1/twinning/top?limit=3").json()
    assert len(top["cities"]) == 3 and top["cities"][0]["twins"] >= top["cities"][2]["twins"]
    assert client.get("/api/v1/twinning/top?limit=0").status_code == 400
    city = client.get(f"/api/v1/twinning/cities/{twinned.key}").json()
    assert city["twins"] == 2 and city["rank_by_twins"] == 1
    assert sorted(p["name"] for p in city["partners"]) == ["Barcelona", "Bilbao"]
    assert all(p["key"] and len(p["agreements"]) == 1 for p in city["partners"])
    assert client.get("/api/v1/twinning/cities/no-such-city").status_code == 404


def test_another_organisations_private_agreements_do_not_feed_the_outsiders_graph(
    client, personas, small_index, monkeypatch
):
    monkeypatch.setattr(matching, "city_index", lambda: small_index)
    twinning_views._graphs.clear()
    import_twinning(SAMPLE, owner=personas["org_a"], visibility="private")
    medellin = Place.objects.get(name="Medellín")
    owner, outsider = signed_in(personas["owner"]), signed_in(personas["outsider"])
    assert owner.get(f"/api/v1/twinning/cities/{medellin.key}").json()["twins"] == 2
    assert owner.get("/api/v1/twinning/stats").json()["summary"]["twinning pairs"] == 7
    for reader in (outsider, client):
        assert reader.get("/api/v1/twinning/stats").json()["summary"] == {}
        assert reader.get(reverse("observatory:twinning_city", args=[medellin.key])).status_code == 404
        assert reader.get(f"/api/v1/twinning/cities/{medellin.key}").status_code == 404
        assert "Medellín" not in reader.get(reverse("observatory:twinning_overview")).content.decode()


def test_the_graph_is_built_once_until_an_agreement_changes(client, twinned, django_assert_max_num_queries):
    page = reverse("observatory:twinning_city", args=[twinned.key])
    client.get(page)
    with django_assert_max_num_queries(6):
        assert client.get(page).status_code == 200
    first = twinning_views._graphs.copy()
    from metrodiplomacy.diplomacy.models import Agreement

    agreement = Agreement.objects.filter(parties__place=twinned).first()
    agreement.status = "active"
    agreement.save()
    client.get(page)
    assert len(twinning_views._graphs) == len(first) + 1


def test_the_pages_refer_to_no_other_host_and_carry_no_inline_script_or_style(client, twinned):
    for page in (reverse("observatory:twinning_overview"), reverse("observatory:twinning_city", args=[twinned.key])):
        html = client.get(page).content.decode()
        assert not EXTERNAL.findall(html), page
        assert "style=" not in html and not re.search(r"\son[a-z]+=", html)
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
