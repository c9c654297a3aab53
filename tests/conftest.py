import pytest
from django.conf import settings

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.actors.services import ensure_owner_organisation
from metrodiplomacy.importers.datapackage import import_package
from metrodiplomacy.workspaces.models import Membership, Workspace


@pytest.fixture
def casestudies(db):
    """The bundled case studies, loaded as `metrodip load casestudies` loads them."""
    owner = ensure_owner_organisation(settings.CASESTUDIES_OWNER, "Metrodiplomacy case studies")
    return import_package(settings.CASESTUDIES_DIR, owner=owner, visibility="public", publication="published")


@pytest.fixture(scope="module")
def casestudies_for_module(django_db_setup, django_db_blocker):
    """The bundled case studies, loaded once for a module inside a transaction rolled back after it."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_codelists()
        owner = ensure_owner_organisation(settings.CASESTUDIES_OWNER, "Metrodiplomacy case studies")
        import_package(settings.CASESTUDIES_DIR, owner=owner, visibility="public", publication="published")
        yield
        transaction.set_rollback(True)


def _organisation(key: str) -> Organisation:
    organisation = Organisation.objects.create(key=key, name=key.replace("-", " ").title(), kind="city_government")
    organisation.owner = organisation
    organisation.save()
    return organisation


@pytest.fixture(autouse=True)
def force_login_is_a_full_sign_in(monkeypatch):
    """`Client.force_login` stands for a finished sign-in, second factor included, as the code step records it.

    Without the mark, the session of an editor would be sent back to the code step (metrodiplomacy/sessions.py).
    The tests of the sign-in steps themselves go through the pages (tests/test_mfa.py, test_rights_per_request.py).
    """
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = "tests.force_login"
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def personas(db, django_user_model):
    """Owner, editor and viewer of organisation A; an outsider from organisation C in another workspace."""
    org_a, org_c = _organisation("org-a"), _organisation("org-c")
    Workspace.objects.create(key="space-a", name="Space A").organisations.add(org_a)
    Workspace.objects.create(key="space-c", name="Space C").organisations.add(org_c)
    people = {}
    for name, organisation, role in (
        ("owner", org_a, "admin"),
        ("editor", org_a, "editor"),
        ("viewer", org_a, "viewer"),
        ("outsider", org_c, "admin"),
    ):
        user = django_user_model.objects.create_user(name, password="pw-for-tests-only")
        Membership.objects.create(user=user, organisation=organisation, role=role)
        people[name] = user
    people["org_a"], people["org_c"] = org_a, org_c
    return people


@pytest.fixture
def emptied_database(transactional_db):
    """A real-commit database: transactional tests flush it afterwards, so codelists are loaded anew."""
    from django.apps import apps

    from metrodiplomacy.evidence.migrations._codelists import load_codelists

    load_codelists(apps)


def ensure_codelists() -> None:
    """The policy-area codelists, loaded again when a transactional test of this worker flushed them."""
    from django.apps import apps

    from metrodiplomacy.evidence.migrations._codelists import load_codelists
    from metrodiplomacy.evidence.models import PolicyArea

    if not PolicyArea.objects.exists():
        load_codelists(apps)
