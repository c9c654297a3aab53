"""A record shown inside another reaches only readers who may read it (issue #15, classes 1 and 2).

The cast (tests/personas.py): A and B share a workspace, C works elsewhere. Each test writes as an officer
would, through the services, then reads as someone who may not see the related record.
"""

import io
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.diplomacy.models import Agreement, Initiative
from metrodiplomacy.diplomacy.services import change_initiative, record_agreement, record_initiative
from metrodiplomacy.evidence.models import Citation, Source
from metrodiplomacy.evidence.services import cite
from metrodiplomacy.places.models import Place
from metrodiplomacy.related import can_read, is_withheld
from metrodiplomacy.writes import Author, change_record
from tests.personas import cast  # noqa: F401 - the fixture

SECRET = "Confidential Mission Brief Zq7"


@pytest.fixture
def city(db) -> Place:
    country = Place.objects.create(key="xx", kind="country", name="Exampleland", iso2="XX")
    return Place.objects.create(key="example-city", kind="city", name="Example City", country=country, parent=country)


def _source(owner, visibility="private", publication="draft", key="a-private-brief") -> Source:
    return Source.objects.create(
        key=key, title=SECRET, kind="report", owner=owner, visibility=visibility, publication=publication
    )


def _public_agreement(cast, city) -> Agreement:  # noqa: F811
    return record_agreement(
        Author.for_user(cast.users["editor_a"]),
        {
            "key": "a-twinning",
            "kind": "twinning",
            "title": "Example twinning",
            "year": 2019,
            "visibility": "public",
            "publication": "published",
            "parties": [{"place": city.key}],
        },
    )


def test_a_citation_to_a_private_source_on_a_public_agreement_is_not_shown_to_anonymous_readers(cast, city):  # noqa: F811
    """The review's example: the owner may cite her own private source; the public never reads it."""
    agreement = _public_agreement(cast, city)
    source = _source(cast.organisations["a"])
    cite(
        Author.for_user(cast.users["editor_a"]),
        agreement,
        {"source": source.key, "section": "Annex 4", "note": "Signed text"},
    )
    anonymous = cast.client_for("anonymous")
    for url in (f"/places/{city.key}/", f"/places/{city.key}.json", f"/places/{city.key}.csv"):
        body = anonymous.get(url).content.decode()
        assert url.endswith(".csv") or "Example twinning" in body, url
        assert SECRET not in body and source.key not in body and "Annex 4" not in body, url
    api = anonymous.get("/api/v1/agreements/a-twinning").content.decode()
    assert SECRET not in api and source.key not in api
    # The owner's own members still see the citation.
    member = cast.client_for("viewer_a").get(f"/places/{city.key}.json").content.decode()
    assert SECRET in member


def test_a_partner_cannot_publish_a_record_naming_anothers_workspace_only_organisation(cast):  # noqa: F811
    shared = Organisation.objects.create(
        key="a-shared-agency", name=SECRET, kind="agency", owner=cast.organisations["a"], visibility="workspace"
    )
    author = Author.for_user(cast.users["editor_b"])
    values = {"key": "b-initiative", "name": "B's programme", "visibility": "public", "publication": "published"}
    with pytest.raises(ValidationError) as refusal:
        record_initiative(author, {**values, "lead": shared.key})
    assert "lead" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        record_initiative(author, {**values, "partners": [shared.key]})
    assert "partners" in refusal.value.message_dict
    assert not Initiative.objects.filter(key="b-initiative").exists()
    # Kept inside the workspace, the same reference reaches no one who may not read it.
    record_initiative(author, {**values, "visibility": "workspace", "publication": "draft", "lead": shared.key})


def test_the_api_refuses_a_public_record_naming_a_partners_workspace_only_organisation_with_a_400(cast):  # noqa: F811
    Organisation.objects.create(
        key="a-shared-agency", name=SECRET, kind="agency", owner=cast.organisations["a"], visibility="workspace"
    )
    response = cast.client_for("editor_b").post(
        "/api/v1/initiatives",
        data=json.dumps(
            {
                "key": "b-initiative",
                "name": "B's programme",
                "lead": "a-shared-agency",
                "visibility": "public",
                "publication": "published",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "lead" in response.content.decode()
    assert not Initiative.objects.filter(key="b-initiative").exists()


def test_publishing_a_record_that_names_a_less_visible_record_of_another_organisation_is_refused(cast):  # noqa: F811
    shared = Organisation.objects.create(
        key="a-shared-agency", name=SECRET, kind="agency", owner=cast.organisations["a"], visibility="workspace"
    )
    author = Author.for_user(cast.users["editor_b"])
    initiative = record_initiative(
        author, {"key": "b-initiative", "name": "B's programme", "visibility": "workspace", "lead": shared.key}
    )
    with pytest.raises(ValidationError) as refusal:
        change_initiative(author, initiative, {"visibility": "public", "publication": "published"})
    assert "lead" in refusal.value.message_dict
    initiative.refresh_from_db()
    assert initiative.visibility == "workspace"


def test_a_citation_across_organisations_must_be_as_visible_as_the_record_it_supports(cast, city):  # noqa: F811
    agreement = record_agreement(
        Author.for_user(cast.users["editor_b"]),
        {"key": "b-agreement", "kind": "twinning", "title": "B", "visibility": "public", "publication": "published"},
    )
    source = _source(cast.organisations["a"], visibility="workspace")
    with pytest.raises(ValidationError) as refusal:
        cite(Author.for_user(cast.users["editor_b"]), agreement, {"source": source.key, "note": "Signed text"})
    assert "source" in refusal.value.message_dict
    assert not Citation.objects.filter(
        object_id=agreement.pk, content_type=ContentType.objects.get_for_model(Agreement)
    )


def test_a_record_made_private_and_renamed_after_it_was_named_is_withheld_where_it_is_named(cast, city):  # noqa: F811
    """The review's second example: public when referenced, then private and renamed."""
    agency = Organisation.objects.create(
        key="a-agency",
        name="Public agency",
        kind="agency",
        owner=cast.organisations["a"],
        visibility="public",
        publication="published",
        home_place=city,
    )
    record_initiative(
        Author.for_user(cast.users["editor_b"]),
        {
            "key": "b-initiative",
            "name": "B's programme",
            "lead": agency.key,
            "places": [city.key],
            "visibility": "public",
            "publication": "published",
        },
    )
    change_record(
        Author.for_user(cast.users["editor_a"]),
        agency,
        {"visibility": "private", "publication": "draft", "name": SECRET},
    )
    anonymous = cast.client_for("anonymous")
    for url in (f"/places/{city.key}/", f"/places/{city.key}.json", "/api/v1/initiatives/b-initiative"):
        response = anonymous.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "B&#x27;s programme" in body or "B's programme" in body, url
        assert SECRET not in body and "a-agency" not in body, url
    # A's own members still read the lead where B's initiative names it.
    assert "a-agency" in cast.client_for("viewer_a").get("/api/v1/initiatives/b-initiative").content.decode()


def test_a_gated_record_gives_a_withheld_stand_in_for_what_its_reader_may_not_read(cast):  # noqa: F811
    from metrodiplomacy.diplomacy.queries import visible_initiatives

    secret = Organisation.objects.create(key="a-secret", name=SECRET, kind="agency", owner=cast.organisations["a"])
    helper = Organisation.objects.create(
        key="a-open", name="Open agency", kind="agency", owner=cast.organisations["a"], visibility="public"
    )
    helper.publication = "published"
    helper.save()
    initiative = Initiative.objects.create(
        key="b-initiative", name="B", owner=cast.organisations["b"], visibility="public", publication="published"
    )
    initiative.lead = secret
    initiative.save()
    initiative.partners.add(secret, helper)
    (seen,) = visible_initiatives(None)
    assert is_withheld(seen.lead) and SECRET not in str(seen.lead.name) and seen.lead.key == "withheld"
    assert [p.key for p in seen.partners.all()] == ["a-open"]
    assert seen.partners.count() == 1
    # Prefetched lists are checked the same way.
    (prefetched,) = visible_initiatives(None).prefetch_related("partners")
    assert [p.key for p in prefetched.partners.all()] == ["a-open"]
    # A's members, and staff, read the real lead.
    (own,) = visible_initiatives(cast.users["viewer_a"])
    assert own.lead.name == SECRET and own.partners.count() == 2
    assert can_read(cast.users["staff"], secret) and not can_read(cast.users["editor_c"], secret)


def test_a_spreadsheet_import_that_publishes_a_name_of_a_partners_workspace_record_is_refused_whole(cast):  # noqa: F811
    from metrodiplomacy.importers.spreadsheet import ImportOptions, SpreadsheetInvalid, import_spreadsheet

    Organisation.objects.create(
        key="a-shared-agency", name=SECRET, kind="agency", owner=cast.organisations["a"], visibility="workspace"
    )
    text = (
        "id,name,lead,visibility,publication\n"
        "b-fine,Fine programme,,public,published\n"
        "b-leaky,Leaky programme,a-shared-agency,public,published\n"
    )
    options = ImportOptions(owner=cast.organisations["b"], author=Author.for_user(cast.users["editor_b"]))
    with pytest.raises(SpreadsheetInvalid) as refusal:
        import_spreadsheet(io.BytesIO(text.encode()), "initiatives.csv", options)
    (problem,) = refusal.value.problems
    assert (problem.file, problem.row, problem.column) == ("initiatives.csv", 3, "lead")
    assert not Initiative.objects.filter(key__in=["b-fine", "b-leaky"]).exists()
