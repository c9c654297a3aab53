"""The coordination space end to end: who may see what, the iCalendar feed, minutes and decisions, digest, demo, CLI."""

import io
from datetime import date

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from typer.testing import CliRunner

from metrodiplomacy import cli
from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.coordination.models import CoordinationMechanism, Decision, Meeting, StakeholderAgenda
from metrodiplomacy.coordination.services import send_digest
from metrodiplomacy.diplomacy.models import Engagement
from metrodiplomacy.places.models import Place
from metrodiplomacy.workspaces.models import Membership, Workspace
from metrodiplomacy.workspaces.services import create_feed_secret

SPACE = "/workspace/coordination/metro/"
PRIVATE_TITLE = "Confidential trade mission of A to Seoul"
SHARED_TITLE = "Shared mission of B to Seoul"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded minutes go to a temporary MEDIA_ROOT, not the developer's data directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _organisation(key: str) -> Organisation:
    organisation = Organisation.objects.create(key=key, name=key.replace("-", " ").title(), kind="city_government")
    organisation.owner = organisation
    organisation.save()
    return organisation


@pytest.fixture
def metro(db, django_user_model):
    """Organisations A and B share the workspace `metro`; C is in another. A plans a private mission to Seoul."""
    org_a, org_b, org_c = _organisation("org-a"), _organisation("org-b"), _organisation("org-c")
    Workspace.objects.create(key="metro", name="Metro").organisations.add(org_a, org_b)
    Workspace.objects.create(key="elsewhere", name="Elsewhere").organisations.add(org_c)
    people = {}
    for name, organisation, role in (
        ("admin-a", org_a, "admin"),
        ("editor-a", org_a, "editor"),
        ("viewer-a", org_a, "viewer"),
        ("admin-b", org_b, "admin"),
        ("outsider", org_c, "admin"),
    ):
        user = django_user_model.objects.create_user(name, email=f"{name}@example.org", password="pw-for-tests-only")
        Membership.objects.create(user=user, organisation=organisation, role=role)
        people[name] = user
    korea = Place.objects.create(key="kr", kind="country", name="South Korea", iso2="KR", region="Asia")
    seoul = Place.objects.create(key="seoul", kind="city", name="Seoul", country=korea, parent=korea)
    Engagement.objects.create(
        key="a-private-seoul",
        owner=org_a,
        organisation=org_a,
        visibility="private",
        kind="outgoing_mission",
        title=PRIVATE_TITLE,
        place=seoul,
        date=date(2026, 5, 3),
        end_date=date(2026, 5, 6),
    )
    Engagement.objects.create(
        key="b-shared-seoul",
        owner=org_b,
        organisation=org_b,
        visibility="workspace",
        kind="outgoing_mission",
        title=SHARED_TITLE,
        place=seoul,
        date=date(2026, 5, 12),
    )
    mechanism = CoordinationMechanism.objects.create(
        key="metro-roundtable",
        owner=org_a,
        visibility="workspace",
        name="Metro roundtable",
        kind="roundtable",
        logic="intergovernmental",
        convenor=org_a,
    )
    mechanism.members.add(org_b)
    return {**people, "org_a": org_a, "org_b": org_b, "org_c": org_c, "mechanism": mechanism}


def _client(client, user):
    client.force_login(user)
    return client


# Visibility: a private mission of one organisation never reaches another.
def test_a_private_mission_never_appears_in_another_organisations_calendar_feed_findings_or_digest(metro, client):
    _client(client, metro["admin-b"])
    assert PRIVATE_TITLE not in client.get(SPACE + "calendar/?view=list").content.decode()
    assert PRIVATE_TITLE not in client.get(SPACE + "calendar/?month=2026-05").content.decode()
    assert SHARED_TITLE in client.get(SPACE + "calendar/?month=2026-05").content.decode()
    assert PRIVATE_TITLE.encode() not in client.get(SPACE + "calendar.ics").content
    findings = client.get(SPACE + "findings/").content.decode()
    assert "Seoul" not in findings and "a-private-seoul" not in findings
    assert "a-private-seoul" not in client.get(SPACE + "findings/?format=csv").content.decode()
    # Naming the private record in the address does not reveal it either.
    assert PRIVATE_TITLE not in client.get(SPACE + "records/?ref=engagements:a-private-seoul").content.decode()

    sent = send_digest(Workspace.objects.get(key="metro"), date(2026, 5, 1), 30)
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert {item.recipient for item in sent} == {"admin-a@example.org", "admin-b@example.org"}
    assert PRIVATE_TITLE not in bodies["admin-b@example.org"] and SHARED_TITLE not in bodies["admin-b@example.org"]
    assert "Overlaps (0)" in bodies["admin-b@example.org"]
    assert "Overlaps (1)" in bodies["admin-a@example.org"] and PRIVATE_TITLE in bodies["admin-a@example.org"]


def test_the_organisation_that_may_see_both_missions_gets_the_overlap_warning_with_its_reason(metro, client):
    _client(client, metro["viewer-a"])
    page = client.get(SPACE).content.decode()
    assert 'id="overlap-count">1<' in page
    assert "Seoul" in page and "6 days apart" in page and "window: 30 days" in page
    assert "ref=engagements:a-private-seoul&amp;ref=engagements:b-shared-seoul" in page
    narrow = client.get(SPACE + "findings/?window=5").content.decode()
    assert "6 days apart" not in narrow
    records = client.get(SPACE + "records/?ref=engagements:a-private-seoul&ref=engagements:b-shared-seoul")
    assert PRIVATE_TITLE in records.content.decode() and SHARED_TITLE in records.content.decode()


# Who may enter the coordination space.
@pytest.mark.parametrize("persona", ["admin-a", "editor-a", "viewer-a", "admin-b"])
@pytest.mark.parametrize(
    "page",
    [
        "",
        "stakeholders/",
        "findings/",
        "calendar/",
        "calendar/?view=list",
        "who-does-what/",
        "networks/",
        "mechanisms/",
        "mechanisms/metro-roundtable/",
        "records/?ref=engagements:b-shared-seoul",
    ],
)
def test_every_member_of_the_workspace_reads_its_pages(metro, client, persona, page):
    response = _client(client, metro[persona]).get(SPACE + page)
    assert response.status_code == 200
    assert b"http://" not in response.content.replace(b"http://www.w3.org", b"")


@pytest.mark.parametrize("page", ["", "calendar/", "findings/", "mechanisms/metro-roundtable/", "calendar.ics"])
def test_another_workspaces_member_gets_a_404_as_for_a_missing_workspace(metro, client, page):
    _client(client, metro["outsider"])
    assert client.get(SPACE + page).status_code == 404
    assert client.get("/workspace/coordination/no-such-space/" + page).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_and_feeds_ask_for_credentials(metro, client):
    response = client.get(SPACE + "calendar/")
    assert response.status_code == 302 and "/workspace/accounts/login/" in response["Location"]
    assert client.get(SPACE + "calendar.ics").status_code == 401
    assert client.get(SPACE + "calendar.ics?token=mdp_wrong").status_code == 401


def test_pages_refuse_a_wrong_method(metro, client):
    _client(client, metro["admin-a"])
    assert client.post(SPACE).status_code == 405
    assert client.post(SPACE + "calendar.ics").status_code == 405
    assert client.get(SPACE + "mechanisms/metro-roundtable/meetings/").status_code == 405


def test_the_workspace_list_shows_only_the_users_workspaces(metro, client):
    page = _client(client, metro["outsider"]).get("/workspace/coordination/").content.decode()
    assert "/workspace/coordination/elsewhere/" in page and "/workspace/coordination/metro/" not in page


# The iCalendar feed.
def _events(body: bytes) -> dict:
    calendar = Calendar.from_ical(body)
    return {str(event.get("uid")).split("@")[0]: event for event in calendar.walk("VEVENT")}


def test_the_feed_is_valid_icalendar_with_all_day_events_and_their_place(metro, client):
    response = _client(client, metro["admin-a"]).get(SPACE + "calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    assert set(events) == {"a-private-seoul", "b-shared-seoul"}
    private = events["a-private-seoul"]
    assert str(private.get("summary")) == PRIVATE_TITLE
    assert private.decoded("dtstart") == date(2026, 5, 3)
    # All-day DTEND is exclusive: a mission ending on the 6th ends before the 7th.
    assert private.decoded("dtend") == date(2026, 5, 7)
    assert str(private.get("location")) == "Seoul"


def test_the_feed_accepts_a_feed_secret_in_the_address_and_keeps_its_users_rights(metro, client):
    space = Workspace.objects.get(key="metro")
    secret_b = create_feed_secret(metro["admin-b"], space, "calendar app")[1]
    events = _events(client.get(SPACE + f"calendar.ics?token={secret_b}").content)
    assert set(events) == {"b-shared-seoul"}
    secret_a = create_feed_secret(metro["admin-a"], space, "calendar app")[1]
    assert set(_events(client.get(SPACE + f"calendar.ics?token={secret_a}").content)) == {
        "a-private-seoul",
        "b-shared-seoul",
    }
    # A secret opens only its own workspace's feeds (tests/test_feed_secrets.py holds the rest).
    outsider = create_feed_secret(metro["outsider"], Workspace.objects.get(key="elsewhere"), "calendar app")[1]
    assert client.get(SPACE + f"calendar.ics?token={outsider}").status_code == 401


def test_an_organisation_feed_holds_that_organisations_engagements_only(metro, client):
    _client(client, metro["admin-a"])
    assert set(_events(client.get(SPACE + "organisations/org-b/calendar.ics").content)) == {"b-shared-seoul"}
    assert set(_events(client.get(SPACE + "organisations/org-a/calendar.ics").content)) == {"a-private-seoul"}
    assert client.get(SPACE + "organisations/org-c/calendar.ics").status_code == 404


def test_the_calendar_filters_by_organisation_and_place(metro, client):
    _client(client, metro["admin-a"])
    page = client.get(SPACE + "calendar/?view=list&organisation=org-b").content.decode()
    assert SHARED_TITLE in page and PRIVATE_TITLE not in page
    assert PRIVATE_TITLE in client.get(SPACE + "calendar/?view=list&place=kr").content.decode()
    assert "No engagement matches" in client.get(SPACE + "calendar/?view=list&place=nowhere").content.decode()


# Mechanisms: meetings with minutes, decisions with follow-up.
def _minutes(content: bytes = PDF, name: str = "minutes.pdf"):
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_an_editor_records_a_meeting_with_minutes_that_only_readers_of_the_mechanism_download(metro, client):
    url = SPACE + "mechanisms/metro-roundtable/"
    _client(client, metro["editor-a"])
    response = client.post(url + "meetings/", {"date": "2026-04-02", "title": "Spring", "minutes": _minutes()})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.minutes_name == "minutes.pdf" and meeting.minutes_type == "application/pdf"
    download = url + f"meetings/{meeting.pk}/minutes/"
    answer = client.get(download)
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == PDF
    assert answer["Content-Type"] == "application/pdf" and "attachment" in answer["Content-Disposition"]
    assert _client(client, metro["admin-b"]).get(download).status_code == 200
    assert _client(client, metro["outsider"]).get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302


def test_minutes_that_are_not_a_document_are_refused_and_nothing_is_written(metro, client):
    _client(client, metro["editor-a"])
    url = SPACE + "mechanisms/metro-roundtable/meetings/"
    response = client.post(url, {"date": "2026-04-02", "minutes": _minutes(b"\x00\x01binary\x00", "minutes.pdf")})
    assert response.status_code == 400
    assert "accepted here" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_decisions_carry_an_owner_a_due_date_and_a_status_that_editors_change(metro, client):
    url = SPACE + "mechanisms/metro-roundtable/"
    _client(client, metro["editor-a"])
    response = client.post(
        url + "decisions/",
        {"text": "Share mission calendars", "responsible": "org-b", "due_date": "2020-01-01", "status": "open"},
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.responsible == metro["org_b"] and decision.status == "open"
    page = client.get(url).content.decode()
    assert "overdue" in page and 'id="open-decisions">1<' in page
    assert client.post(url + f"decisions/{decision.pk}/status/", {"status": "done"}).status_code == 302
    decision.refresh_from_db()
    assert decision.status == "done"
    assert client.post(url + f"decisions/{decision.pk}/status/", {"status": "forgotten"}).status_code == 400
    assert client.post(url + "decisions/", {"text": ""}).status_code == 400


def test_readers_who_do_not_edit_for_the_mechanisms_owner_cannot_add_to_it(metro, client):
    url = SPACE + "mechanisms/metro-roundtable/"
    for persona in ("viewer-a", "admin-b"):
        _client(client, metro[persona])
        assert client.post(url + "decisions/", {"text": "x", "status": "open"}).status_code == 403
        assert client.post(url + "meetings/", {"date": "2026-04-02"}).status_code == 403
    assert Decision.objects.count() == 0 and Meeting.objects.count() == 0


# The stakeholder registry.
def test_an_editor_states_the_agenda_of_their_organisation_and_the_directory_shows_it(metro, client):
    Place.objects.filter(key="kr").update(region="Asia")
    _client(client, metro["editor-a"])
    response = client.post(
        SPACE + "agendas/org-a/",
        {
            "visibility": "workspace",
            "sector": "public",
            "priority_regions": ["Asia"],
            "priority_cities": "seoul",
            "contact_name": "Ana",
            "contact_email": "ana@example.org",
            "commitments": "Shares its mission calendar.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agenda = StakeholderAgenda.objects.get()
    assert agenda.owner == metro["org_a"] == agenda.organisation and agenda.priority_regions == ["Asia"]
    page = _client(client, metro["admin-b"]).get(SPACE + "stakeholders/").content.decode()
    assert "Shares its mission calendar." in page and "Ana" in page
    assert client.get(SPACE + "agendas/org-a/").status_code == 403
    assert _client(client, metro["viewer-a"]).get(SPACE + "agendas/org-a/").status_code == 403
    assert _client(client, metro["outsider"]).get(SPACE + "agendas/org-a/").status_code == 404


def test_an_agenda_with_an_unknown_region_is_refused(metro, client):
    _client(client, metro["editor-a"])
    response = client.post(SPACE + "agendas/org-a/", {"visibility": "workspace", "priority_regions": ["Atlantis"]})
    assert response.status_code == 400 and StakeholderAgenda.objects.count() == 0


def test_the_overlap_list_counts_its_queries(metro, client, django_assert_max_num_queries):
    _client(client, metro["admin-a"])
    with django_assert_max_num_queries(40):
        assert client.get(SPACE + "findings/").status_code == 200


# The Barcelona demo, the CLI and the digest command.
runner = CliRunner()


def run(*args):
    return runner.invoke(cli.app, list(args), env={"COLUMNS": "200"})


def test_the_barcelona_demo_gathers_the_metropolis_and_shows_the_overlaps_the_bundled_facts_imply(
    casestudies, client, django_user_model
):
    from metrodiplomacy.coordination.demo import WORKSPACE_KEY, build_barcelona_demo

    first = build_barcelona_demo()
    again = build_barcelona_demo()
    assert again.agendas_created == 0 and first.organisations == again.organisations
    workspace = Workspace.objects.get(key=WORKSPACE_KEY)
    keys = set(workspace.organisations.values_list("key", flat=True))
    assert {
        "amb",
        "barcelona-city-council",
        "barcelona-provincial-council",
        "gava-city-council",
        "port-of-barcelona",
    } <= keys
    assert not {"uclg", "metropolis", "union-for-the-mediterranean"} & keys

    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    base = f"/workspace/coordination/{WORKSPACE_KEY}/"
    findings = client.get(base + "findings/").content.decode()
    # The study: Meet Barcelona was launched without the AMB, which runs its own metropolitan promotion.
    assert "Meet Barcelona" in findings and "Metropolitan extension of the Barcelona brand analysis" in findings
    assert "Master Plan for Cooperation for Global Justice" in findings
    networks = client.get(base + "networks/").content.decode()
    assert "MedCities" in networks and "Eurocities" in networks
    stakeholders = client.get(base + "stakeholders/").content.decode()
    assert "Barcelona Provincial Council" in stakeholders and "<svg" in stakeholders
    assert "<svg" in client.get(base + "who-does-what/").content.decode()

    result = run("coordination", WORKSPACE_KEY)
    assert result.exit_code == 0, result.output
    assert "Parallel efforts on the home territory" in result.output and "Meet Barcelona" in result.output


def test_the_cli_demo_and_digest_commands(casestudies, django_user_model):
    django_user_model.objects.create_user("lead", email="lead@example.org", password="x")
    result = run("coordination", "demo", "--user", "lead")
    assert result.exit_code == 0, result.output
    assert "barcelona-metropolis" in result.output
    assert Membership.objects.filter(user__username="lead", organisation__key="amb", role="admin").exists()
    digest = run("coordination", "digest", "barcelona-metropolis")
    assert digest.exit_code == 0, digest.output
    assert "Sent to lead@example.org" in digest.output
    assert "Parallel efforts" in mail.outbox[0].body and mail.outbox[0].to == ["lead@example.org"]
    assert run("coordination", "no-such-space").exit_code == 1


def test_the_digest_is_computed_for_today_by_default(metro):
    sent = send_digest(Workspace.objects.get(key="metro"), timezone.localdate(), 30)
    assert len(sent) == 2
