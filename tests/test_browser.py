"""The home page in headless Chromium: it renders the case studies and loads nothing from outside."""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not shutil.which(CHROMIUM) and not os.environ.get("METRODIP_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (CI installs it and sets METRODIP_REQUIRE_BROWSER)",
)


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


def test_the_home_page_shows_the_ten_metropolises_in_a_browser(emptied_database, live_server, browser, tmp_path):
    from django.conf import settings

    from metrodiplomacy.actors.services import ensure_owner_organisation
    from metrodiplomacy.importers.datapackage import import_package

    owner = ensure_owner_organisation(settings.CASESTUDIES_OWNER, "Metrodiplomacy case studies")
    import_package(settings.CASESTUDIES_DIR, owner=owner, visibility="public", publication="published")
    page = browser.new_page()
    outside = []
    page.on("request", lambda request: outside.append(request.url) if live_server.url not in request.url else None)
    page.goto(live_server.url + "/")
    rows = page.locator("table#places tbody tr")
    assert rows.count() == 10
    assert page.locator("h1").inner_text().startswith("Cities and metropolises")
    background = page.eval_on_selector("table.data thead th", "th => getComputedStyle(th).backgroundColor")
    assert background != "rgba(0, 0, 0, 0)", "the stylesheet did not load"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"
    screenshots = os.environ.get("METRODIP_SCREENSHOTS")
    page.screenshot(path=os.path.join(screenshots or tmp_path, "home.png"), full_page=True)
    assert outside == []
