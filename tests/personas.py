"""The seven callers the hardening tests compare, built once per test.

Organisations A and B share a workspace, so B sees A's workspace-visible records; C works in another
workspace and must see nothing of A but what A publishes. Staff is the site operator (Django admin).
"""

from dataclasses import dataclass, field
from typing import Any

import pytest

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.workspaces.models import Membership, Workspace

PASSWORD = "pw-for-tests-only"
# The order of the matrix's columns.
PERSONAS = ("anonymous", "viewer_a", "editor_a", "admin_a", "editor_b", "editor_c", "staff")


@dataclass
class Cast:
    users: dict[str, Any] = field(default_factory=dict)  # persona → user; "anonymous" → None
    organisations: dict[str, Organisation] = field(default_factory=dict)  # "a", "b", "c"
    workspaces: dict[str, Workspace] = field(default_factory=dict)  # "ab", "c"

    def client_for(self, persona: str):
        """A Django test client signed in as the persona (anonymous: signed out)."""
        from django.test import Client

        client = Client()
        if self.users[persona] is not None:
            client.force_login(self.users[persona])
        return client


def _organisation(key: str) -> Organisation:
    organisation = Organisation.objects.create(key=key, name=key.replace("-", " ").title(), kind="city_government")
    organisation.owner = organisation
    organisation.save()
    return organisation


def build_cast(user_model) -> Cast:
    cast = Cast()
    for letter in "abc":
        cast.organisations[letter] = _organisation(f"org-{letter}")
    cast.workspaces["ab"] = Workspace.objects.create(key="space-ab", name="Space AB")
    cast.workspaces["ab"].organisations.add(cast.organisations["a"], cast.organisations["b"])
    cast.workspaces["c"] = Workspace.objects.create(key="space-c", name="Space C")
    cast.workspaces["c"].organisations.add(cast.organisations["c"])
    cast.users["anonymous"] = None
    for persona, letter, role in (
        ("viewer_a", "a", "viewer"),
        ("editor_a", "a", "editor"),
        ("admin_a", "a", "admin"),
        ("editor_b", "b", "editor"),
        ("editor_c", "c", "editor"),
    ):
        user = user_model.objects.create_user(persona, email=f"{persona}@example.org", password=PASSWORD)
        Membership.objects.create(user=user, organisation=cast.organisations[letter], role=role)
        cast.users[persona] = user
    cast.users["staff"] = user_model.objects.create_user(
        "staff", email="staff@example.org", password=PASSWORD, is_staff=True, is_superuser=True
    )
    return cast


@pytest.fixture
def cast(db, django_user_model) -> Cast:
    return build_cast(django_user_model)
