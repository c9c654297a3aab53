"""Restoring a past version brings back the whole record: its fields, its parties or roles, and its citations."""

import pytest

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.diplomacy import services as diplomacy
from metrodiplomacy.evidence.models import Citation, Source
from metrodiplomacy.evidence.services import cite, withdraw_citation
from metrodiplomacy.places.models import Place
from metrodiplomacy.workspaces.services import restore_version
from metrodiplomacy.writes import Author


@pytest.fixture
def editor(personas):
    for key, name in (("barcelona", "Barcelona"), ("lyon", "Lyon"), ("quito", "Quito")):
        Place.objects.create(key=key, kind="city", name=name)
    Source.objects.create(key="src-a", owner=personas["org_a"], title="Report of A", kind="report")
    Organisation.objects.create(key="net-a", owner=personas["org_a"], name="Network of A", kind="city_network")
    return Author.for_user(personas["editor"])


def first_version(record):
    return record.history.order_by("history_date").first()


def test_restoring_an_agreement_brings_back_the_parties_it_had(editor):
    agreement = diplomacy.record_agreement(
        editor,
        {
            "key": "agr",
            "owner": "org-a",
            "kind": "twinning",
            "title": "Twinning",
            "parties": [{"place": "barcelona"}, {"place": "lyon"}],
        },
    )
    diplomacy.change_agreement(editor, agreement, {"title": "Renamed", "parties": [{"place": "quito"}]})
    assert [party.place.key for party in agreement.parties.all()] == ["quito"]

    restore_version(editor, agreement, first_version(agreement).history_id, change=diplomacy.change_agreement)

    agreement.refresh_from_db()
    assert agreement.title == "Twinning"
    assert sorted(party.place.key for party in agreement.parties.all()) == ["barcelona", "lyon"]


def test_restoring_the_middle_version_takes_the_parties_of_that_version_not_of_the_next(editor):
    agreement = diplomacy.record_agreement(
        editor, {"key": "agr", "owner": "org-a", "kind": "twinning", "title": "One", "parties": [{"place": "lyon"}]}
    )
    diplomacy.change_agreement(editor, agreement, {"title": "Two", "parties": [{"place": "quito"}]})
    middle = agreement.history.order_by("-history_date").first()
    diplomacy.change_agreement(editor, agreement, {"title": "Three", "parties": [{"place": "barcelona"}]})

    restore_version(editor, agreement, middle.history_id, change=diplomacy.change_agreement)

    agreement.refresh_from_db()
    assert agreement.title == "Two"
    assert [party.place.key for party in agreement.parties.all()] == ["quito"]


def test_restoring_a_membership_brings_back_its_roles(editor):
    membership = diplomacy.record_network_membership(
        editor,
        {
            "key": "seat",
            "owner": "org-a",
            "network": "net-a",
            "member": "org-a",
            "roles": [{"role": "presidency", "year": 2010}, {"role": "member"}],
        },
    )
    diplomacy.change_network_membership(editor, membership, {"since": 2004, "roles": [{"role": "member"}]})

    restore_version(
        editor, membership, first_version(membership).history_id, change=diplomacy.change_network_membership
    )

    membership.refresh_from_db()
    assert membership.since is None
    assert sorted((role.role, role.year or 0) for role in membership.roles.all()) == [
        ("member", 0),
        ("presidency", 2010),
    ]


def test_restoring_brings_back_a_withdrawn_citation_and_withdraws_one_added_later(editor):
    agreement = diplomacy.record_agreement(editor, {"key": "agr", "owner": "org-a", "kind": "twinning", "title": "One"})
    kept = cite(editor, agreement, {"source": "src-a", "section": "2.1", "note": "Signed in 2001."})
    diplomacy.change_agreement(editor, agreement, {"title": "Two"})
    withdraw_citation(editor, agreement, kept.pk)
    later = cite(editor, agreement, {"source": "src-a", "section": "4", "note": "Renewed."})

    restore_version(editor, agreement, first_version(agreement).history_id, change=diplomacy.change_agreement)

    citations = Citation.objects.filter(object_id=agreement.pk)
    assert [(citation.pk, citation.section) for citation in citations] == [(kept.pk, "2.1")]
    # Nothing is lost: the withdrawn-then-restored and the withdrawn-by-restore citations are both in history.
    assert Citation.history.filter(id=later.pk, history_type="-").exists()
    assert Citation.history.filter(id=kept.pk).count() == 3


def test_a_viewer_cannot_restore_parties_or_citations(editor, personas):
    agreement = diplomacy.record_agreement(
        editor, {"key": "agr", "owner": "org-a", "kind": "twinning", "title": "One", "parties": [{"place": "lyon"}]}
    )
    diplomacy.change_agreement(editor, agreement, {"parties": [{"place": "quito"}]})
    with pytest.raises(Exception, match="not change it"):
        restore_version(
            Author.for_user(personas["viewer"]),
            agreement,
            first_version(agreement).history_id,
            change=diplomacy.change_agreement,
        )
    assert [party.place.key for party in agreement.parties.all()] == ["quito"]
