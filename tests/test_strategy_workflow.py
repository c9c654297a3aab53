"""Reported values: drafts, submission, approval or return, locked periods; with the personas of conftest.py."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import include, path

from metrodiplomacy.strategy import services
from metrodiplomacy.strategy.models import Indicator, LockedPeriod, Observation, ObservationReview
from metrodiplomacy.writes import Author

# The results pages are mounted by the project's urls.py at /workspace/results/; this module mounts them the
# same way in front of the project's own addresses, so the tests do not depend on that line.
urlpatterns = [
    path("workspace/results/", include("metrodiplomacy.strategy.urls")),
    path("", include("metrodiplomacy.urls")),
]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def indicator(personas):
    return Indicator.objects.create(
        key="a-investment",
        owner=personas["org_a"],
        organisation=personas["org_a"],
        name="Investment attracted",
        category="investment_attracted",
        kind="outcome",
        unit="EUR",
    )


def author(user):
    return Author.for_user(user)


def draft(personas, indicator, key="a-value-2019", year=2019, value="10"):
    return services.record_observation(
        author(personas["editor"]),
        {"key": key, "indicator": indicator.key, "year": year, "role": "observed", "value": value, "unit": "EUR"},
    )


def test_an_editor_enters_a_value_as_a_draft_and_submits_it(personas, indicator):
    value = draft(personas, indicator)
    assert value.approval == "draft" and value.owner == personas["org_a"]
    services.submit_observation(author(personas["editor"]), value, "figures from the agency")
    value.refresh_from_db()
    assert value.approval == "submitted"
    review = ObservationReview.objects.get(observation=value)
    assert (review.action, review.user, review.comment) == ("submit", personas["editor"], "figures from the agency")


def test_an_admin_approves_a_submitted_value_with_who_and_when(personas, indicator):
    value = draft(personas, indicator)
    services.submit_observation(author(personas["editor"]), value)
    services.approve_observation(author(personas["owner"]), value, "checked")
    value.refresh_from_db()
    assert value.approval == "approved"
    last = value.reviews.last()
    assert (last.action, last.user, last.comment) == ("approve", personas["owner"], "checked") and last.at


def test_a_returned_value_needs_a_comment_and_can_be_submitted_again(personas, indicator):
    value = draft(personas, indicator)
    services.submit_observation(author(personas["editor"]), value)
    with pytest.raises(ValidationError, match="needs a comment"):
        services.return_observation(author(personas["owner"]), value, "  ")
    services.return_observation(author(personas["owner"]), value, "the year is wrong")
    assert value.approval == "returned"
    services.submit_observation(author(personas["editor"]), value)
    assert value.approval == "submitted"


def test_a_viewer_cannot_approve(personas, indicator):
    value = draft(personas, indicator)
    services.submit_observation(author(personas["editor"]), value)
    with pytest.raises(PermissionDenied):
        services.approve_observation(author(personas["viewer"]), value)
    with pytest.raises(PermissionDenied):
        services.submit_observation(author(personas["viewer"]), value)


def test_an_editor_cannot_approve_and_nobody_approves_their_own_submission(personas, indicator):
    value = draft(personas, indicator)
    services.submit_observation(author(personas["owner"]), value)
    with pytest.raises(PermissionDenied, match="Only an admin"):
        services.approve_observation(author(personas["editor"]), value)
    with pytest.raises(PermissionDenied, match="another admin"):
        services.approve_observation(author(personas["owner"]), value)


def test_an_editor_of_another_organisation_cannot_submit(personas, indicator):
    value = draft(personas, indicator)
    with pytest.raises(PermissionDenied):
        services.submit_observation(author(personas["outsider"]), value)
    assert Observation.objects.get(pk=value.pk).approval == "draft"


def test_a_step_from_the_wrong_state_is_refused_with_the_reason(personas, indicator):
    value = draft(personas, indicator)
    with pytest.raises(ValidationError, match="draft cannot be approved"):
        services.approve_observation(author(personas["owner"]), value)


def test_changing_an_approved_value_sends_it_back_to_draft(personas, indicator):
    value = draft(personas, indicator)
    services.submit_observation(author(personas["editor"]), value)
    services.approve_observation(author(personas["owner"]), value)
    services.change_observation(author(personas["editor"]), value, {"value": "12"})
    value.refresh_from_db()
    assert value.approval == "draft"
    assert value.reviews.last().action == "reopen"


def test_an_unknown_value_is_explicit_and_a_missing_one_is_refused(personas, indicator):
    unknown = services.record_observation(
        author(personas["editor"]),
        {"key": "a-unknown", "indicator": indicator.key, "year": 2018, "value_state": "unknown", "unit": "EUR"},
    )
    assert unknown.value is None
    with pytest.raises(ValidationError, match="mark it unknown"):
        services.record_observation(
            author(personas["editor"]), {"key": "a-missing", "indicator": indicator.key, "year": 2018, "unit": "EUR"}
        )
    assert not Observation.objects.filter(key="a-missing").exists()


def test_a_locked_period_refuses_every_change_with_a_clear_message(personas, indicator):
    value = draft(personas, indicator)
    services.lock_period(author(personas["owner"]), personas["org_a"], 2019, "final figures")
    message = "2019 is a locked period"
    with pytest.raises(ValidationError, match=message):
        services.change_observation(author(personas["editor"]), value, {"value": "99"})
    with pytest.raises(ValidationError, match=message):
        services.submit_observation(author(personas["editor"]), value)
    with pytest.raises(ValidationError, match=message):
        services.remove_observation(author(personas["editor"]), value)
    with pytest.raises(ValidationError, match=message):
        draft(personas, indicator, key="a-late-value")
    with pytest.raises(ValidationError, match=message):
        services.change_observation(
            author(personas["editor"]), draft(personas, indicator, "a-2018", 2018), {"year": 2019}
        )
    value.refresh_from_db()
    assert value.value == 10 and not Observation.objects.filter(key="a-late-value").exists()
    assert Observation.objects.get(key="a-2018").year == 2018


def test_only_an_admin_locks_and_not_while_values_await_approval(personas, indicator):
    value = draft(personas, indicator)
    with pytest.raises(PermissionDenied):
        services.lock_period(author(personas["editor"]), personas["org_a"], 2019)
    with pytest.raises(PermissionDenied):
        services.lock_period(author(personas["outsider"]), personas["org_a"], 2019)
    services.submit_observation(author(personas["editor"]), value)
    with pytest.raises(ValidationError, match="still await approval"):
        services.lock_period(author(personas["owner"]), personas["org_a"], 2019)
    assert not LockedPeriod.objects.exists()


# -- pages -----------------------------------------------------------------------------------------------


def test_the_results_page_is_for_members_only(client, personas, indicator):
    draft(personas, indicator)
    response = client.get("/workspace/results/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(personas["viewer"])
    response = client.get("/workspace/results/")
    assert response.status_code == 200 and b"Investment attracted" in response.content
    client.force_login(personas["outsider"])
    assert b"Investment attracted" not in client.get("/workspace/results/").content


def test_submitting_and_approving_through_the_pages(client, personas, indicator):
    value = draft(personas, indicator)
    client.force_login(personas["editor"])
    assert client.post(f"/workspace/results/values/{value.key}/submit/").status_code == 302
    client.force_login(personas["viewer"])
    assert client.post(f"/workspace/results/values/{value.key}/approve/").status_code == 403
    client.force_login(personas["owner"])
    response = client.post(f"/workspace/results/values/{value.key}/approve/", {"comment": "ok"})
    assert response.status_code == 302
    assert Observation.objects.get(pk=value.pk).approval == "approved"
    page = client.get(f"/workspace/results/values/{value.key}/")
    assert b"approved" in page.content and b"ok" in page.content


def test_another_organisations_private_value_answers_like_a_missing_one(client, personas, indicator):
    value = draft(personas, indicator)
    client.force_login(personas["outsider"])
    assert client.post(f"/workspace/results/values/{value.key}/submit/").status_code == 404
    assert client.get(f"/workspace/results/values/{value.key}/").status_code == 404
    assert client.get("/workspace/results/values/no-such-value/").status_code == 404


def test_a_refused_step_answers_400_with_the_reason(client, personas, indicator):
    value = draft(personas, indicator)
    client.force_login(personas["owner"])
    response = client.post(f"/workspace/results/values/{value.key}/approve/")
    assert response.status_code == 400 and b"cannot be approved" in response.content


def test_the_steps_are_posted_never_got(client, personas, indicator):
    value = draft(personas, indicator)
    client.force_login(personas["owner"])
    assert client.get(f"/workspace/results/values/{value.key}/approve/").status_code == 405
    assert client.get("/workspace/results/periods/lock/").status_code == 405


def test_locking_a_period_from_the_page(client, personas, indicator):
    client.force_login(personas["owner"])
    response = client.post("/workspace/results/periods/lock/", {"organisation": "org-a", "year": "2019"}, follow=True)
    assert b"can no longer change" in response.content
    assert LockedPeriod.objects.filter(organisation=personas["org_a"], year=2019, locked_by=personas["owner"]).exists()
    client.force_login(personas["outsider"])
    assert client.post("/workspace/results/periods/lock/", {"organisation": "org-a", "year": "2018"}).status_code == 404
    client.force_login(personas["editor"])
    assert client.post("/workspace/results/periods/lock/", {"organisation": "org-a", "year": "2018"}).status_code == 403


def test_the_workspace_edits_values_through_the_results_services(client, personas, indicator):
    value = draft(personas, indicator)
    services.lock_period(author(personas["owner"]), personas["org_a"], 2019)
    client.force_login(personas["editor"])
    response = client.post(
        f"/workspace/observations/{value.key}/",
        {
            "owner": "org-a",
            "visibility": "private",
            "indicator": indicator.key,
            "year": "2019",
            "role": "observed",
            "value_state": "known",
            "value": "77",
            "scale": "units",
            "unit": "EUR",
            "qualifier": "exact",
        },
    )
    assert response.status_code == 400 and b"locked period" in response.content
    assert Observation.objects.get(pk=value.pk).value == 10


def test_the_api_gives_an_unknown_value_as_null_with_its_state(client, personas, indicator):
    services.record_observation(
        author(personas["editor"]),
        {"key": "a-unknown", "indicator": indicator.key, "year": 2018, "value_state": "unknown", "unit": "EUR"},
    )
    client.force_login(personas["viewer"])
    body = client.get("/api/v1/observations/a-unknown").json()
    assert (body["value"], body["value_state"], body["approval"]) == (None, "unknown", "draft")
