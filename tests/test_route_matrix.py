"""The route × persona matrix (issue #8): each page and API operation answers each persona as the table says.

The table is `tests/route_matrix.py`; the guard below fails when a route or operation has no row there.
"""

import json
import re
from copy import deepcopy
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpResponse
from django.urls import URLResolver, get_resolver, include, path, reverse
from django.urls.resolvers import RegexPattern

from metrodiplomacy.api.main import api
from tests.conftest import ensure_codelists
from tests.personas import PERSONAS
from tests.route_matrix import (
    ADMIN_EXCEPTIONS,
    ADMIN_RULE,
    MISSING_KEY,
    OPERATIONS,
    PAGE_ARGUMENTS,
    PAGES,
    PRIVATE_KEY,
    api_operations,
    build_world,
    named_routes,
    operation_request,
    page_arguments,
    unlisted_and_stale,
    without_noise,
)

SCHEMA = api.get_openapi_schema()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast and A's private records, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_codelists()
        yield build_world(get_user_model())
        transaction.set_rollback(True)


def _codes(text: str) -> dict[str, int]:
    codes = text.split()
    assert len(codes) == len(PERSONAS), f"{text!r} needs one code per persona"
    return dict(zip(PERSONAS, map(int, codes), strict=True))


PAGE_CASES = [
    pytest.param(name, method, persona, status, id=f"{name}-{method}-{persona}")
    for name, methods in PAGES.items()
    for method, codes in methods.items()
    for persona, status in _codes(codes).items()
]
OPERATION_CASES = [
    pytest.param(operation, persona, status, id=f"{operation}-{persona}")
    for operation, codes in OPERATIONS.items()
    for persona, status in _codes(codes).items()
]


def _pattern_arguments(name: str) -> list[str]:
    """The argument names of a named URL, read from the resolver."""
    namespace, _, short = name.rpartition(":")
    for found_name, _route, pattern in _walk_all():
        if found_name == name:
            return list(pattern.pattern.converters)
    raise LookupError(f"{namespace}:{short}")


def _walk_all():
    from tests.route_matrix import _walk

    return _walk(get_resolver())


def call_page(world, persona: str, name: str, method: str) -> HttpResponse:
    arguments = page_arguments(world, _pattern_arguments(name), PAGE_ARGUMENTS.get(name, {}))
    # A fresh client per call: signing out (or a page that rotates the session) must not leak into the next row.
    return getattr(world.cast.client_for(persona), method.lower())(reverse(name, kwargs=arguments))


def call_operation(world, persona: str, operation: str) -> HttpResponse:
    method, url, body = operation_request(world, operation)
    extra = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(world.cast.client_for(persona), method.lower())(url, **extra)


# -- The guard ---------------------------------------------------------------------------------------------------


def test_the_guard_finds_a_row_for_every_route_and_operation_and_no_row_without_one():
    report = unlisted_and_stale(named_routes(get_resolver(), SCHEMA), api_operations(SCHEMA), PAGES, OPERATIONS)
    assert report == {key: [] for key in report}, (
        "Add a row to tests/route_matrix.py for each route or operation named here (or remove the stale rows): "
        + json.dumps(report, indent=1)
    )


def _new_page(request):  # pragma: no cover - never called, only routed
    return HttpResponse()


def test_the_guard_reports_a_new_page_a_new_operation_a_custom_admin_page_and_a_stale_row():
    urlconf = SimpleNamespace(
        urlpatterns=[
            path("", include("metrodiplomacy.urls")),
            path("matrix-new-page/", _new_page, name="matrix_new_page"),
            path("matrix-unnamed/", _new_page),
            # A custom admin view lands in the admin's name space, beyond what the admin rule covers.
            path("admin-extra/", include(([path("merge/", _new_page, name="places_place_merge")], "admin"))),
        ]
    )
    schema = deepcopy(SCHEMA)
    schema["paths"]["/api/v1/matrix-things"] = {"get": {"operationId": "list_matrix_things"}}
    schema["paths"]["/api/v1/agreements/{key}"]["put"] = {"operationId": "replace_agreement"}

    report = unlisted_and_stale(
        named_routes(URLResolver(RegexPattern(r"^/"), urlconf), schema),
        api_operations(schema),
        {**PAGES, "observatory:retired_page": {"GET": "200 200 200 200 200 200 200"}},
        {**OPERATIONS, "GET /api/v1/retired-things": "200 200 200 200 200 200 200"},
    )

    assert report == {
        "pages without a row": ["admin:places_place_merge", "matrix_new_page", "unnamed:matrix-unnamed/"],
        "operations without a row": ["GET /api/v1/matrix-things", "PUT /api/v1/agreements/{key}"],
        "rows of pages that do not exist": ["observatory:retired_page"],
        "rows of operations that do not exist": ["GET /api/v1/retired-things"],
    }


def test_the_admin_rule_covers_generated_admin_pages_only():
    assert ADMIN_RULE.fullmatch("admin:diplomacy_agreement_changelist")
    assert ADMIN_RULE.fullmatch("admin:index")
    assert not ADMIN_RULE.fullmatch("admin:diplomacy_agreement_export")
    assert not ADMIN_RULE.fullmatch("observatory:home")


# -- The matrix --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name,method,persona,status", PAGE_CASES)
def test_each_page_answers_each_persona_as_the_matrix_says(world, db, name, method, persona, status):
    response = call_page(world, persona, name, method)
    assert response.status_code == status, (name, method, persona, response.content[:300])


@pytest.mark.parametrize("operation,persona,status", OPERATION_CASES)
def test_each_api_operation_answers_each_persona_as_the_matrix_says(world, db, operation, persona, status):
    response = call_operation(world, persona, operation)
    assert response.status_code == status, (operation, persona, response.content[:300])


ADMIN_PAGES = sorted(
    name
    for name, _route, pattern in _walk_all()
    if name
    and name.startswith("admin:")
    and not pattern.pattern.converters
    and not re.search(r"\(", str(pattern.pattern))
)


ADMIN_CASES = [
    pytest.param(name, persona, ADMIN_EXCEPTIONS.get(name, {}).get(persona, status), id=f"{name}-{persona}")
    for name in ADMIN_PAGES
    if name != "admin:logout"  # signing out is the sign-out rows' business
    for persona, status in (("anonymous", 302), ("admin_a", 302), ("editor_c", 302), ("staff", 200))
]


@pytest.mark.parametrize("name,persona,status", ADMIN_CASES)
def test_the_admin_answers_staff_only_and_sends_everyone_else_to_its_sign_in(world, db, name, persona, status):
    response = world.cast.client_for(persona).get(reverse(name))
    assert response.status_code == status, (name, persona)
    if persona != "staff" and name not in ADMIN_EXCEPTIONS:
        assert response["Location"].startswith(reverse("admin:login"))


# -- Another organisation's private record is a missing one ------------------------------------------------------

SAME_AS_MISSING = [
    ("page", "observatory:show_organisation", "GET"),
    ("page", "observatory:show_organisation_data", "GET"),
    ("page", "observatory:show_source", "GET"),
    ("page", "workspaces:edit_record", "GET"),
    ("page", "workspaces:edit_record", "POST"),
    ("page", "workspaces:show_history", "GET"),
    ("page", "workspaces:delete_record", "POST"),
    ("page", "strategy:show_value", "GET"),
    ("page", "coordination:show_mechanism", "GET"),
    ("operation", "GET /api/v1/agreements/{key}", None),
    ("operation", "PATCH /api/v1/agreements/{key}", None),
    ("operation", "DELETE /api/v1/agreements/{key}", None),
    ("operation", "POST /api/v1/agreements/{key}/citations", None),
    ("operation", "GET /api/v1/strategies/{key}", None),
    ("operation", "GET /api/v1/organisations/{key}", None),
]


@pytest.mark.parametrize("persona", ["editor_b", "editor_c"])
@pytest.mark.parametrize("what,route,method", SAME_AS_MISSING)
def test_another_organisations_private_record_answers_exactly_like_a_missing_one(
    world, db, persona, what, route, method
):
    def ask(key: str) -> HttpResponse:
        if what == "page":
            arguments = page_arguments(world, _pattern_arguments(route), {"key": key, "mechanism": key})
            return getattr(world.cast.client_for(persona), method.lower())(reverse(route, kwargs=arguments))
        operation_method, url, body = operation_request(world, route)
        url = url.replace(PRIVATE_KEY, key)
        extra = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
        return getattr(world.cast.client_for(persona), operation_method.lower())(url, **extra)

    private, missing = ask(PRIVATE_KEY), ask(MISSING_KEY)

    assert private.status_code == missing.status_code == 404
    assert without_noise(private, PRIVATE_KEY) == without_noise(missing, MISSING_KEY)
