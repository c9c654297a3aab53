"""Visibility counts: per persona and surface, exactly the records the reading rule allows (issue #8, item 2).

Organisations A and C each own one record of every owned model in each of the six visibility ×
publication states (B shares A's workspace, C works elsewhere). Each record's key and name carry a token
`<kind>-<org>-<visibility>-<publication>`, so a surface's answer is counted by the tokens it shows.
The expected set comes from `may_read`, written here from the documented rules and not from the app's
gate, so a bug in a gate shows up as a wrong count. `tests/visibility_map.py` says where each model
appears; the guards fail when a model or an export format has no entry there.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models

from tests.personas import PERSONAS, build_cast
from tests.visibility_map import EXPORT_FORMATS, SURFACES, VISIBILITY_MAP, Absent

STATES = [(v, p) for v in ("private", "workspace", "public") for p in ("draft", "published")]
ORGS = ("a", "c")
MARK = "vismark"
# Each test runs inside the module's transaction (see `world`), rolled back on its own.
pytestmark = pytest.mark.django_db


def token(slug: str, org: str, visibility: str, publication: str) -> str:
    return f"{slug}-{org}-{visibility}-{publication}"


def slug_of(label: str) -> str:
    """The token prefix of a model: its workspace slug, or a name made from the model for the others."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", label.split(".")[1]).lower()


# --- the rule, written from docs/data-model.md and docs/workspace.md, independent of records.visible_to ---

MEMBERSHIPS = {"viewer_a": "a", "editor_a": "a", "admin_a": "a", "editor_b": "b", "editor_c": "c"}
WORKSPACE_OF = {"a": "ab", "b": "ab", "c": "c"}


def may_read(persona: str, owner: str, visibility: str, publication: str) -> bool:
    """Public and published: everyone. Own organisation: every state. A workspace partner: workspace-visible
    records (a public draft stays with its organisation until published). Staff: the operator, everything."""
    if visibility == "public" and publication == "published":
        return True
    if persona == "staff":
        return True
    mine = MEMBERSHIPS.get(persona)
    if mine is None:
        return False
    if mine == owner:
        return True
    return visibility == "workspace" and WORKSPACE_OF[mine] == WORKSPACE_OF[owner]


def expected_keys(surface: str, persona: str, slug: str) -> set[str]:
    """The tokens of one model a persona should find on a surface."""
    found = set()
    for org in ORGS:
        for visibility, publication in STATES:
            if surface == "workspace_list":
                # The workspace lists what the reader's own organisations own; staff owns nothing.
                seen = MEMBERSHIPS.get(persona) == org
            elif surface in ("open_data",):
                seen = visibility == "public" and publication == "published"
            elif surface == "package_export":
                seen = True
            elif surface in ("history", "ical"):
                seen = persona != "anonymous" and may_read(persona, org, visibility, publication)
                if surface == "ical" and persona != "staff":
                    # A calendar shows the engagements of the reader's own workspaces.
                    seen = seen and WORKSPACE_OF[MEMBERSHIPS[persona]] == WORKSPACE_OF[org]
            else:
                seen = may_read(persona, org, visibility, publication)
            if seen:
                found.add(token(slug, org, visibility, publication))
    return found


# --- the records ---


def owned_models() -> list[type[models.Model]]:
    """Every concrete model carrying a visibility and a publication, history tables left aside."""
    return [
        model
        for model in apps.get_models()
        if {"visibility", "publication"} <= {f.name for f in model._meta.get_fields()}
        and not model.__name__.startswith("Historical")
    ]


def _first_choice(field) -> str:
    return field.choices[0][0]


def _values(model, name: str, city, area, parents) -> dict:
    """The required fields of a model, filled generically; references point at public parents of the owner."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.name in ("id", "key", "owner", "visibility", "publication", "flag", "created_at", "updated_at"):
            continue
        if field.name in ("place", "home_place"):
            # Tied to the one city, so its portal page is a surface of every kind it can show.
            values[field.name] = city
            continue
        if field.name in ("convenor", "organisation") and field.null and model.__name__ in OPTIONAL_ACTOR:
            values[field.name] = parents("actors.Organisation")
            continue
        if field.null or field.blank or field.has_default():
            continue
        if field.is_relation:
            target = field.related_model._meta.label
            # Other organisations are public parents too: open data leaves out a row whose reference is not public.
            values[field.name] = {"places.Place": city, "evidence.PolicyArea": area}.get(target) or parents(target)
        elif field.choices:
            values[field.name] = _first_choice(field)
        elif isinstance(field, (models.DecimalField, models.IntegerField)):
            values[field.name] = 1 if not isinstance(field, models.DecimalField) else Decimal("1")
        else:
            # PostgreSQL holds a short text field (a unit, a coder) to its length; a cut token matches nothing.
            values[field.name] = name[: field.max_length] if field.max_length else name
    return values


NAME_FIELDS = ("name", "title")
# Optional references to an actor that the city's page follows (an engagement keeps none: the calendar of
# its owner's workspace shows it only then).
OPTIONAL_ACTOR = ("CoordinationMechanism", "Indicator")


def build_records(cast) -> None:
    from metrodiplomacy.evidence.models import PolicyArea
    from metrodiplomacy.places.models import Place

    country = Place.objects.create(key="vz", kind="country", name="Visland", iso2="VZ")
    city = Place.objects.create(key="vis-city", kind="city", name="Vis City", country=country, parent=country)
    area = PolicyArea.objects.get_or_create(code="economic", defaults={"name": "Economic development"})[0]
    counter = iter(range(10_000))
    for org in ORGS:
        org_obj = cast.organisations[org]
        for visibility, publication in STATES:
            made: dict[str, models.Model] = {}

            def parent(label: str, slot: str = "", org=org, org_obj=org_obj, made=made):
                # A parent of its own per record (case studies are unique per source and place), public so
                # that it never hides its child; its key and name carry no token.
                slot = slot or f"parent {label}"
                if slot in made:
                    return made[slot]
                model = apps.get_model(label)
                number = next(counter)
                values = _values(model, f"Parent {number}", city, area, parent)
                for name_field in NAME_FIELDS:
                    if any(f.name == name_field for f in model._meta.concrete_fields):
                        values[name_field] = f"Parent {number}"
                made[slot] = model.objects.create(
                    key=f"parent-{number}", owner=org_obj, visibility="public", publication="published", **values
                )
                return made[slot]

            for model in sorted(owned_models(), key=lambda m: m._meta.label != "actors.Organisation"):
                label = model._meta.label
                mark = token(slug_of(label), org, visibility, publication)
                values = _values(model, f"{mark} {MARK}", city, area, parent)
                for name_field in NAME_FIELDS:
                    if any(f.name == name_field for f in model._meta.concrete_fields):
                        values[name_field] = f"{mark} {MARK}"
                if label == "coordination.StakeholderAgenda":
                    # One agenda per organisation: each state's agenda is that of the state's organisation record.
                    values["organisation"] = made["actors.Organisation"]
                if label == "diplomacy.Engagement":
                    values["date"] = datetime.date(2026, 5, 1)
                if label == "diplomacy.NetworkMembership":
                    values["network"] = parent("actors.Organisation", "network")  # a network is never its own member
                if label == "strategy.Observation":
                    values.update(year=2024, value=Decimal("1"))
                record = model.objects.create(
                    key=mark, owner=org_obj, visibility=visibility, publication=publication, **values
                )
                if label == "actors.Organisation":
                    made[label] = record
                if label == "diplomacy.Agreement":
                    record.parties.create(place=city)
                    record.parties.create(organisation=org_obj)
                if label == "diplomacy.Initiative":
                    record.places.add(city)
                if label == "cooperation.CooperationProject":
                    record.partner_places.add(city)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast and the 2 × 6 records of every owned model, built once for the module and rolled back after."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        cast = build_cast(get_user_model())
        build_records(cast)
        yield cast
        transaction.set_rollback(True)


@pytest.fixture
def clients(world, db):
    return {persona: world.client_for(persona) for persona in PERSONAS}


def label_of(model) -> str:
    return model._meta.label


def tokens_in(text: str, slug: str) -> set[str]:
    pattern = rf"(?<![\w-]){re.escape(slug)}-(?:a|c)-(?:private|workspace|public)-(?:draft|published)(?![\w-])"
    return set(re.findall(pattern, text))


def cells(surface: str) -> list:
    return [
        pytest.param(label, entry[surface], id=label)
        for label, entry in VISIBILITY_MAP.items()
        if not isinstance(entry[surface], Absent)
    ]


# --- the guards ---


def unmapped(labels: list[str], mapping: dict) -> list[str]:
    """What is wrong with the map: a model without an entry, or an entry without every surface."""
    problems = [f"{label}: no entry in tests/visibility_map.py" for label in labels if label not in mapping]
    for label, entry in mapping.items():
        missing = [surface for surface in SURFACES if surface not in entry]
        if missing:
            problems.append(f"{label}: no word on {', '.join(missing)}")
    return problems


def unmapped_formats(formats: set[str], mapping: dict) -> list[str]:
    return [f"export format {name}: not in EXPORT_FORMATS" for name in sorted(formats - set(mapping))]


def exported_formats() -> set[str]:
    """The export formats the code offers: the `metrodip export` commands, the open-data downloads, page twins."""
    from django.urls import get_resolver

    from metrodiplomacy.cli import export_app
    from metrodiplomacy.observatory.views.common import FormatConverter

    found = {f"{command.name}_cli" for command in export_app.registered_commands}
    found.discard("template_cli")  # empty import templates: no record is exported
    for pattern in get_resolver().url_patterns:
        for sub in getattr(pattern, "url_patterns", []):
            if getattr(sub, "name", "") in ("download_open_csv", "download_open_xlsx", "download_open_package"):
                found.add(
                    {"download_open_csv": "open_data_csv", "download_open_xlsx": "open_data_xlsx"}.get(
                        sub.name, "open_data_zip"
                    )
                )
    found |= {f"page_{fmt}" for fmt in FormatConverter.regex.strip("()").split("|")}
    found.add("ical")
    return found


def test_every_model_with_a_visibility_is_in_the_map():
    assert unmapped([label_of(m) for m in owned_models()], VISIBILITY_MAP) == []


def test_every_export_format_is_in_the_map():
    assert unmapped_formats(exported_formats(), EXPORT_FORMATS) == []
    assert set(EXPORT_FORMATS.values()) <= set(SURFACES)


def test_the_guard_complains_about_a_model_added_without_an_entry():
    labels = [*VISIBILITY_MAP, "diplomacy.NewKindOfRecord"]
    assert unmapped(labels, VISIBILITY_MAP) == ["diplomacy.NewKindOfRecord: no entry in tests/visibility_map.py"]
    partial = {**VISIBILITY_MAP, "diplomacy.Half": {"api_list": "/api/v1/halves"}}
    assert [p for p in unmapped(list(partial), partial) if p.startswith("diplomacy.Half")] == [
        f"diplomacy.Half: no word on {', '.join(s for s in SURFACES if s != 'api_list')}"
    ]


def test_the_guard_complains_about_an_export_format_added_without_an_entry():
    assert unmapped_formats({*EXPORT_FORMATS, "geojson_cli"}, EXPORT_FORMATS) == [
        "export format geojson_cli: not in EXPORT_FORMATS"
    ]


def test_the_fixture_holds_every_state_of_every_owned_model(world):
    for model in owned_models():
        slug = slug_of(label_of(model))
        keys = set(model.objects.filter(key__startswith=f"{slug}-").values_list("key", flat=True))
        assert keys == {token(slug, org, v, p) for org in ORGS for v, p in STATES}, label_of(model)


# --- the counts ---


def miscounts(surface: str, label: str, seen_by: dict[str, set[str]]) -> dict:
    """Per persona, the tokens seen that should not be, and those missing; empty when every count is right."""
    slug = slug_of(label)
    wrong = {}
    for persona, seen in seen_by.items():
        expected = expected_keys(surface, persona, slug)
        if seen != expected:
            wrong[label, surface, persona] = {"extra": sorted(seen - expected), "missing": sorted(expected - seen)}
    return wrong


def check(surface: str, label: str, seen_by: dict[str, set[str]]) -> None:
    assert miscounts(surface, label, seen_by) == {}


@pytest.mark.parametrize(("label", "slug"), cells("workspace_list"))
def test_workspace_lists_count(clients, label, slug):
    seen = {}
    for persona, client in clients.items():
        response = client.get(f"/workspace/{slug}/")
        seen[persona] = tokens_in(response.content.decode(), slug_of(label)) if response.status_code == 200 else set()
    check("workspace_list", label, seen)


@pytest.mark.parametrize(("label", "slug"), cells("history"))
def test_history_views_count(clients, label, slug):
    seen = {}
    mine = slug_of(label)
    for persona, client in clients.items():
        seen[persona] = {
            token(mine, org, v, p)
            for org in ORGS
            for v, p in STATES
            if client.get(f"/workspace/{slug}/{token(mine, org, v, p)}/history/").status_code == 200
        }
    check("history", label, seen)


@pytest.mark.parametrize(("label", "path"), cells("api_list"))
def test_api_lists_count(clients, label, path):
    seen = {}
    for persona, client in clients.items():
        response = client.get(path, {"limit": 500})
        assert response.status_code == 200, (persona, response.content[:200])
        seen[persona] = tokens_in(" ".join(item["key"] for item in response.json()["items"]), slug_of(label))
    check("api_list", label, seen)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_search_counts(clients, fmt):
    # One search per persona finds every kind it covers: each record's name carries the same mark.
    texts = {}
    for persona, client in clients.items():
        response = client.get(f"/search.{fmt}", {"q": MARK})
        assert response.status_code == 200
        texts[persona] = response.content.decode()
    wrong = {}
    for label, _kind in [(p.values[0], p.values[1]) for p in cells("search")]:
        seen = {persona: tokens_in(text, slug_of(label)) for persona, text in texts.items()}
        wrong.update(miscounts("search", label, seen))
    assert wrong == {}


def _portal_paths(page: str) -> list[str]:
    if page == "place":
        return ["/places/vis-city/"]
    if page == "sources":
        return ["/sources/"]
    if page == "organisation":
        # Each organisation's own page: it answers only to a reader who may see it.
        return [f"/organisations/{token('organisation', o, v, p)}/" for o in ORGS for v, p in STATES]
    raise AssertionError(page)


def _page_texts(client, address: str) -> list[str]:
    """The page, or every table of its CSV twin (`?table=N` until the page says there is no such table)."""
    texts = []
    for number in range(50 if address.endswith(".csv") else 1):
        response = client.get(address, {"table": number} if address.endswith(".csv") else {})
        if response.status_code != 200:
            assert response.status_code == 404, (address, response.status_code)
            break
        texts.append(response.content.decode())
    return texts


@pytest.mark.parametrize("fmt", ["", ".json", ".csv"])
def test_portal_pages_count(clients, fmt):
    texts = {}
    for page in {p.values[1] for p in cells("public_pages")}:
        for persona, client in clients.items():
            found = []
            for path in _portal_paths(page):
                found.extend(_page_texts(client, path.rstrip("/") + fmt if fmt else path))
            texts[page, persona] = "\n".join(found)
    wrong = {}
    for label, page in [(p.values[0], p.values[1]) for p in cells("public_pages")]:
        seen = {persona: tokens_in(texts[page, persona], slug_of(label)) for persona in clients}
        wrong.update(miscounts("public_pages", label, seen))
    assert wrong == {}


# --- the exports ---


def _open_zip_keys(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name.rsplit("/", 1)[-1].removesuffix(".csv"): archive.read(name).decode()
            for name in archive.namelist()
            if name.endswith(".csv")
        }


def _xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "zip"])
def test_open_data_downloads_count_public_published_rows_for_everyone(clients, fmt):
    labels = [
        (label, table) for label, entry in VISIBILITY_MAP.items() if not isinstance(table := entry["open_data"], Absent)
    ]
    for persona in ("anonymous", "staff") if fmt != "zip" else PERSONAS:
        client = clients[persona]
        if fmt == "zip":
            response = client.get("/open-data/metrodiplomacy-open-data.zip")
            assert response.status_code == 200
            texts = _open_zip_keys(b"".join(response.streaming_content) if response.streaming else response.content)
        else:
            texts = {}
            for _label, table in labels:
                response = client.get(f"/open-data/{table}.{fmt}")
                texts[table] = (
                    ""
                    if response.status_code == 404
                    else (response.content.decode() if fmt == "csv" else _xlsx_text(response.content))
                )
        for label, table in labels:
            check("open_data", label, {persona: tokens_in(texts.get(table, ""), slug_of(label))})


def test_open_data_command_writes_public_published_rows_only(world, django_db_blocker, tmp_path):
    from metrodiplomacy.importers.spreadsheet.open_data import open_data_tables, write_open_data

    with django_db_blocker.unblock():
        write_open_data(tmp_path, open_data_tables(), xlsx=False)
    for label, entry in VISIBILITY_MAP.items():
        if isinstance(entry["open_data"], Absent):
            continue
        path = tmp_path / f"{entry['open_data']}.csv"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        check("open_data", label, {"anonymous": tokens_in(text, slug_of(label))})


def test_package_export_writes_every_record_for_the_operator(world, django_db_blocker, tmp_path):
    from metrodiplomacy.importers.datapackage.exporter import export_package

    with django_db_blocker.unblock():
        export_package(tmp_path)
    for label, entry in VISIBILITY_MAP.items():
        if isinstance(entry["package_export"], Absent):
            continue
        text = (tmp_path / f"{entry['package_export']}.csv").read_text(encoding="utf-8")
        check("package_export", label, {"staff": tokens_in(text, slug_of(label))})


def test_iati_export_writes_only_the_reporter_s_public_published_projects(world, django_db_blocker):
    from django.utils import timezone

    from metrodiplomacy.cooperation.queries import iati_projects_of
    from metrodiplomacy.importers.iati.exporter import export_iati

    for label, entry in VISIBILITY_MAP.items():
        if isinstance(entry["iati"], Absent):
            continue
        slug = slug_of(label)
        with django_db_blocker.unblock():
            for org in ORGS:
                reporter = world.organisations[org]
                result = export_iati(reporter, iati_projects_of(reporter), timezone.now())
                listed = {getattr(p, "key", p) for p in result.exported} | {key for key, _reason in result.skipped}
                assert tokens_in(" ".join(map(str, listed)), slug) == {token(slug, org, "public", "published")}
                assert not tokens_in(result.xml.decode() if result.xml else "", slug) - {
                    token(slug, org, "public", "published")
                }


def test_calendar_feeds_count(clients, world):
    for label, entry in VISIBILITY_MAP.items():
        if isinstance(entry["ical"], Absent):
            continue
        seen = {}
        for persona, client in clients.items():
            text = []
            for space in ("space-ab", "space-c"):
                response = client.get(f"/workspace/coordination/{space}/calendar.ics")
                if response.status_code == 200:
                    text.append(response.content.decode())
                else:
                    assert response.status_code in (401, 404), (persona, space, response.status_code)
            seen[persona] = tokens_in("\n".join(text).replace("\r\n ", ""), slug_of(label))
        check("ical", label, seen)


def test_the_rule_is_what_the_docs_say():
    """A few cells by hand, so the rule function itself is checked against docs/workspace.md."""
    assert may_read("anonymous", "a", "public", "published")
    assert not may_read("anonymous", "a", "public", "draft")
    assert may_read("viewer_a", "a", "private", "draft")
    assert may_read("editor_b", "a", "workspace", "draft")
    assert not may_read("editor_b", "a", "private", "published")
    assert not may_read("editor_b", "a", "public", "draft")
    assert not may_read("editor_c", "a", "workspace", "published")
    assert json.dumps(sorted(expected_keys("api_list", "editor_c", "agreement")))  # serialisable, non-empty
    assert len(expected_keys("api_list", "editor_c", "agreement")) == 7


def test_a_leak_or_a_hidden_record_is_reported_as_a_miscount():
    """What a gate that leaked C's private draft to editor_b, or hid A's workspace record from it, would show."""
    expected = expected_keys("api_list", "editor_b", "agreement")
    leaked = expected | {"agreement-c-private-draft"}
    hidden = expected - {"agreement-a-workspace-draft"}
    assert miscounts("api_list", "diplomacy.Agreement", {"editor_b": leaked}) == {
        ("diplomacy.Agreement", "api_list", "editor_b"): {"extra": ["agreement-c-private-draft"], "missing": []}
    }
    assert miscounts("api_list", "diplomacy.Agreement", {"editor_b": hidden}) == {
        ("diplomacy.Agreement", "api_list", "editor_b"): {"extra": [], "missing": ["agreement-a-workspace-draft"]}
    }
