"""What an admin may do that an editor may not: manage the organisation's members and their roles."""

import pytest

from metrodiplomacy.workspaces.models import Membership

MEMBERS = "/workspace/members/"


@pytest.fixture
def newcomer(django_user_model, personas):
    return django_user_model.objects.create_user("newcomer", password="pw-for-tests-only")


def membership_of(personas, name):
    return Membership.objects.get(user=personas[name], organisation=personas["org_a"])


def test_an_admin_adds_a_member_with_a_role(client, personas, newcomer):
    client.force_login(personas["owner"])
    response = client.post(f"{MEMBERS}org-a/add/", {"username": "newcomer", "role": "editor"})
    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer).role == "editor"
    assert Membership.history.filter(user=newcomer).first().history_user == personas["owner"]


def test_adding_an_unknown_user_names_the_reason_and_writes_nothing(client, personas):
    client.force_login(personas["owner"])
    response = client.post(f"{MEMBERS}org-a/add/", {"username": "nobody", "role": "editor"})
    assert response.status_code == 400
    assert "No user is called nobody." in response.content.decode()
    assert Membership.objects.count() == 4


@pytest.mark.parametrize("persona", ["editor", "viewer"])
def test_editors_and_viewers_manage_no_members(client, personas, newcomer, persona):
    client.force_login(personas[persona])
    assert "Manage members" not in client.get("/workspace/").content.decode()
    assert client.post(f"{MEMBERS}org-a/add/", {"username": "newcomer", "role": "admin"}).status_code == 404
    viewer = membership_of(personas, "viewer")
    assert client.post(f"{MEMBERS}{viewer.pk}/role/", {"role": "admin"}).status_code == 404
    assert client.post(f"{MEMBERS}{viewer.pk}/remove/").status_code == 404
    assert membership_of(personas, "viewer").role == "viewer"
    assert not Membership.objects.filter(user=newcomer).exists()


def test_an_outsider_admin_cannot_see_or_touch_another_organisations_members(client, personas):
    client.force_login(personas["outsider"])
    page = client.get(MEMBERS).content.decode()
    assert '<th scope="row">outsider</th>' in page
    assert "Org A" not in page and '<th scope="row">editor</th>' not in page
    editor = membership_of(personas, "editor")
    assert client.post(f"{MEMBERS}{editor.pk}/role/", {"role": "viewer"}).status_code == 404
    assert client.post(f"{MEMBERS}{editor.pk}/remove/").status_code == 404
    assert membership_of(personas, "editor").role == "editor"


def test_an_admin_changes_a_role_and_removes_a_member(client, personas):
    client.force_login(personas["owner"])
    viewer = membership_of(personas, "viewer")
    assert client.post(f"{MEMBERS}{viewer.pk}/role/", {"role": "editor"}).status_code == 302
    assert membership_of(personas, "viewer").role == "editor"
    assert client.post(f"{MEMBERS}{viewer.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=viewer.pk).exists()


def test_the_last_admin_can_neither_step_down_nor_be_removed(client, personas):
    client.force_login(personas["owner"])
    own = membership_of(personas, "owner")
    response = client.post(f"{MEMBERS}{own.pk}/role/", {"role": "editor"})
    assert response.status_code == 400 and "needs at least one admin" in response.content.decode()
    assert client.post(f"{MEMBERS}{own.pk}/remove/").status_code == 400
    assert membership_of(personas, "owner").role == "admin"


def test_an_admin_may_step_down_once_another_admin_exists(client, personas):
    client.force_login(personas["owner"])
    editor, own = membership_of(personas, "editor"), membership_of(personas, "owner")
    assert client.post(f"{MEMBERS}{editor.pk}/role/", {"role": "admin"}).status_code == 302
    assert client.post(f"{MEMBERS}{own.pk}/role/", {"role": "viewer"}).status_code == 302
    assert membership_of(personas, "owner").role == "viewer"


def test_anonymous_visitors_are_sent_to_sign_in(client, personas):
    response = client.get(MEMBERS)
    assert response.status_code == 302 and "/workspace/accounts/login/" in response["Location"]
    assert client.post(f"{MEMBERS}org-a/add/", {"username": "x", "role": "admin"}).status_code == 302
