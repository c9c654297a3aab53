"""Two organisations of one workspace plan missions to the same city in headless Chromium; both see the overlap."""

import os
import shutil

import pytest

from tests.test_browser_workspace import CHROMIUM, PASSWORD, _sign_in, browser  # noqa: F401

pytestmark = pytest.mark.skipif(
    not shutil.which(CHROMIUM) and not os.environ.get("METRODIP_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (CI installs it and sets METRODIP_REQUIRE_BROWSER)",
)


def _plan_mission(page, base: str, organisation: str, key: str, title: str, day: str) -> None:
    page.goto(base + "/workspace/engagements/new/")
    page.get_by_label("Key").fill(key)
    page.get_by_label("Visibility").select_option("workspace")
    page.get_by_label("Kind").select_option("outgoing_mission")
    page.get_by_label("Title").fill(title)
    page.locator("#id_place").fill("seoul")
    page.locator("#id_organisation").select_option(organisation)
    page.locator("#id_date").fill(day)
    page.get_by_role("button", name="Save").click()
    assert page.url == base + f"/workspace/engagements/{key}/", page.content()[:3000]


def test_two_organisations_planning_missions_to_one_city_both_see_the_overlap_warning(
    emptied_database,
    live_server,
    browser,  # noqa: F811
    tmp_path,
    django_user_model,
):
    from metrodiplomacy.actors.models import Organisation
    from metrodiplomacy.places.models import Place
    from metrodiplomacy.workspaces.models import Membership, Workspace

    korea = Place.objects.create(key="kr", kind="country", name="South Korea", iso2="KR", region="Asia")
    Place.objects.create(
        key="seoul", kind="city", name="Seoul", country=korea, parent=korea, latitude=37.57, longitude=126.98
    )
    space = Workspace.objects.create(key="metro", name="Metropolitan coordination")
    for key, username in (("metro-body", "editor-metro"), ("city-council", "editor-city")):
        organisation = Organisation.objects.create(key=key, name=key.replace("-", " ").title(), kind="city_government")
        organisation.owner = organisation
        organisation.save()
        space.organisations.add(organisation)
        user = django_user_model.objects.create_user(username, password=PASSWORD)
        Membership.objects.create(user=user, organisation=organisation, role="editor")
    shots = os.environ.get("METRODIP_SCREENSHOTS") or str(tmp_path)
    base = live_server.url
    outside: list[str] = []

    pages = {}
    for username, organisation, key, title, day in (
        ("editor-metro", "metro-body", "metro-seoul-mission", "Metropolitan mobility mission to Seoul", "2026-05-04"),
        ("editor-city", "city-council", "city-seoul-mission", "City trade mission to Seoul", "2026-05-11"),
    ):
        page = browser.new_context().new_page()
        page.on("request", lambda request: outside.append(request.url) if base not in request.url else None)
        _sign_in(page, base, username)
        _plan_mission(page, base, organisation, key, title, day)
        pages[username] = page

    for username, page in pages.items():
        page.goto(base + "/workspace/coordination/")
        page.get_by_role("link", name="Metropolitan coordination").click()
        assert page.locator("#overlap-count").inner_text() == "1"
        warning = page.locator("#overlaps .finding").first.inner_text()
        assert "Seoul" in warning and "7 days apart" in warning
        assert "Metropolitan mobility mission to Seoul" in warning and "City trade mission to Seoul" in warning
        page.screenshot(path=os.path.join(shots, f"coordination-overlap-{username}.png"), full_page=True)
        page.get_by_role("link", name="The 2 records behind it").click()
        assert page.locator("#records tbody tr").count() == 2

    page = pages["editor-city"]
    page.goto(base + "/workspace/coordination/metro/calendar/?month=2026-05")
    assert page.locator(".event-overlap").count() >= 2
    page.screenshot(path=os.path.join(shots, "coordination-calendar.png"), full_page=True)
    page.goto(base + "/workspace/coordination/metro/who-does-what/")
    page.screenshot(path=os.path.join(shots, "coordination-who-does-what.png"), full_page=True)
    assert outside == []
