"""Feed addresses: secrets that let a calendar application read one workspace's calendar feeds, and nothing else.

Managed like API tokens: every page and change here first asks for a recent sign-in, and the answer that
holds a new secret is rendered, not redirected, so the secret never enters a cookie, a message or a URL the
browser keeps.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from metrodiplomacy.accounts.steps import recent_authentication_required
from metrodiplomacy.workspaces import services as workspace_services

from ..forms import FeedSecretForm
from ..queries import live_feed_secrets
from .common import workspace_or_404


def _page(request, workspace, status: int = 200, **context):
    feed = request.build_absolute_uri(reverse("coordination:workspace_feed", args=[workspace.key]))
    return render(
        request,
        "coordination/feed_secrets.html",
        {
            "workspace": workspace,
            "secrets": live_feed_secrets(request.user, workspace),
            "form": context.pop("form", None) or FeedSecretForm(),
            "feed": feed,
            "section": "calendar",
            **context,
        },
        status=status,
    )


@recent_authentication_required
@require_GET
def list_feed_secrets(request, workspace):
    """The caller's own feed addresses for this workspace's calendar, and a form to make one."""
    return _page(request, workspace_or_404(request, workspace))


@recent_authentication_required
@require_POST
def create_feed_secret(request, workspace):
    workspace = workspace_or_404(request, workspace)
    form = FeedSecretForm(request.POST)
    if not form.is_valid():
        return _page(request, workspace, status=400, form=form)
    try:
        record, secret = workspace_services.create_feed_secret(request.user, workspace, form.cleaned_data["name"])
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return _page(request, workspace, status=400, form=form)
    return _page(request, workspace, new_secret=secret, new_secret_record=record)


@recent_authentication_required
@require_POST
def revoke_feed_secret(request, workspace, secret: int):
    workspace = workspace_or_404(request, workspace)
    # Only the caller's own live secrets of this workspace are found: another person's id is simply not there.
    record = live_feed_secrets(request.user, workspace).filter(pk=secret).first()
    if record is None:
        messages.error(request, _("No such feed address."))
    else:
        workspace_services.revoke_feed_secret(request.user, record.pk)
        messages.success(request, _("The feed address %(name)s was revoked.") % {"name": record.name})
    return redirect("coordination:list_feed_secrets", workspace.key)
