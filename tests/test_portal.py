"""The public portal: every page for anonymous readers and for an outsider, their JSON and CSV twins,
bounded queries, no reference to another host, and no inline script or style in the templates."""

import re
from html import escape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.analysis.maps import MapArc, MapPoint, world_map_svg
from metrodiplomacy.diplomacy.models import Agreement, AgreementParty, NetworkMembership
from metrodiplomacy.evidence.models import Citation, Source
from metrodiplomacy.places.models import Place
from tests.route_matrix import without_noise

BARCELONA = "barcelona-metropolitan-area"
SECRET = "Zorblax"  # appears only in org A's private records


@pytest.fixture(scope="module")
def bundled(casestudies_for_module):
    return casestudies_for_module


@pytest.fixture
def private(bundled, personas):
    """Org A's private records about Barcelona: an agency, an agreement, a membership, a cited source."""
    org_a = personas["org_a"]
    place = Place.objects.get(key=BARCELONA)
    agency = Organisation.objects.create(
        key="zorblax-agency", name=f"{SECRET} Agency", kind="agency", home_place=place, owner=org_a
    )
    agreement = Agreement.objects.create(key="zorblax-pact", title=f"{SECRET} Pact", kind="other", owner=org_a)
    AgreementParty.objects.create(agreement=agreement, place=place)
    AgreementParty.objects.create(agreement=agreement, place=Place.objects.get(key="seoul"))
    network = Organisation.objects.get(key="c40")
    NetworkMembership.objects.create(key="zorblax-in-c40", network=network, member=agency, owner=org_a)
    source = Source.objects.create(key="zorblax-memo", title=f"{SECRET} memo", kind="other", owner=org_a)
    Citation.objects.create(source=source, record=agreement, note=f"{SECRET} passage")
    return {"agency": agency, "agreement": agreement, "source": source}


def public_pages() -> list[str]:
    """One address per page of the portal (every URL name), and their JSON and CSV twins."""
    pages = [
        reverse("observatory:home"),
        reverse("observatory:show_place", args=[BARCELONA]),
        reverse("observatory:show_place", args=["paris"]),
        reverse("observatory:show_organisation", args=["c40"]),
        reverse("observatory:compare_places") + f"?place={BARCELONA}&place=paris&place=seoul",
        reverse("observatory:show_matrix"),
        reverse("observatory:show_matrix") + "?group=south",
        reverse("observatory:list_sources"),
        reverse("observatory:show_source", args=["ledna-2019"]),
        reverse("observatory:search_records") + "?q=bar",
        reverse("observatory:twinning_overview"),
        reverse("observatory:show_open_data"),
    ]
    twins = []
    for page in pages:
        path, _, query = page.partition("?")
        base = "/index" if path == "/" else path.rstrip("/")
        twins += [f"{base}.json" + (f"?{query}" if query else ""), f"{base}.csv" + (f"?{query}" if query else "")]
    return pages + twins


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["anonymous", "outsider"])
def test_no_page_shows_another_organisations_private_record(client, private, personas, reader):
    if reader == "outsider":
        client.force_login(personas["outsider"])
    for page in public_pages() + [reverse("observatory:search_records") + f"?q={SECRET}"]:
        response = client.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        for name in (f"{SECRET} Agency", f"{SECRET} Pact", f"{SECRET} memo", f"{SECRET} passage", "zorblax-"):
            assert name not in body, page


@pytest.mark.django_db
def test_the_owning_organisation_sees_its_private_records_on_the_portal(client, private, personas):
    client.force_login(personas["viewer"])
    place = client.get(reverse("observatory:show_place", args=[BARCELONA])).content.decode()
    assert f"{SECRET} Agency" in place and f"{SECRET} Pact" in place
    found = client.get(reverse("observatory:search_records") + f"?q={SECRET}").content.decode()
    assert f"{SECRET} Agency" in found and f"{SECRET} memo" in found
    members = client.get(reverse("observatory:show_organisation", args=["c40"])).content.decode()
    assert f"{SECRET} Agency" in members


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, key",
    [
        ("observatory:show_organisation", "zorblax-agency"),
        ("observatory:show_source", "zorblax-memo"),
        ("observatory:show_place", "atlantis"),
        ("observatory:show_organisation", "no-such-organisation"),
        ("observatory:show_source", "no-such-source"),
    ],
)
def test_another_organisations_private_record_answers_like_a_missing_one(client, private, personas, name, key):
    client.force_login(personas["outsider"])
    response = client.get(reverse(name, args=[key]))
    missing = client.get(reverse(name, args=["surely-missing-key"]))
    assert response.status_code == missing.status_code == 404
    assert without_noise(response, key) == without_noise(missing, "surely-missing-key")
    assert SECRET not in response.content.decode()
    data = client.get(reverse(f"{name}_data", args=[key, "json"]))
    assert data.status_code == 404


@pytest.mark.django_db
def test_the_city_page_and_its_twins_carry_the_same_tables(client, bundled):
    page = client.get(reverse("observatory:show_place", args=[BARCELONA]))
    data = client.get(reverse("observatory:show_place_data", args=[BARCELONA, "json"])).json()
    assert data["title"] == "Barcelona Metropolitan Area"
    titles = [table["title"] for table in data["tables"]]
    for title in ("Governance", "International units, staff and budgets", "Network memberships and roles"):
        assert title in titles
        assert title in page.content.decode()
    units = next(t for t in data["tables"] if t["title"] == "International units, staff and budgets")
    assert len(units["rows"]) > 5 and {"staff", "budget", "currency"} <= set(units["columns"])
    csv = client.get(reverse("observatory:show_place_data", args=[BARCELONA, "csv"]))
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[0] == "field,value"
    units_index = titles.index("International units, staff and budgets")
    units_csv = client.get(reverse("observatory:show_place_data", args=[BARCELONA, "csv"]) + f"?table={units_index}")
    assert len(units_csv.content.decode().splitlines()) == len(units["rows"]) + 1
    beyond = client.get(reverse("observatory:show_place_data", args=[BARCELONA, "csv"]) + "?table=999")
    assert beyond.status_code == 404 and "Governance" in beyond.content.decode()


@pytest.mark.django_db
def test_the_city_page_draws_growth_and_agreement_arcs_each_with_its_data(client, bundled):
    page = client.get(reverse("observatory:show_place", args=["paris"])).content.decode()
    assert page.count("<svg") >= 1
    data = client.get(reverse("observatory:show_place_data", args=["paris", "json"])).json()
    growth = next(t for t in data["tables"] if t["title"] == "Population and GDP growth")
    if growth["rows"]:
        assert "Population and GDP" in page and "<details>" in page
    arcs = next(t for t in data["tables"] if t["title"] == "Agreements drawn as arcs")
    assert page.count("<path d='M") >= len(arcs["rows"])
    reliance = next(t for t in data["tables"] if t["title"] == "Reliance on international action by policy area")
    assert reliance["rows"] and {row["level"] for row in reliance["rows"]} <= {"+", "0", "-", "?"}


@pytest.mark.django_db
def test_a_city_networks_page_lists_its_members_and_roles(client, bundled):
    data = client.get(reverse("observatory:show_organisation_data", args=["c40", "json"])).json()
    members = next(t for t in data["tables"] if t["title"] == "Members and their roles")
    assert len(members["rows"]) >= 3
    expected = NetworkMembership.objects.filter(network__key="c40").count()
    assert len(members["rows"]) == expected
    page = client.get(reverse("observatory:show_organisation", args=["c40"])).content.decode()
    assert all(escape(row["member"]) in page for row in members["rows"])


@pytest.mark.django_db
def test_compare_asks_for_two_to_six_places(client, bundled):
    one = client.get(reverse("observatory:compare_places") + "?place=paris")
    assert one.status_code == 200 and "two to six" in one.content.decode()
    seven = "&".join(
        f"place={key}" for key in ["paris", "seoul", "vienna", "durban", "medellin", "montreal", BARCELONA]
    )
    assert "two to six" in client.get(reverse("observatory:compare_places") + "?" + seven).content.decode()
    assert client.get(reverse("observatory:compare_places_data", args=["json"]) + "?place=paris").status_code == 400
    three = client.get(
        reverse("observatory:compare_places_data", args=["json"]) + f"?place={BARCELONA}&place=paris&place=seoul"
    ).json()
    governance = three["tables"][0]
    assert governance["title"] == "Governance"
    assert governance["columns"][1:] == ["Barcelona Metropolitan Area", "Paris", "Seoul"]


@pytest.mark.django_db
def test_the_matrix_filters_by_group_place_and_framework(client, bundled):
    everything = client.get(reverse("observatory:show_matrix_data", args=["json"])).json()["tables"][0]
    south = client.get(reverse("observatory:show_matrix_data", args=["json"]) + "?group=south").json()["tables"][0]
    assert 1 < len(south["columns"]) < len(everything["columns"])
    two = client.get(reverse("observatory:show_matrix_data", args=["json"]) + "?place=paris&place=los-angeles").json()
    assert two["tables"][0]["columns"] == ["Policy area", "Los Angeles", "Paris"]
    findings = two["tables"][1]
    assert findings["rows"] and all(row["finding"] for row in findings["rows"])
    unknown = client.get(reverse("observatory:show_matrix_data", args=["json"]) + "?framework=nope")
    assert unknown.status_code == 400
    page = client.get(reverse("observatory:show_matrix")).content.decode()
    assert "<svg" in page and "Policy area" in page


@pytest.mark.django_db
def test_sources_list_what_cites_them(client, bundled):
    sources = client.get(reverse("observatory:list_sources_data", args=["json"])).json()["tables"][0]["rows"]
    ledna = next(row for row in sources if row["key"] == "ledna-2019")
    assert ledna["citations"] > 0
    cites = client.get(reverse("observatory:show_source_data", args=["ledna-2019", "json"])).json()["tables"][1]
    assert len(cites["rows"]) == ledna["citations"]


@pytest.mark.django_db
def test_search_finds_places_organisations_and_sources(client, bundled):
    rows = client.get(reverse("observatory:search_records_data", args=["json"]) + "?q=barcelona").json()
    kinds = {row["kind"] for row in rows["tables"][0]["rows"]}
    assert {"place", "organisation"} <= kinds
    short = client.get(reverse("observatory:search_records") + "?q=b").content.decode()
    assert "at least two letters" in short
    partial = client.get(reverse("observatory:search_records") + "?q=barcelona", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "Barcelona" in partial.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page, most",
    [
        (reverse("observatory:show_place", args=[BARCELONA]), 70),
        (reverse("observatory:home"), 20),
        (reverse("observatory:list_sources"), 10),
        (reverse("observatory:show_organisation", args=["c40"]), 12),
        (reverse("observatory:show_source", args=["ledna-2019"]), 40),
        (reverse("observatory:show_matrix"), 10),
        (reverse("observatory:search_records") + "?q=ba", 12),
    ],
)
def test_pages_take_a_bounded_number_of_queries(client, bundled, django_assert_max_num_queries, page, most):
    client.get(page)  # the session and content types are read once
    with django_assert_max_num_queries(most):
        assert client.get(page).status_code == 200


@pytest.mark.django_db
def test_the_city_page_takes_a_bounded_number_of_queries_for_a_signed_in_reader(
    client, private, personas, django_assert_max_num_queries
):
    # A signed-in reader's memberships are read once per request, so the page costs about what it costs anonymously.
    client.force_login(personas["outsider"])
    page = reverse("observatory:show_place", args=[BARCELONA])
    client.get(page)
    with django_assert_max_num_queries(60):
        assert client.get(page).status_code == 200


EXTERNAL = re.compile(r"""(?:https?:)?//(?!testserver[/:"'])[a-z0-9.-]+\.[a-z]{2,}""", re.IGNORECASE)


@pytest.mark.django_db
def test_no_page_refers_to_another_host(client, bundled):
    from django.urls import get_resolver

    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    portal = get_resolver().namespace_dict["observatory"][1].reverse_dict
    assert {name for name in portal if isinstance(name, str)} <= {
        "home",
        "show_place",
        "show_organisation",
        "compare_places",
        "show_matrix",
        "list_sources",
        "show_source",
        "search_records",
        *(f"{n}_data" for n in ("home", "show_place", "show_organisation", "compare_places", "show_matrix")),
        *(f"{n}_data" for n in ("list_sources", "show_source", "search_records")),
        *("twinning_overview", "twinning_city", "twinning_overview_data", "twinning_city_data"),
        *("show_open_data", "show_open_data_data", "download_open_package", "download_open_csv"),
        "download_open_xlsx",
        "choose_language",
    }
    assert names is not None
    for page in public_pages():
        if page.endswith((".json", ".csv")) or ".json?" in page or ".csv?" in page:
            continue
        html = client.get(page).content.decode()
        found = EXTERNAL.findall(html)
        assert not found, f"{page} refers to {found[:3]}"


def test_templates_carry_no_inline_script_or_style():
    templates = Path(settings.BASE_DIR, "templates")
    for path in templates.rglob("*.html"):
        text = path.read_text()
        assert "style=" not in text, path
        assert "<style" not in text, path
        for tag in re.findall(r"<script[^>]*>", text):
            assert "src=" in tag, f"{path}: inline script {tag}"
        assert not re.search(r"\son[a-z]+=", text), f"{path}: inline event handler"


def test_the_world_map_draws_points_and_arcs_and_crops_to_them():
    points = [MapPoint("Paris", 2.35, 48.86, 4, "/places/paris/"), MapPoint("Seoul", 126.98, 37.57, 1)]
    arcs = [MapArc("Paris–Seoul pact", (2.35, 48.86), (126.98, 37.57))]
    svg = world_map_svg(points, arcs, title="Test", fit=True)
    assert svg.count("<circle") == 2 and svg.count("<path") == 1
    assert "<a href='/places/paris/'" in svg and "style=" not in svg
    view = [float(v) for v in re.search(r"viewBox='([^']+)'", svg).group(1).split()]
    assert view[2] < 1000 and view[0] > 0
    whole = world_map_svg(points, title="Test")
    assert re.search(r"viewBox='0.0 [0-9.]+ 1000.0 [0-9.]+'", whole), "without fit the map spans every longitude"
