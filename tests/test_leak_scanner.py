"""The leak scanner (issue #15): no answer shows a persona a marker of a record that persona may not read.

The world (`tests/leak_fixture.py`) gives every owned model records in every visibility × publication state for
organisations A and B, every reference kind from a more visible record to a less visible one (and to a record made
private and renamed after it was referenced), and a marker in every text field that names its record. The scan
(`tests/leak_surfaces.py`) reads, as the personas, every GET route of the route matrix with its arguments filled
from the fixture's keys, the pages' JSON and CSV twins, the API (lists and details), search, open data (CSV, XLSX,
zip), the IATI file (web and command line), the public and workspace reports (HTML and PDF text), the calendar
feeds and the history pages. On failure it prints one line per group of leaks (surface, reference kind) with an
example: persona, address, marker, field, the record it belongs to (model, key, owner, visibility, publication)
and the case that made it.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.leak_fixture import DOWN_CASES, Holder, LeakWorld, Marker
from tests.leak_kinds import NOT_BUILT, child_tables, reference_kinds
from tests.leak_surfaces import (
    READERS,
    PlantedLeak,
    Scanner,
    leak_report,
    leaks_in,
    markers_in,
    scan_everything,
)

pytestmark = pytest.mark.django_db

# GET routes of the route matrix the scanner does not read, and why (a guard compares with what it reads).
NOT_READ = {
    "accounts:": "the account pages answer every persona with a redirect to confirm the password: no record",
    "set_language": "a redirect that sets the language",
    "observatory:choose_language": "a redirect that sets the language",
    "workspaces:sign_in": "the sign-in form",
    "workspaces:show_import": "an import is its uploader's only; the fixture holds none",
    "workspaces:show_import_progress": "an import is its uploader's only; the fixture holds none",
    "workspaces:download_import_problems": "an import is its uploader's only; the fixture holds none",
    "coordination:download_minutes": "the fixture's meetings carry no minutes file",
    "coordination:list_feed_secrets": "feed addresses: every persona is first sent to confirm the password",
    "coordination:create_feed_secret": "feed addresses: every persona is first sent to confirm the password",
    "coordination:revoke_feed_secret": "feed addresses: every persona is first sent to confirm the password",
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast and the leak world, built once for the module and rolled back after it."""
    from django.contrib.auth import get_user_model

    from tests.conftest import ensure_codelists
    from tests.leak_fixture import build_leak_world
    from tests.personas import build_cast

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_codelists()
        yield build_leak_world(build_cast(get_user_model()))
        transaction.set_rollback(True)


def show_everything(patch: pytest.MonkeyPatch) -> None:
    """Search and paged pages show everything at once, so no record hides on a later page."""
    from metrodiplomacy.observatory.views import records as portal_records
    from metrodiplomacy.strategy import views as results
    from metrodiplomacy.workspaces.views import dashboard, history

    patch.setattr(portal_records, "SEARCH_LIMIT", 100_000)
    for module in (dashboard, history, results):
        patch.setattr(module, "PAGE_SIZE", 100_000, raising=False)


@pytest.fixture(scope="module")
def scan(world, django_db_blocker) -> Scanner:
    """Everything read once for the module: the leaks, the answers and the routes read."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        show_everything(patch)
        return scan_everything(world)


# --- the fixture and the scan cover what they say ---


def unread_routes(read: set[str]) -> list[str]:
    """GET routes of the route matrix (pages by name, API operations by path) the scan did not read, less NOT_READ."""
    from django.urls import get_resolver

    from tests.route_matrix import OPERATIONS, PAGES, _as_openapi_path, _walk

    routes = {name: route for name, route, _pattern in _walk(get_resolver()) if name}
    read_paths = {_as_openapi_path(route) for route in read}
    missing = [
        name
        for name, methods in PAGES.items()
        if "GET" in methods and routes[name] not in read and not any(name.startswith(prefix) for prefix in NOT_READ)
    ]
    missing += [op for op in OPERATIONS if op.startswith("GET ") and op.removeprefix("GET ") not in read_paths]
    return sorted(missing)


def test_the_fixture_holds_every_reference_kind_in_every_case(world):
    made = {
        (m.case.split(":")[0], m.holder.owner, (m.holder.visibility, m.holder.publication))
        + ((m.target.visibility, m.target.publication), "renamed" in m.case)
        for m in world.group("referrer")
    }
    assert world.references == reference_kinds()
    assert len(world.references) > 60
    for reference in world.references:
        for case in DOWN_CASES:
            assert (str(reference), *case) in made, (reference, case)
    assert {child._meta.label for child in child_tables()} - set(NOT_BUILT) <= {
        "diplomacy.AgreementParty",
        "diplomacy.NetworkRole",
        "cooperation.ProjectParticipant",
        "cooperation.ProjectSector",
        "cooperation.ProjectGoal",
        "cooperation.ProjectBudget",
        "cooperation.ProjectResult",
        "cooperation.OrganisationIdentifier",
        "strategy.ObservationReview",
        "coordination.Meeting",
        "coordination.Decision",
    }, "a new child table: build its rows in leak_fixture._children, or say in NOT_BUILT why not"


def test_every_text_field_of_every_record_carries_a_marker_of_its_own(world):
    from django.db import models

    for made in world.made:
        if made.group != "base":
            continue
        for field in type(made.record)._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField)) or field.choices:
                continue
            value = getattr(made.record, field.attname)
            if not value:
                assert field.max_length < len("mk10000x"), (made.holder, field.name)  # too short for a marker
                continue
            found = markers_in(str(value))
            assert len(found) == 1 and world.markers[found.pop()].holders == (made.holder,), (made, field)


def test_no_answer_of_the_scan_is_a_server_error(scan):
    assert scan.errors == []


def test_the_scan_reads_every_get_route_of_the_route_matrix(scan):
    assert unread_routes(scan.routes) == []
    # The others are mostly citations asked for by readers who may not read their source (404 by design);
    # server errors are the test above's.
    assert scan.statuses[200] > 0.85 * (scan.answers - scan.statuses[500]), dict(scan.statuses)


def test_no_answer_shows_a_persona_a_record_it_may_not_read(scan, world):
    print(f"{scan.answers} answers to {len(READERS)} personas, {len(world.markers)} markers, {len(scan.routes)} routes")
    assert scan.leaks == [], leak_report(scan.leaks)


# --- the rule and the report ---

A_PRIVATE_SOURCE = Holder("evidence.Source", "k-mk1x", "a", "private", "draft")
B_PUBLIC_AGREEMENT = Holder("diplomacy.Agreement", "k-mk2x", "b", "public", "published")
A_WORKSPACE_ORGANISATION = Holder("actors.Organisation", "k-mk3x", "a", "workspace", "published")


def test_a_marker_shown_is_a_leak_only_to_those_who_may_not_read_each_record_it_belongs_to():
    world = LeakWorld(cast=None)
    world.markers = {
        "mk7x": Marker("mk7x", (B_PUBLIC_AGREEMENT, A_PRIVATE_SOURCE), "Citation.note", "citation"),
        "mk8x": Marker("mk8x", (B_PUBLIC_AGREEMENT,), "diplomacy.Agreement.title", "agreement"),
        "mk9x": Marker("mk9x", (A_WORKSPACE_ORGANISATION,), "actors.Organisation.name", "organisation"),
    }
    text = "Twinning MK8X, cited (mk7x), with mk9x"
    assert [leak.marker.text for leak in leaks_in(world, "anonymous", "/", text)] == ["mk7x", "mk9x"]
    assert [leak.marker.text for leak in leaks_in(world, "editor_b", "/", text)] == ["mk7x"]
    assert leaks_in(world, "viewer_a", "/", text) == []
    # A key the reader sent in the address is not something the answer told it.
    assert leaks_in(world, "editor_b", "/records/?ref=k-mk7x", text, sent="/records/?ref=k-mk7x") == []


# --- planted leaks: the scanner reports each class of the issue ---


def _plant(settings, path: str, text) -> None:
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.leak_surfaces.PlantedLeak"]
    PlantedLeak.path, PlantedLeak.text = path, text


def _planted_leaks(world, settings, persona: str, path: str, text) -> set[tuple[str, str]]:
    """(marker, case) of the leaks the scanner reports on `path` with the plant and not without it."""
    before = Scanner(world, [persona])
    before.read(persona, path)
    _plant(settings, path, text)
    try:
        after = Scanner(world, [persona])
        after.read(persona, path)
    finally:
        PlantedLeak.text = None
    assert all(str(leak).startswith(f"{persona} · {path} · mk") for leak in after.leaks)
    return {(leak.marker.text, leak.marker.case) for leak in after.leaks} - {
        (leak.marker.text, leak.marker.case) for leak in before.leaks
    }


def _referrer(world, kind: str, target_state: tuple[str, str], renamed: bool = False):
    return next(
        made
        for made in world.group("referrer")
        if made.case.startswith(kind + ":")
        and (made.target.visibility, made.target.publication) == target_state
        and made.holder.owner == "b"
        and made.holder.visibility == "public"
        and ("renamed" in made.case) == renamed
    )


CITATIONS_OF_AGREEMENTS = "diplomacy.Agreement.citations → evidence.Source (through evidence.Citation)"
PARTIES_OF_AGREEMENTS = (
    "diplomacy.Agreement.AgreementParty.organisation → actors.Organisation (through diplomacy.AgreementParty)"
)


def _name_marker(world, holder: Holder) -> str:
    return next(m.text for m in world.markers.values() if m.holders == (holder,) and m.where.endswith(".title"))


def test_the_scanner_reports_a_related_record_rendered_without_the_gate(world, settings):
    """Class 1: a public page shows the title of a private source cited by a public record, read ungated."""
    from metrodiplomacy.evidence.models import Citation

    made = _referrer(world, CITATIONS_OF_AGREEMENTS, ("private", "draft"))

    def titles() -> str:
        cited = Citation.objects.filter(content_type__model="agreement", object_id=made.record.pk)
        return " ".join(cited.values_list("source__title", flat=True))

    found = _planted_leaks(world, settings, "anonymous", "/sources/", titles)
    assert (_name_marker(world, made.target), made.case) in found


def test_the_scanner_reports_a_reference_from_a_public_record_to_a_workspace_one(world, settings):
    """Class 2: B's public engagement names A's workspace-only organisation; C's editor may not read it."""
    made = _referrer(world, "diplomacy.Engagement.organisation → actors.Organisation", ("workspace", "published"))

    def name() -> str:
        return type(made.record).objects.get(pk=made.record.pk).organisation.name

    found = _planted_leaks(world, settings, "editor_c", "/sources/", name)
    assert [case for _marker, case in found] == [made.case]
    # B, A's workspace partner, may read it: nothing to report.
    assert _planted_leaks(world, settings, "editor_b", "/sources/", name) == set()


def test_the_scanner_reports_a_record_renamed_after_it_was_made_private(world, settings):
    """Class 2 over time: the page of what still points at a once public record shows its new, private name."""
    made = _referrer(world, PARTIES_OF_AGREEMENTS, ("private", "draft"), renamed=True)

    def party_names() -> str:
        parties = made.record.parties.exclude(organisation=None)
        return " ".join(parties.values_list("organisation__name", flat=True))

    found = _planted_leaks(world, settings, "anonymous", "/sources/", party_names)
    assert found and all("renamed" in case for _marker, case in found)
    assert made.target.key.startswith("was-public-")


def test_a_marker_inside_a_random_token_is_not_read_as_a_leak():
    """A CSRF token drew "mk2x" once on PostgreSQL: long runs of letters and digits are not text a record wrote."""
    token = "Zq" + "mk2x" + "A1" * 20
    assert markers_in(f'<input name="csrfmiddlewaretoken" value="{token}">') == set()
    assert markers_in("Agreement k-mk2x, note mk3x.") == {"mk2x", "mk3x"}
