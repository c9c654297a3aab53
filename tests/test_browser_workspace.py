"""The editor's journey in headless Chromium: sign in, add an agreement with a citation, publish it, see it public."""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not shutil.which(CHROMIUM) and not os.environ.get("METRODIP_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (CI installs it and sets METRODIP_REQUIRE_BROWSER)",
)
PASSWORD = "pw-for-browser-tests"


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


def _editor_of(key: str, username: str, django_user_model):
    from metrodiplomacy.actors.models import Organisation
    from metrodiplomacy.workspaces.models import Membership, Workspace

    organisation = Organisation.objects.create(key=key, name=key.replace("-", " ").title(), kind="city_government")
    organisation.owner = organisation
    organisation.save()
    Workspace.objects.create(key=f"space-{key}", name=f"Space {key}").organisations.add(organisation)
    user = django_user_model.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, organisation=organisation, role="editor")


def _sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/workspace/")
    assert "/workspace/accounts/login/" in page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if "/workspace/accounts/enrol/" in page.url:
        # Editors set up an authenticator at their first sign-in (tests/test_browser_accounts.py).
        from tests.test_browser_accounts import enrol_in_the_browser

        enrol_in_the_browser(page)
    assert page.url == base + "/workspace/"


def test_an_editor_adds_cites_and_publishes_an_agreement_another_organisation_cannot_touch(
    emptied_database, live_server, browser, tmp_path, django_user_model
):
    from django.conf import settings

    from metrodiplomacy.actors.services import ensure_owner_organisation
    from metrodiplomacy.importers.datapackage import import_package

    owner = ensure_owner_organisation(settings.CASESTUDIES_OWNER, "Metrodiplomacy case studies")
    import_package(settings.CASESTUDIES_DIR, owner=owner, visibility="public", publication="published")
    _editor_of("city-a", "editor-a", django_user_model)
    _editor_of("city-b", "editor-b", django_user_model)
    shots = os.environ.get("METRODIP_SCREENSHOTS") or str(tmp_path)
    base = live_server.url
    outside: list[str] = []

    editor = browser.new_context().new_page()
    editor.on("request", lambda request: outside.append(request.url) if base not in request.url else None)
    _sign_in(editor, base, "editor-a")
    editor.screenshot(path=os.path.join(shots, "workspace-dashboard.png"), full_page=True)
    editor.goto(base + "/workspace/agreements/new/")
    editor.get_by_label("Key").fill("barcelona-amsterdam-2024")
    editor.get_by_label("Visibility").select_option("public")
    editor.get_by_label("Kind").select_option("cooperation_agreement")
    editor.get_by_label("Title").fill("Barcelona–Amsterdam housing cooperation")
    editor.get_by_label("Year signed").fill("2024")
    editor.locator("#id_parties-0-place").fill("barcelona")
    editor.locator("#id_parties-1-place").fill("Amsterdam")
    editor.get_by_role("button", name="Save").click()
    assert editor.url == base + "/workspace/agreements/barcelona-amsterdam-2024/"
    editor.get_by_label("Source").select_option("amb-seminar-2019")
    editor.get_by_label("Section").fill("Session 2")
    editor.get_by_label("First line").fill("10")
    editor.get_by_label("Last line").fill("12")
    editor.get_by_label("What the passage says").fill("The two cities agreed to share housing policy.")
    editor.get_by_role("button", name="Add citation").click()
    assert "Session 2, lines 10–12" in editor.locator("#citation-list").inner_text()
    assert editor.locator("#publication-state").inner_text() == "Draft"

    # Before publication: not on the public city page, not in the API, and editor B cannot see it at all.
    anonymous = browser.new_context()
    assert anonymous.request.get(base + "/api/v1/agreements/barcelona-amsterdam-2024").status == 404
    other = browser.new_context().new_page()
    _sign_in(other, base, "editor-b")
    assert other.goto(base + "/workspace/agreements/barcelona-amsterdam-2024/").status == 404
    assert other.goto(base + "/workspace/agreements/barcelona-amsterdam-2024/history/").status == 404
    other.goto(base + "/places/barcelona/")
    assert "Barcelona–Amsterdam housing cooperation" not in other.content()

    editor.get_by_role("button", name="Publish").click()
    assert editor.locator("#publication-state").inner_text() == "Published"
    editor.keyboard.press("Tab")
    assert editor.evaluate("document.activeElement.tagName") == "A"
    editor.screenshot(path=os.path.join(shots, "workspace-agreement.png"), full_page=True)

    public = anonymous.new_page()
    public.goto(base + "/places/barcelona/")
    assert "Barcelona–Amsterdam housing cooperation" in public.content()
    public.screenshot(path=os.path.join(shots, "workspace-public-place.png"), full_page=True)
    answer = anonymous.request.get(base + "/api/v1/agreements/barcelona-amsterdam-2024")
    assert answer.status == 200 and answer.json()["title"] == "Barcelona–Amsterdam housing cooperation"

    # Published, editor B may read it but still not change it.
    assert other.goto(base + "/workspace/agreements/barcelona-amsterdam-2024/").status == 403
    editor.goto(base + "/workspace/agreements/barcelona-amsterdam-2024/history/")
    assert "editor-a" in editor.locator("#versions").inner_text()
    editor.screenshot(path=os.path.join(shots, "workspace-history.png"), full_page=True)
    assert outside == []
