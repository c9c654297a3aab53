"""Every named URL and every API operation, with the status each of the seven personas must get.

The rows are read by `tests/test_route_matrix.py`. A guard there fails when a route exists that has no row
here, or a row names a route that no longer exists, so a new page or operation cannot ship untested.

How to add a row: run the guard (`pytest tests/test_route_matrix.py -k guard`); it names what is missing.
Add the URL name (`"<namespace>:<name>"`) to PAGES, or the operation (`"<METHOD> <path>"`, the path as the
OpenAPI document writes it) to OPERATIONS, with the method for pages and seven codes in the column order of
`tests/personas.PERSONAS`:

    anonymous  viewer_a  editor_a  admin_a  editor_b  editor_c  staff

URL arguments are filled from WORLD_ARGUMENTS: every record an argument names is organisation A's own,
*private* and *draft* (key "a-private"), so editor_b (A's workspace partner) and editor_c (another workspace)
must get exactly what a missing record gets. Admin pages are covered by a rule (ADMIN_RULE) instead of rows.
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models

from tests.personas import Cast, build_cast

PRIVATE_KEY = "a-private"
MISSING_KEY = "no-such-record"


# ---------------------------------------------------------------------------------------------------------------
# The world the rows are checked against: the cast, and one private draft record of organisation A per model.


@dataclass
class World:
    cast: Cast
    records: dict[type, Any] = field(default_factory=dict)  # model → A's private draft record
    others: dict[str, dict[type, Any]] = field(default_factory=dict)  # "b", "c" → their records, when built
    objects: dict[str, Any] = field(default_factory=dict)  # other things URLs name (meeting, citation…)

    def record(self, model: type) -> Any:
        return self.records[model]


def _plain_value(model_field: models.Field, letter: str) -> Any:
    """A valid value for a required plain field: the first choice, or a small value of its type."""
    if model_field.choices:
        return next(value for value, _label in model_field.flatchoices if value not in ("", None))
    if isinstance(model_field, models.BooleanField):
        return False
    if isinstance(model_field, models.DecimalField):
        return Decimal("1")
    if isinstance(model_field, models.FloatField):
        return 1.0
    if isinstance(model_field, models.IntegerField):
        # A year fits every integer of the data model: years, counts, positions, scores up to a few thousand.
        return 2020 if "year" in model_field.name else 1
    if isinstance(model_field, models.DateTimeField):
        return dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    if isinstance(model_field, models.DateField):
        return dt.date(2020, 1, 1)
    if isinstance(model_field, models.JSONField):
        return model_field.get_default()
    if isinstance(model_field, models.URLField):
        return "https://example.org/"
    # Text names the organisation: coders and names stay unique across the organisations' copies.
    return f"Private of {letter.upper()}"


# Optional values some models still need together (a value, or "unknown"; a period with its year).
PLAIN_VALUES: dict[str, dict[str, Any]] = {"strategy.Observation": {"value": Decimal("1"), "year": 2020}}


def build_private_record(world: World, model: type, letter: str = "a") -> Any:
    """The organisation's private draft record of the model; its references point at its own private records."""
    from metrodiplomacy.evidence.models import PolicyArea
    from metrodiplomacy.places.models import Place
    from metrodiplomacy.records import Record
    from metrodiplomacy.workspaces.kinds import KINDS

    records = world.records if letter == "a" else world.others.setdefault(letter, {})
    if model in records:
        return records[model]
    kind_fields = next(kind.fields for kind in KINDS.values() if kind.model is model)
    owner = world.cast.organisations[letter]
    record = model(key=f"{letter}-private", owner=owner, visibility="private", publication="draft")
    many: dict[str, list] = {}
    for model_field in kind_fields:
        related = model_field.related_model
        if model_field.blank:
            # Optional references stay empty (some exclude each other, as a statistic's place and organisation);
            # the cross-organisation tests set each of them one by one.
            continue
        if related is Place:
            target = world.objects["place"]
        elif related is PolicyArea:
            target = world.objects["policy_area"]
        elif related is not None and issubclass(related, Record):
            if related._meta.label != "actors.Organisation":
                target = build_private_record(world, related, letter)
            else:
                target = world.objects[f"{letter}:{'network' if model_field.name == 'network' else 'partner'}"]
        else:
            target = None
        if model_field.many_to_many:
            many[model_field.name] = [target]
        elif model_field.many_to_one:
            setattr(record, model_field.name, target)
        elif not model_field.has_default():
            setattr(record, model_field.name, _plain_value(model_field, letter))
    for name, value in PLAIN_VALUES.get(model._meta.label, {}).items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    for name, targets in many.items():
        getattr(record, name).set(targets)
    records[model] = record
    return record


def build_private_records(world: World, letter: str) -> None:
    """Every kind's private draft record of organisation `letter`, and two more private organisations of it.

    Records point at the two organisations: an organisation cannot be its own parent, nor a network its own member.
    """
    from metrodiplomacy.actors.models import Organisation
    from metrodiplomacy.workspaces.kinds import KINDS

    for name, kind in (("partner", "agency"), ("network", "city_network")):
        world.objects[f"{letter}:{name}"] = Organisation.objects.create(
            key=f"{letter}-private-{name}",
            name=f"{name.title()} of {letter.upper()}",
            kind=kind,
            owner=world.cast.organisations[letter],
        )
    for kind in KINDS.values():
        build_private_record(world, kind.model, letter)


def build_world(user_model) -> World:
    """The cast, A's private draft records of every kind, and what the URLs of pages name besides records."""
    from django.contrib.contenttypes.models import ContentType

    from metrodiplomacy.coordination.models import Decision, Meeting
    from metrodiplomacy.evidence.models import Citation, PolicyArea, Source
    from metrodiplomacy.places.models import Place

    world = World(build_cast(user_model))
    country = Place.objects.create(key="xx", kind="country", name="Exampleland", iso2="XX")
    world.objects["place"] = Place.objects.create(
        key="example-city", kind="city", name="Example City", country=country, parent=country
    )
    world.objects["policy_area"] = PolicyArea.objects.get_or_create(
        code="economic", defaults={"name": "Economic development"}
    )[0]
    build_private_records(world, "a")
    source = world.record(Source)
    for model, record in world.records.items():
        world.objects[f"citation:{model._meta.label}"] = Citation.objects.create(
            source=source,
            content_type=ContentType.objects.get_for_model(model),
            object_id=record.pk,
            section="Annex",
            line_start=1,
            note="A private note of A",
        )
    from metrodiplomacy.coordination.models import CoordinationMechanism

    mechanism = world.record(CoordinationMechanism)
    world.objects["meeting"] = Meeting.objects.create(mechanism=mechanism, date=dt.date(2024, 1, 1), title="First")
    world.objects["decision"] = Decision.objects.create(mechanism=mechanism, text="Do it")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from metrodiplomacy.workspaces.services import create_token

    world.objects["token"] = create_token(world.cast.users["editor_a"], "script")[0]
    world.objects["device"] = TOTPDevice.objects.create(
        user=world.cast.users["editor_a"], name="phone", confirmed=False
    )
    return world


# ---------------------------------------------------------------------------------------------------------------
# What exists: the named URLs of the resolver and the operations of the API's OpenAPI document.


def _walk(resolver, prefix: str = "", namespace: str | None = None) -> Iterable[tuple[str | None, str, Any]]:
    """(name with its namespaces, or None when unnamed; the route; the pattern) of every URL pattern."""
    from django.urls import URLResolver

    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            yield from _walk(pattern, route, f"{namespace}:{inner}" if namespace and inner else inner or namespace)
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, route, pattern


def _as_openapi_path(route: str) -> str:
    """`api/v1/agreements/<key>` → `/api/v1/agreements/{key}`: how the OpenAPI document writes a route."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def api_operations(schema: dict) -> set[str]:
    """Every operation of an OpenAPI document, as "METHOD /path"."""
    methods = {"get", "post", "put", "patch", "delete", "head", "options"}
    return {
        f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item if method in methods
    }


def named_routes(resolver, schema: dict) -> set[str]:
    """Every URL a row must exist for: named URLs by name, unnamed ones outside the admin by their route.

    The routes that serve an API operation are left to the operations (a name such as `api:get_record` is
    shared by every kind); the API's own pages (its document, its docs) stay here.
    """
    operation_paths = set(schema["paths"])
    found = set()
    for name, route, _pattern in _walk(resolver):
        if route.startswith("api/") and _as_openapi_path(route) in operation_paths:
            continue
        if name is None:
            # Django's admin adds unnamed redirects of its own (object → change page); anything else must be named.
            if not route.startswith("admin/"):
                found.add(f"unnamed:{route}")
            continue
        found.add(name)
    return found


# The admin is the site operator's: every page of it answers staff only, and sends anyone else to its login.
# A rule covers its generated names; a custom admin page (another name) gets flagged and needs a rule or a row.
ADMIN_RULE = re.compile(
    r"admin:("
    r"index|login|logout|password_change|password_change_done|autocomplete|jsi18n|view_on_site|app_list"
    r"|auth_user_password_change"
    # django-otp's device admin: the key's configuration and QR code of a device (the account piece's MFA).
    r"|otp_totp_totpdevice_(config|qrcode)"
    r"|[a-z_]+_[a-z]+_(changelist|add|change|delete|history|simple_history)"
    r")"
)


# Admin pages that answer otherwise than the rule (staff 200, everyone else 302 to the admin's sign-in).
ADMIN_EXCEPTIONS: dict[str, dict[str, int]] = {
    # The sign-in page itself: shown to the anonymous caller; a signed-in one is sent on.
    "admin:login": {"anonymous": 200, "admin_a": 302, "editor_c": 302, "staff": 302},
    # Autocomplete answers only a question naming a model and field; without one even staff are refused.
    "admin:autocomplete": {"staff": 403},
    # django-axes writes its lockout records itself: nobody adds one by hand.
    "admin:axes_accessattempt_add": {"staff": 403},
    "admin:axes_accessfailurelog_add": {"staff": 403},
    "admin:axes_accesslog_add": {"staff": 403},
}


def unlisted_and_stale(routes: set[str], operations: set[str], pages: dict, listed_operations: dict) -> dict:
    """What the guard reports: routes and operations without a row, and rows whose route no longer exists."""
    covered = {route for route in routes if route.startswith("admin:") and ADMIN_RULE.fullmatch(route)}
    return {
        "pages without a row": sorted(routes - covered - set(pages)),
        "operations without a row": sorted(operations - set(listed_operations)),
        "rows of pages that do not exist": sorted(set(pages) - routes),
        "rows of operations that do not exist": sorted(set(listed_operations) - operations),
    }


# ---------------------------------------------------------------------------------------------------------------
# How a row's URL is filled in from the world.

# An import's token is a random name of a file kept for its uploader: no persona has one, so every one gets the
# answer of an unknown import.
UNKNOWN_IMPORT = "0" * 32


def page_arguments(world: World, argument_names: Iterable[str], overrides: dict) -> dict:
    """The URL arguments of a page: A's private records, A's organisation and workspace, unless a row overrides."""
    from metrodiplomacy.diplomacy.models import Agreement
    from metrodiplomacy.workspaces.models import Membership

    agreement = world.record(Agreement)
    standard = {
        "kind": "agreements",
        "key": PRIVATE_KEY,
        "mechanism": PRIVATE_KEY,
        "workspace": "space-ab",
        "organisation": "org-a",
        "organisation_key": "org-a",
        "subject": "org-a",
        "year": 2024,
        "fmt": "json",
        "entity": "agreements",
        "token": UNKNOWN_IMPORT,
        "meeting": lambda: world.objects["meeting"].pk,
        "decision": lambda: world.objects["decision"].pk,
        "membership_id": lambda: Membership.objects.get(user=world.cast.users["viewer_a"]).pk,
        "history_id": lambda: agreement.history.latest("history_id").history_id,
        "citation_id": lambda: world.objects[f"citation:{Agreement._meta.label}"].pk,
        # editor_a's API token and authenticator: nobody else may revoke or confirm them.
        "token_id": lambda: world.objects["token"].pk,
        "device_id": lambda: world.objects["device"].pk,
    }
    values = {}
    for name in argument_names:
        value = overrides.get(name, standard.get(name))
        if value is None:
            raise KeyError(f"No value for the URL argument {name!r}: add it to page_arguments or to the row.")
        values[name] = value() if callable(value) else value
    return values


def operation_path(world: World, path: str) -> str:
    """An operation's path filled in: the kind's private record of A, a citation of it, organisation A."""
    from metrodiplomacy.api.common import READABLE

    kind = path.removeprefix("/api/v1/").split("/")[0]
    endpoint = READABLE.get(kind)
    values: dict[str, Any] = {"org_key": "org-a", "key": PRIVATE_KEY}
    if kind in ("twinning", "places"):
        values["key"] = "example-city"
    if kind == "citations":
        # Citations are named by number: the citation of A's private agreement.
        values["key"] = world.objects["citation:diplomacy.Agreement"].pk
    if "{citation_id}" in path:
        model = type(endpoint.get_for_user(world.cast.users["staff"], PRIVATE_KEY))
        values["citation_id"] = world.objects[f"citation:{model._meta.label}"].pk
    return re.sub(r"\{(\w+)\}", lambda match: str(values[match.group(1)]), path)


def operation_request(world: World, operation: str) -> tuple[str, str, dict | None]:
    """The method, filled-in path and JSON body with which a row's operation is called."""
    from metrodiplomacy.api.common import READABLE

    method, path = operation.split(" ", 1)
    kind = path.removeprefix("/api/v1/").split("/")[0]
    body: dict | None = None
    if method == "POST" and path.endswith("/citations"):
        body = {"source": PRIVATE_KEY, "note": "Says so"}
    elif method == "POST":
        record = READABLE[kind].get_for_user(world.cast.users["staff"], PRIVATE_KEY)
        body = {**create_payload(record), **PAYLOAD_CHANGES.get(kind, {})}
    elif method == "PATCH":
        body = {"flag": "Checked by the matrix"}
    return method, operation_path(world, path), body


def create_payload(record: Any, key: str = "matrix-new") -> dict:
    """The body that creates a copy of the record under another key: its values, its references by key."""
    from metrodiplomacy.workspaces.kinds import kind_of

    payload: dict[str, Any] = {"key": key, "owner": record.owner.key}
    for model_field in kind_of(record).fields:
        if model_field.many_to_many:
            lookup = "code" if model_field.related_model._meta.label == "evidence.PolicyArea" else "key"
            payload[model_field.name] = [getattr(item, lookup) for item in getattr(record, model_field.name).all()]
        elif model_field.many_to_one:
            target = getattr(record, model_field.name)
            if target is not None:
                lookup = "code" if model_field.related_model._meta.label == "evidence.PolicyArea" else "key"
                payload[model_field.name] = getattr(target, lookup)
        else:
            value = getattr(record, model_field.name)
            if value not in (None, ""):
                payload[model_field.name] = (
                    value if isinstance(value, bool | int | float | str | list | dict) else str(value)
                )
    return payload


# ---------------------------------------------------------------------------------------------------------------
# The table. Codes in the column order of PERSONAS:
#            anonymous  viewer_a  editor_a  admin_a  editor_b  editor_c  staff

# Pages answer an anonymous caller with a redirect to sign in (302). Every record a page names is A's private
# draft one, so B (A's workspace partner) and C (another workspace) get 404 as for a missing one.
PAGES: dict[str, dict[str, str]] = {
    # The account area (another piece, issue #8): every security page first asks a signed-in member to confirm
    # the password again (302 to accounts:reauthenticate), the enrolment steps only follow a password sign-in.
    "accounts:change_email": {"GET": "302 302 302 302 302 302 302"},
    "accounts:change_password": {"GET": "302 302 302 302 302 302 302"},
    "accounts:confirm_enrolment": {"GET": "302 302 302 302 302 302 302"},
    "accounts:create_token": {"GET": "302 302 302 302 302 302 302"},
    "accounts:disable_second_factor": {"GET": "302 302 302 302 302 302 302"},
    "accounts:enrol_at_sign_in": {"GET": "302 302 302 302 302 302 302"},
    "accounts:reauthenticate": {"GET": "302 200 200 200 200 200 200", "POST": "302 400 400 400 400 400 400"},
    "accounts:renew_recovery_codes": {"GET": "302 302 302 302 302 302 302"},
    "accounts:revoke_token": {"GET": "302 302 302 302 302 302 302"},
    "accounts:show_security": {"GET": "302 302 302 302 302 302 302"},
    "accounts:start_enrolment": {"GET": "302 302 302 302 302 302 302"},
    "accounts:verify_sign_in": {"GET": "302 302 302 302 302 302 302"},
    # Ninja's root has no operation of its own.
    "api:api-root": {"GET": "404 404 404 404 404 404 404"},
    "api:openapi-json": {"GET": "200 200 200 200 200 200 200"},
    "api:openapi-view": {"GET": "200 200 200 200 200 200 200"},
    # Viewers do not import; an empty upload is refused (400) for everyone who may import.
    "cooperation:import_iati": {"GET": "302 403 200 200 200 200 200", "POST": "302 403 400 400 400 400 400"},
    # A's private mechanism: partners (B) and outsiders (C) get the answer of a missing one; an empty form is 400.
    "coordination:add_decision": {"POST": "302 403 400 400 404 404 400"},
    "coordination:add_meeting": {"POST": "302 403 400 400 404 404 400"},
    # Feed addresses are secrets, managed like API tokens: a recent sign-in first (302 to re-authenticate).
    "coordination:create_feed_secret": {"GET": "302 302 302 302 302 302 302"},
    # The meeting has no minutes file: a missing file answers 404 to everyone who may read the mechanism.
    "coordination:download_minutes": {"GET": "302 404 404 404 404 404 404"},
    # A's agenda: B sees that A is a member of the shared workspace (403, not 404); C is outside it (404).
    "coordination:edit_agenda": {"GET": "302 403 200 200 403 404 200", "POST": "302 403 400 400 403 404 400"},
    # Pages of the shared workspace AB: C is outside it and gets the answer of a missing workspace.
    "coordination:list_feed_secrets": {"GET": "302 302 302 302 302 302 302"},
    "coordination:list_findings": {"GET": "302 200 200 200 200 404 200"},
    "coordination:list_mechanisms": {"GET": "302 200 200 200 200 404 200"},
    "coordination:list_records": {"GET": "302 200 200 200 200 404 200"},
    "coordination:list_workspaces": {"GET": "302 200 200 200 200 200 200"},
    # Calendar feeds answer 401 rather than a login redirect: calendar programs cannot follow one.
    "coordination:organisation_feed": {"GET": "401 200 200 200 200 404 200"},
    "coordination:revoke_feed_secret": {"GET": "302 302 302 302 302 302 302"},
    "coordination:set_decision_status": {"POST": "302 403 400 400 404 404 400"},
    "coordination:show_calendar": {"GET": "302 200 200 200 200 404 200"},
    "coordination:show_mechanism": {"GET": "302 200 200 200 404 404 200"},
    "coordination:show_networks": {"GET": "302 200 200 200 200 404 200"},
    "coordination:show_overview": {"GET": "302 200 200 200 200 404 200"},
    "coordination:show_stakeholders": {"GET": "302 200 200 200 200 404 200"},
    "coordination:show_who_does_what": {"GET": "302 200 200 200 200 404 200"},
    "coordination:workspace_feed": {"GET": "401 200 200 200 200 404 200"},
    # The public portal: everyone reads it; A's private records never appear (tested by the visibility pieces).
    "observatory:compare_places": {"GET": "200 200 200 200 200 200 200"},
    # Without places to compare, the data address refuses the question.
    "observatory:compare_places_data": {"GET": "400 400 400 400 400 400 400"},
    # Open data has only public published rows: A's private agreements make no table (404 for everyone).
    "observatory:download_open_csv": {"GET": "404 404 404 404 404 404 404"},
    "observatory:download_open_package": {"GET": "200 200 200 200 200 200 200"},
    "observatory:download_open_xlsx": {"GET": "404 404 404 404 404 404 404"},
    "observatory:home": {"GET": "200 200 200 200 200 200 200"},
    "observatory:home_data": {"GET": "200 200 200 200 200 200 200"},
    "observatory:list_sources": {"GET": "200 200 200 200 200 200 200"},
    "observatory:list_sources_data": {"GET": "200 200 200 200 200 200 200"},
    "observatory:search_records": {"GET": "200 200 200 200 200 200 200"},
    "observatory:search_records_data": {"GET": "200 200 200 200 200 200 200"},
    "observatory:show_matrix": {"GET": "200 200 200 200 200 200 200"},
    "observatory:show_matrix_data": {"GET": "200 200 200 200 200 200 200"},
    "observatory:show_open_data": {"GET": "200 200 200 200 200 200 200"},
    "observatory:show_open_data_data": {"GET": "200 200 200 200 200 200 200"},
    # A's private organisation record (key a-private): B and C get the answer of a missing key.
    "observatory:show_organisation": {"GET": "404 200 200 200 404 404 200"},
    "observatory:show_organisation_data": {"GET": "404 200 200 200 404 404 200"},
    # Places are shared reference data, readable by all.
    "observatory:show_place": {"GET": "200 200 200 200 200 200 200"},
    "observatory:show_place_data": {"GET": "200 200 200 200 200 200 200"},
    "observatory:show_source": {"GET": "404 200 200 200 404 404 200"},
    "observatory:show_source_data": {"GET": "404 200 200 200 404 404 200"},
    # No twinning list is loaded here: the city has no twinning page.
    # Sets the language cookie and goes back to `next` (or home), whoever asks.
    "observatory:choose_language": {"GET": "302 302 302 302 302 302 302"},
    "observatory:twinning_city": {"GET": "404 404 404 404 404 404 404"},
    "observatory:twinning_city_data": {"GET": "404 404 404 404 404 404 404"},
    "observatory:twinning_overview": {"GET": "200 200 200 200 200 200 200"},
    "observatory:twinning_overview_data": {"GET": "200 200 200 200 200 200 200"},
    # The public report reads as an anonymous reader: organisation A is private, so there is none.
    "reports:show_public_report": {"GET": "404 404 404 404 404 404 404"},
    "set_language": {"GET": "302 302 302 302 302 302 302"},
    # Only an admin of the owner approves or returns a value (editor 403); an empty value is not submitted (400).
    "strategy:approve_value": {"POST": "302 403 403 400 404 404 400"},
    # The organisation is named in the form: an empty form names none the caller administers.
    "strategy:lock_period": {"POST": "302 404 404 404 404 404 404"},
    "strategy:return_value": {"POST": "302 403 403 400 404 404 400"},
    "strategy:show_report": {"GET": "302 200 200 200 404 404 200"},
    "strategy:show_results": {"GET": "302 200 200 200 200 200 200"},
    "strategy:show_value": {"GET": "302 200 200 200 404 404 200"},
    # Editors submit; a viewer may not; partners and outsiders cannot see A's private value.
    "strategy:submit_value": {"POST": "302 403 302 302 404 404 302"},
    # A's private agreement (key a-private): viewers may not write, B and C get the answer of a missing record.
    "workspaces:add_citation": {"POST": "302 403 400 400 404 404 400"},
    # Only admins of A manage A's members; to everyone else A's member list is missing.
    "workspaces:add_membership": {"POST": "302 404 404 400 404 404 404"},
    "workspaces:change_membership": {"POST": "302 404 404 400 404 404 404"},
    "workspaces:commit_import": {"POST": "302 404 404 404 404 404 404"},
    "workspaces:create_record": {"GET": "302 403 200 200 200 200 200", "POST": "302 403 400 400 400 400 400"},
    "workspaces:delete_record": {"GET": "302 403 200 200 404 404 200", "POST": "302 403 302 302 404 404 302"},
    # UNKNOWN_IMPORT: no such import for anyone (an import is only ever its uploader's).
    "workspaces:download_import_problems": {"GET": "302 404 404 404 404 404 404"},
    "workspaces:download_template": {"GET": "302 200 200 200 200 200 200"},
    # The workbook has one name (metrodiplomacy-template.xlsx); an entity's name has no workbook.
    "workspaces:download_workbook": {"GET": "302 404 404 404 404 404 404"},
    "workspaces:edit_record": {"GET": "302 403 200 200 404 404 200", "POST": "302 403 400 400 404 404 400"},
    "workspaces:list_records": {"GET": "302 200 200 200 200 200 200"},
    "workspaces:publish_record": {"POST": "302 403 400 400 404 404 400"},
    "workspaces:remove_membership": {"POST": "302 404 404 302 404 404 404"},
    "workspaces:restore_version": {"POST": "302 403 302 302 404 404 302"},
    "workspaces:show_dashboard": {"GET": "302 200 200 200 200 200 200"},
    "workspaces:show_history": {"GET": "302 200 200 200 404 404 200"},
    "workspaces:show_import": {"GET": "302 404 404 404 404 404 404"},
    "workspaces:show_import_progress": {"GET": "302 404 404 404 404 404 404"},
    "workspaces:show_members": {"GET": "302 200 200 200 200 200 200"},
    # Signed-in callers are sent on; the empty form is shown again to the anonymous one.
    "workspaces:sign_in": {"GET": "200 302 302 302 302 302 302", "POST": "200 302 302 302 302 302 302"},
    "workspaces:sign_out": {"POST": "302 302 302 302 302 302 302"},
    "workspaces:start_import": {"GET": "302 403 200 200 200 200 200", "POST": "302 403 400 400 400 400 400"},
    "workspaces:unpublish_record": {"POST": "302 403 302 302 404 404 302"},
    "workspaces:withdraw_citation": {"POST": "302 403 302 302 404 404 302"},
}

# Every operation acts on A's private draft record of its kind (key a-private). The API never redirects:
# anonymous writes get 401, a viewer's 403, and B and C get 404 wherever the record itself is named (a private
# record answers exactly like a missing one). Creating sends a copy of A's record (create_payload) owned by A:
# B and C are refused with 400 because organisation A, and the records the copy refers to, are unknown to them.
OPERATIONS: dict[str, str] = {
    "GET /api/v1/accountability-reports": "200 200 200 200 200 200 200",
    "POST /api/v1/accountability-reports": "401 403 201 201 400 400 201",
    "DELETE /api/v1/accountability-reports/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/accountability-reports/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/accountability-reports/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/accountability-reports/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/accountability-reports/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/agreements": "200 200 200 200 200 200 200",
    "POST /api/v1/agreements": "401 403 201 201 400 400 201",
    "DELETE /api/v1/agreements/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/agreements/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/agreements/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/agreements/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/agreements/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/case-studies": "200 200 200 200 200 200 200",
    "POST /api/v1/case-studies": "401 403 201 201 400 400 201",
    "DELETE /api/v1/case-studies/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/case-studies/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/case-studies/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/case-studies/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/case-studies/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/citations": "200 200 200 200 200 200 200",
    # A citation of A's private agreement, by number: readable where the record is.
    "GET /api/v1/citations/{key}": "404 200 200 200 404 404 200",
    "GET /api/v1/classification-codings": "200 200 200 200 200 200 200",
    "POST /api/v1/classification-codings": "401 403 201 201 400 400 201",
    "DELETE /api/v1/classification-codings/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/classification-codings/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/classification-codings/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/classification-codings/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/classification-codings/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/cooperation-projects": "200 200 200 200 200 200 200",
    "POST /api/v1/cooperation-projects": "401 403 201 201 400 400 201",
    "DELETE /api/v1/cooperation-projects/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/cooperation-projects/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/cooperation-projects/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/cooperation-projects/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/cooperation-projects/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/cooperation/budget/{org_key}": "404 200 200 200 404 404 200",
    # IATI describes published public projects only: A has none.
    "GET /api/v1/cooperation/iati/{org_key}.xml": "404 404 404 404 404 404 404",
    "GET /api/v1/coordination-mechanisms": "200 200 200 200 200 200 200",
    "POST /api/v1/coordination-mechanisms": "401 403 201 201 400 400 201",
    "DELETE /api/v1/coordination-mechanisms/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/coordination-mechanisms/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/coordination-mechanisms/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/coordination-mechanisms/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/coordination-mechanisms/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/engagements": "200 200 200 200 200 200 200",
    "POST /api/v1/engagements": "401 403 201 201 400 400 201",
    "DELETE /api/v1/engagements/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/engagements/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/engagements/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/engagements/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/engagements/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/hostings": "200 200 200 200 200 200 200",
    "POST /api/v1/hostings": "401 403 201 201 400 400 201",
    "DELETE /api/v1/hostings/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/hostings/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/hostings/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/hostings/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/hostings/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/indicators": "200 200 200 200 200 200 200",
    "POST /api/v1/indicators": "401 403 201 201 400 400 201",
    "DELETE /api/v1/indicators/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/indicators/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/indicators/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/indicators/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/indicators/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/initiatives": "200 200 200 200 200 200 200",
    "POST /api/v1/initiatives": "401 403 201 201 400 400 201",
    "DELETE /api/v1/initiatives/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/initiatives/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/initiatives/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/initiatives/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/initiatives/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/network-memberships": "200 200 200 200 200 200 200",
    "POST /api/v1/network-memberships": "401 403 201 201 400 400 201",
    "DELETE /api/v1/network-memberships/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/network-memberships/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/network-memberships/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/network-memberships/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/network-memberships/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/observations": "200 200 200 200 200 200 200",
    "POST /api/v1/observations": "401 403 201 201 400 400 201",
    "DELETE /api/v1/observations/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/observations/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/observations/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/observations/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/observations/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/organisations": "200 200 200 200 200 200 200",
    "POST /api/v1/organisations": "401 403 201 201 400 400 201",
    "DELETE /api/v1/organisations/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/organisations/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/organisations/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/organisations/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/organisations/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/places": "200 200 200 200 200 200 200",
    "GET /api/v1/places/{key}": "200 200 200 200 200 200 200",
    "GET /api/v1/ranking-positions": "200 200 200 200 200 200 200",
    "POST /api/v1/ranking-positions": "401 403 201 201 400 400 201",
    "DELETE /api/v1/ranking-positions/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/ranking-positions/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/ranking-positions/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/ranking-positions/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/ranking-positions/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/reliance-codings": "200 200 200 200 200 200 200",
    "POST /api/v1/reliance-codings": "401 403 201 201 400 400 201",
    "DELETE /api/v1/reliance-codings/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/reliance-codings/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/reliance-codings/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/reliance-codings/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/reliance-codings/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/sources": "200 200 200 200 200 200 200",
    "POST /api/v1/sources": "401 403 201 201 400 400 201",
    # A's private source is cited (by A's own records): it cannot go before its citations (409).
    "DELETE /api/v1/sources/{key}": "401 403 409 409 404 404 409",
    "GET /api/v1/sources/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/sources/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/sources/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/sources/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/statistics": "200 200 200 200 200 200 200",
    "POST /api/v1/statistics": "401 403 201 201 400 400 201",
    "DELETE /api/v1/statistics/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/statistics/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/statistics/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/statistics/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/statistics/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/strategies": "200 200 200 200 200 200 200",
    "POST /api/v1/strategies": "401 403 201 201 400 400 201",
    "DELETE /api/v1/strategies/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/strategies/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/strategies/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/strategies/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/strategies/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/survey-results": "200 200 200 200 200 200 200",
    "POST /api/v1/survey-results": "401 403 201 201 400 400 201",
    "DELETE /api/v1/survey-results/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/survey-results/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/survey-results/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/survey-results/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/survey-results/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    "GET /api/v1/surveys": "200 200 200 200 200 200 200",
    "POST /api/v1/surveys": "401 403 201 201 400 400 201",
    "DELETE /api/v1/surveys/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/surveys/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/surveys/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/surveys/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/surveys/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
    # No twinning list is loaded here.
    "GET /api/v1/twinning/cities/{key}": "404 404 404 404 404 404 404",
    "GET /api/v1/twinning/stats": "200 200 200 200 200 200 200",
    "GET /api/v1/twinning/top": "200 200 200 200 200 200 200",
    "GET /api/v1/units": "200 200 200 200 200 200 200",
    "POST /api/v1/units": "401 403 201 201 400 400 201",
    "DELETE /api/v1/units/{key}": "401 403 204 204 404 404 204",
    "GET /api/v1/units/{key}": "404 200 200 200 404 404 200",
    "PATCH /api/v1/units/{key}": "401 403 200 200 404 404 200",
    "POST /api/v1/units/{key}/citations": "401 403 201 201 404 404 201",
    "DELETE /api/v1/units/{key}/citations/{citation_id}": "401 403 204 204 404 404 204",
}


# Arguments a row fills in otherwise than page_arguments does: places are shared, not owned, so their pages
# name the example city.
PAGE_ARGUMENTS: dict[str, dict[str, Any]] = {
    "observatory:show_place": {"key": "example-city"},
    "observatory:show_place_data": {"key": "example-city"},
    "observatory:twinning_city": {"key": "example-city"},
    "observatory:twinning_city_data": {"key": "example-city"},
    "coordination:revoke_feed_secret": {"secret": 1},
}

# A copy of a coding or case study would repeat the original's unique (place, area/scheme, coder) or
# (source, place): the copy changes that much.
PAYLOAD_CHANGES: dict[str, dict[str, Any]] = {
    "reliance-codings": {"coder": "Second coder"},
    "classification-codings": {"coder": "Second coder"},
    "case-studies": {"place": "xx"},
}


CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=|csrf[-_]?token["\']?\s*[:=]\s*)["\']?[\w-]+')


def without_noise(response, key: str) -> bytes:
    """The body without the per-request CSRF token, and with the asked-for key spelt the same: what is left
    must not tell another organisation's private record from a key that does not exist."""
    return CSRF.sub(rb"\1CSRF", response.content).replace(key.encode(), b"KEY")
