"""The portal in headless Chromium: browse from the map to a city, compare three cities, search as you type,
at a laptop's 1366×768 and a phone's 390×844, loading nothing from another host and breaking no CSP rule."""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not shutil.which(CHROMIUM) and not os.environ.get("METRODIP_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (CI installs it and sets METRODIP_REQUIRE_BROWSER)",
)
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


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


def _load_casestudies():
    from django.conf import settings

    from metrodiplomacy.actors.services import ensure_owner_organisation
    from metrodiplomacy.importers.datapackage import import_package

    owner = ensure_owner_organisation(settings.CASESTUDIES_OWNER, "Metrodiplomacy case studies")
    import_package(settings.CASESTUDIES_DIR, owner=owner, visibility="public", publication="published")


def _fits(page) -> bool:
    """No sideways scrolling of the page itself (wide tables scroll inside their own box)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_reader_browses_compares_and_searches_at_laptop_and_phone_sizes(
    emptied_database, live_server, browser, tmp_path
):
    _load_casestudies()
    folder = os.environ.get("METRODIP_SCREENSHOTS") or str(tmp_path)
    outside, problems = [], []
    for size, (width, height) in SIZES.items():
        page = browser.new_page(viewport={"width": width, "height": height})
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

        page.goto(live_server.url + "/")
        assert page.locator("svg.map circle").count() == 10
        assert _fits(page), f"home overflows at {size}"
        page.screenshot(path=os.path.join(folder, f"home-{size}.png"))
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent").strip() == "Skip to content"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", "focus is not visible"

        page.locator("table#places a", has_text="Barcelona Metropolitan Area").click()
        page.wait_for_url("**/places/barcelona-metropolitan-area/")
        assert page.locator("h1").inner_text() == "Barcelona Metropolitan Area"
        assert page.locator("#agreements svg.map path").count() > 0
        assert _fits(page), f"city page overflows at {size}"
        page.screenshot(path=os.path.join(folder, f"city-{size}.png"))
        page.screenshot(path=os.path.join(folder, f"city-{size}-full.png"), full_page=True)

        page.goto(live_server.url + "/compare/")
        for key in ("barcelona-metropolitan-area", "paris", "seoul"):
            page.locator(f"input[name=place][value={key}]").check()
        page.get_by_role("button", name="Compare", exact=True).click()
        page.locator("#compare-results table.data caption", has_text="Governance").wait_for()
        headers = page.locator("#compare-results table.data").first.locator("thead th").all_inner_texts()
        assert headers[1:] == ["Barcelona Metropolitan Area", "Paris", "Seoul"]
        assert "place=paris" in page.url, "the picker's result has an address of its own"
        assert _fits(page), f"compare overflows at {size}"
        page.screenshot(path=os.path.join(folder, f"compare-{size}.png"), full_page=True)

        page.goto(live_server.url + "/matrix/")
        assert page.locator("figure.chart svg").count() == 1
        assert _fits(page), f"matrix overflows at {size}"
        page.screenshot(path=os.path.join(folder, f"matrix-{size}.png"), full_page=True)

        page.goto(live_server.url + "/search/")
        page.locator("#q").press_sequentially("medell", delay=30)
        page.locator("#search-results a", has_text="Medellín").first.wait_for()
        page.screenshot(path=os.path.join(folder, f"search-{size}.png"))

        assert outside == [], outside
        assert not [p for p in problems if "Content Security Policy" in p], problems
        page.close()
