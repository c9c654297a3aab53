"""Writes cannot reach across organisations (issue #8, item 3).

The sweep: every reference (foreign key or many-to-many) of every kind the workspace writes, pointed at
organisation A's private record by editor_c (another workspace) and editor_b (A's workspace partner), through
the API and through the workspace form, is refused and changes nothing. Then the fields a role may not set, and
API tokens. Single cases already proven elsewhere (tests/test_api_writes.py, test_api_record_writes.py) are not
repeated here.
"""

import hashlib
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from metrodiplomacy.records import Record
from metrodiplomacy.workspaces.forms import initial_values, record_form_class
from metrodiplomacy.workspaces.kinds import KINDS
from metrodiplomacy.workspaces.models import ApiToken, Membership
from metrodiplomacy.workspaces.services import create_token
from tests.conftest import ensure_codelists
from tests.route_matrix import build_private_records, build_world, create_payload

# Kinds the workspace edits that the API does not serve (tests/test_api_record_writes.py names them too).
NOT_IN_API = {"strategy-axes", "objectives", "externalities", "mitigation-measures"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A's, B's and C's private records of every kind, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_codelists()
        built = build_world(get_user_model())
        build_private_records(built, "b")
        build_private_records(built, "c")
        yield built
        transaction.set_rollback(True)


def _target_of_a(world, related) -> Record:
    """A's private record of the referenced model (for organisations, a private organisation of A's)."""
    if related._meta.label == "actors.Organisation":
        return world.objects["a:partner"]
    return world.record(related)


REFERENCES = [
    pytest.param(slug, model_field.name, id=f"{slug}.{model_field.name}")
    for slug, kind in KINDS.items()
    for model_field in kind.fields
    if model_field.is_relation and issubclass(model_field.related_model, Record)
]


def snapshot(model) -> tuple:
    """Everything a refused write could have touched: the rows of the model, their references and history."""
    rows = []
    for record in model.objects.order_by("pk"):
        values = {f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields if f.name != "updated_at"}
        lists = {f.name: sorted(getattr(record, f.name).values_list("pk", flat=True)) for f in model._meta.many_to_many}
        rows.append((values, lists))
    return rows, model.history.count()


def _reference(world, slug: str, name: str):
    model_field = KINDS[slug].model._meta.get_field(name)
    target = _target_of_a(world, model_field.related_model)
    return model_field, target, ([target.key] if model_field.many_to_many else target.key)


def _send(client, method: str, url: str, body: dict):
    return getattr(client, method)(url, data=json.dumps(body, default=str), content_type="application/json")


# -- Every reference of every kind, through the API --------------------------------------------------------------


@pytest.mark.parametrize("persona", ["editor_b", "editor_c"])
@pytest.mark.parametrize("slug,name", [p for p in REFERENCES if p.values[0] not in NOT_IN_API])
def test_an_api_write_pointing_a_reference_at_another_organisations_private_record_is_refused(
    world, db, slug, name, persona
):
    letter = persona[-1]
    model = KINDS[slug].model
    own = world.others[letter][model]
    _field, _target, value = _reference(world, slug, name)
    client = world.cast.client_for(persona)
    before = snapshot(model)

    created = _send(client, "post", f"/api/v1/{slug}", {**create_payload(own, key="cross-new"), name: value})
    changed = _send(client, "patch", f"/api/v1/{slug}/{own.key}", {name: value})

    for response in (created, changed):
        assert response.status_code == 400, (slug, name, response.content)
        # The refusal names the field, and says nothing more of A's record than "no such key".
        assert name in response.json()["detail"], response.json()
    assert snapshot(model) == before


# -- Every reference of every kind, through the workspace form ---------------------------------------------------


def form_data(kind, record, user) -> dict:
    """What the edit page's form posts when nothing is changed: its initial values, references by key."""
    from django import forms

    from metrodiplomacy.workspaces.forms import PlaceField, PlacesField

    form_class = record_form_class(kind, user, creating=False)
    initial = initial_values(kind, record)
    data: dict = {}
    for name, form_field in form_class.base_fields.items():
        value = initial.get(name)
        if value is None or value == "":
            continue
        if isinstance(form_field, PlacesField):
            data[name] = "\n".join(place.key for place in value)
        elif isinstance(form_field, forms.ModelMultipleChoiceField):
            data[name] = [getattr(item, form_field.to_field_name) for item in value]
        elif isinstance(form_field, forms.ModelChoiceField | PlaceField):
            data[name] = getattr(value, getattr(form_field, "to_field_name", None) or "key")
        elif isinstance(form_field, forms.BooleanField):
            if value:
                data[name] = "on"
        else:
            data[name] = value if isinstance(value, str) else str(value)
    for prefix in ("parties", "roles"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


@pytest.mark.parametrize("persona", ["editor_b", "editor_c"])
@pytest.mark.parametrize("slug,name", REFERENCES)
def test_a_form_pointing_a_reference_at_another_organisations_private_record_shows_an_error_and_writes_nothing(
    world, db, slug, name, persona
):
    letter = persona[-1]
    kind = KINDS[slug]
    own = world.others[letter][kind.model]
    _field, _target, value = _reference(world, slug, name)
    user = world.cast.users[persona]
    data = {**form_data(kind, own, user), name: value}
    before = snapshot(kind.model)

    response = world.cast.client_for(persona).post(f"/workspace/{slug}/{own.key}/", data)

    assert response.status_code == 400, (slug, name, response.status_code)
    assert name in response.context["form"].errors, response.context["form"].errors
    assert snapshot(kind.model) == before


def test_the_form_data_of_the_sweep_is_accepted_as_it_is(world, db):
    """The sweep's refusals come from the one reference it changes: the unchanged form saves."""
    for slug, kind in KINDS.items():
        own = world.others["c"][kind.model]
        response = world.cast.client_for("editor_c").post(
            f"/workspace/{slug}/{own.key}/", form_data(kind, own, world.cast.users["editor_c"])
        )
        assert response.status_code == 302, (slug, response.context and response.context["form"].errors)


# -- Fields a role may not set -----------------------------------------------------------------------------------


def test_the_approval_of_a_value_sent_through_the_api_is_ignored(world, db):
    from metrodiplomacy.strategy.models import Observation

    own = world.others["c"][Observation]
    client = world.cast.client_for("editor_c")

    created = _send(
        client, "post", "/api/v1/observations", {**create_payload(own, "cross-value"), "approval": "approved"}
    )
    changed = _send(client, "patch", f"/api/v1/observations/{own.key}", {"approval": "approved"})

    assert (created.status_code, changed.status_code) == (201, 200)
    assert set(Observation.objects.filter(key__in=[own.key, "cross-value"]).values_list("approval", flat=True)) == {
        "draft"
    }


def test_the_approval_of_a_value_posted_with_the_form_is_ignored(world, db):
    from metrodiplomacy.strategy.models import Observation

    own = world.others["c"][Observation]
    kind = KINDS["observations"]
    data = {**form_data(kind, own, world.cast.users["editor_c"]), "approval": "approved", "publication": "published"}

    response = world.cast.client_for("editor_c").post(f"/workspace/observations/{own.key}/", data)

    assert response.status_code == 302
    own.refresh_from_db()
    # The form has neither field: approval goes through the results services, publication through "publish".
    assert (own.approval, own.publication) == ("draft", "draft")


@pytest.mark.parametrize("slug", sorted(set(KINDS) - NOT_IN_API))
def test_an_editor_cannot_move_its_record_to_an_owner_it_does_not_edit_for(world, db, slug):
    model = KINDS[slug].model
    own = world.others["c"][model]
    client = world.cast.client_for("editor_c")
    before = snapshot(model)

    # A private organisation of A is unknown to C (400); B's organisation is known to nobody in C either.
    moved = _send(client, "patch", f"/api/v1/{slug}/{own.key}", {"owner": "org-a"})
    created = _send(client, "post", f"/api/v1/{slug}", {**create_payload(own, "cross-owner"), "owner": "org-a"})

    assert (moved.status_code, created.status_code) == (400, 400)
    assert "owner" in moved.json()["detail"]
    assert snapshot(model) == before


def test_a_viewer_may_not_set_visibility_or_publication_even_of_its_own_organisations_record(world, db):
    from metrodiplomacy.diplomacy.models import Agreement

    client = world.cast.client_for("viewer_a")
    before = snapshot(Agreement)

    response = _send(
        client, "patch", "/api/v1/agreements/a-private", {"visibility": "public", "publication": "published"}
    )

    assert response.status_code == 403
    assert snapshot(Agreement) == before


# -- API tokens --------------------------------------------------------------------------------------------------


def test_a_token_is_stored_only_as_its_hash(world, db):
    record, token = create_token(world.cast.users["editor_a"], "hash-check")

    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.filter(pk=record.pk).values().get().values()]
    assert not any(token in value for value in stored)
    assert token.startswith(record.prefix) and len(record.prefix) < len(token) // 2


def test_a_viewers_token_cannot_write_what_the_viewer_cannot(world, db):
    from metrodiplomacy.diplomacy.models import Agreement

    token = create_token(world.cast.users["viewer_a"], "viewer-script")[1]
    client = world.cast.client_for("anonymous")
    before = snapshot(Agreement)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    read = client.get("/api/v1/agreements/a-private", **auth)
    changed = client.patch(
        "/api/v1/agreements/a-private", data=json.dumps({"flag": "x"}), content_type="application/json", **auth
    )
    created = client.post(
        "/api/v1/agreements",
        data=json.dumps(create_payload(world.record(Agreement), "viewer-new")),
        content_type="application/json",
        **auth,
    )

    assert (read.status_code, changed.status_code, created.status_code) == (200, 403, 403)
    assert snapshot(Agreement) == before


@pytest.fixture
def editor_of_a_and_c(world, db):
    """One person who edits for A and for C, with a token scoped to C."""
    user = get_user_model().objects.create_user("two-hats", password="pw-for-tests-only")
    for letter in "ac":
        Membership.objects.create(user=user, organisation=world.cast.organisations[letter], role="editor")
    token = create_token(user, "c-only", organisation=world.cast.organisations["c"])[1]
    return user, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.parametrize("visibility", ["private", "workspace"])
def test_a_token_scoped_to_c_neither_reads_nor_writes_as_records_though_its_user_may(
    world, editor_of_a_and_c, visibility
):
    from metrodiplomacy.diplomacy.models import Agreement

    # A's workspace records are shared with B, not with C: a token acting for C must not see them either.
    Agreement.objects.filter(pk=world.record(Agreement).pk).update(visibility=visibility)
    user, auth = editor_of_a_and_c
    by_session = world.cast.client_for("anonymous")
    by_session.force_login(user)
    assert by_session.get("/api/v1/agreements/a-private").status_code == 200  # the person may read it
    client = world.cast.client_for("anonymous")
    before = snapshot(Agreement)

    read = client.get("/api/v1/agreements/a-private", **auth)
    listed = client.get("/api/v1/agreements", **auth).json()["items"]
    changed = client.patch(
        "/api/v1/agreements/a-private", data=json.dumps({"flag": "x"}), content_type="application/json", **auth
    )
    deleted = client.delete("/api/v1/agreements/a-private", **auth)

    assert (read.status_code, changed.status_code, deleted.status_code) == (404, 404, 404)
    assert "a-private" not in {item["key"] for item in listed}
    assert snapshot(Agreement) == before


@pytest.mark.parametrize("slug,name", [p for p in REFERENCES if p.values[0] not in NOT_IN_API])
def test_a_token_scoped_to_c_cannot_point_cs_records_at_as_private_ones(world, editor_of_a_and_c, slug, name):
    """The person may read A's records, but the token acts for C only: A's private records are unknown to it."""
    model = KINDS[slug].model
    own = world.others["c"][model]
    _field, _target, value = _reference(world, slug, name)
    client = world.cast.client_for("anonymous")
    _user, auth = editor_of_a_and_c
    before = snapshot(model)

    response = client.patch(
        f"/api/v1/{slug}/{own.key}", data=json.dumps({name: value}), content_type="application/json", **auth
    )

    assert response.status_code == 400, response.content
    assert name in response.json()["detail"]
    assert snapshot(model) == before
