"""Two-step sign-in in headless Chromium: an editor enrols an authenticator, signs out, signs in with a code."""

import os
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.test_browser_workspace import CHROMIUM, PASSWORD, browser  # noqa: F401

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not os.environ.get("METRODIP_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (CI installs it and sets METRODIP_REQUIRE_BROWSER)",
)


def code_from_key(manual_key: str, steps_ahead: int = 0) -> str:
    """What the phone would show for the key typed in by hand from the enrolment page."""
    totp = TOTP(b32decode(manual_key.replace(" ", "")))
    totp.time = time.time() + steps_ahead * totp.step
    return f"{totp.token():06d}"


def _refusal(page) -> str:
    """What the enrolment page said instead of showing the recovery codes, for the failure message."""
    errors = page.locator(".errorlist, .form-errors")
    return "no recovery codes; the page said: " + (" / ".join(errors.all_inner_texts()) or "nothing")


def enrol_in_the_browser(page, shots: str | None = None) -> None:
    """On the enrolment page: type the key into the 'phone', confirm its code, keep the recovery codes."""
    assert page.locator("figure.qr-code svg").count() == 1
    if shots:
        page.screenshot(path=os.path.join(shots, "accounts-enrol.png"), full_page=True)
    page.get_by_label("Code from the app").fill(code_from_key(page.locator(".manual-key").inner_text()))
    page.get_by_role("button", name="Confirm").click()
    # A click waits only until the next page starts loading, so wait for the list (and say why it never came).
    try:
        expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    except AssertionError as missing:
        raise AssertionError(_refusal(page)) from missing
    if shots:
        page.screenshot(path=os.path.join(shots, "accounts-recovery-codes.png"), full_page=True)
    page.get_by_role("link", name="I have saved them, continue").click()


def test_an_editor_enrols_signs_out_and_signs_in_again_with_a_code(
    emptied_database,
    live_server,
    browser,  # noqa: F811
    tmp_path,
    django_user_model,
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from metrodiplomacy.actors.models import Organisation
    from metrodiplomacy.workspaces.models import Membership
    from tests.mfa_helpers import code_for

    organisation = Organisation.objects.create(key="city-a", name="City A", kind="city_government")
    user = django_user_model.objects.create_user("editor-a", password=PASSWORD)
    Membership.objects.create(user=user, organisation=organisation, role="editor")
    shots = os.environ.get("METRODIP_SCREENSHOTS") or str(tmp_path)
    base = live_server.url
    outside: list[str] = []
    page = browser.new_context().new_page()
    page.on("request", lambda request: outside.append(request.url) if base not in request.url else None)
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security" in message.text else None)

    def password_step():
        page.goto(base + "/workspace/")
        page.get_by_label("Username").fill("editor-a")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

    password_step()
    expect(page).to_have_url(base + "/workspace/accounts/enrol/")
    enrol_in_the_browser(page, shots)
    expect(page).to_have_url(base + "/workspace/")
    assert TOTPDevice.objects.get(user=user).confirmed

    page.locator(".workspace-nav").get_by_role("button", name="Sign out").click()
    page.goto(base + "/workspace/")
    assert "/workspace/accounts/login/" in page.url

    password_step()
    expect(page).to_have_url(base + "/workspace/accounts/code/")
    page.screenshot(path=os.path.join(shots, "accounts-code.png"), full_page=True)
    # The enrolment used this step's code; the phone shows the next one a moment later.
    page.get_by_label("Code").fill(code_for(TOTPDevice.objects.get(user=user), steps_ahead=1))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(base + "/workspace/")

    # Just signed in, so the security settings open without asking for the password again.
    page.get_by_role("link", name="Account", exact=True).click()
    expect(page).to_have_url(base + "/workspace/accounts/security/")
    page.get_by_label("Name").fill("nightly export")
    page.get_by_role("button", name="Create token").click()
    assert page.locator(".token-value").inner_text().startswith("mdp_")
    page.screenshot(path=os.path.join(shots, "accounts-security.png"), full_page=True)
    assert outside == [] and violations == []
