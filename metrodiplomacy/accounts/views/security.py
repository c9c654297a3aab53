"""The security settings page: password, email, authenticator, recovery codes and API tokens.

Every page and change here passes `recent_authentication_required`; a POST's answer is rendered, not
redirected, where it holds a secret shown once (recovery codes, a new token), so the secret never enters a
cookie, a message store or a URL.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from metrodiplomacy.workspaces import services as workspace_services

from .. import queries, services, steps
from ..forms import EmailForm, EnrolmentForm, TokenForm
from .common import enrolment_context

gated = steps.recent_authentication_required


def _page(request, status=200, **context):
    user = request.user
    context.setdefault("password_form", PasswordChangeForm(user))
    context.setdefault("email_form", EmailForm(user=user))
    context.setdefault("token_form", TokenForm(organisations=queries.token_organisations(user)))
    return render(
        request,
        "accounts/security.html",
        {
            "totp_device": queries.confirmed_totp_device(user),
            "needs_second_factor": queries.needs_second_factor(user),
            "recovery_codes_left": queries.remaining_recovery_codes(user),
            "tokens": queries.live_tokens(user),
            **context,
        },
        status=status,
    )


@gated
@require_GET
def show_security(request):
    """The signed-in person's own security settings; nobody sees or changes anyone else's here."""
    return _page(request)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@gated
@require_POST
def change_password(request):
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _page(request, status=400, password_form=form)
    form.save()
    # The session hash follows the new password: this session stays (with a new key), every other one ends.
    update_session_auth_hash(request, form.user)
    steps.stamp_authentication(request)
    messages.success(request, _("Your password was changed; other sessions were signed out."))
    return redirect("accounts:show_security")


@gated
@require_POST
def change_email(request):
    form = EmailForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, status=400, email_form=form)
    services.change_email(request.user, form.cleaned_data["email"])
    messages.success(request, _("Your email address was changed."))
    return redirect("accounts:show_security")


@gated
@require_GET
def start_enrolment(request):
    """A new authenticator to scan; the current one (if any) keeps working until the new one is confirmed."""
    device = services.start_totp_enrolment(request.user)
    return render(
        request, "accounts/enrol.html", {"form": EnrolmentForm(), "device": device, **enrolment_context(device)}
    )


@sensitive_post_parameters("code")
@gated
@require_POST
def confirm_enrolment(request, device_id: int):
    form = EnrolmentForm(request.POST)
    if form.is_valid():
        try:
            codes = services.confirm_totp_enrolment(request.user, device_id, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.message_dict["code"])
        else:
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    device = TOTPDevice.objects.filter(user=request.user, pk=device_id, confirmed=False).first()
    if device is None:
        messages.error(request, _("This enrolment has expired; start again."))
        return redirect("accounts:show_security")
    context = {"form": form, "device": device, **enrolment_context(device)}
    return render(request, "accounts/enrol.html", context, status=400)


@gated
@require_POST
def renew_recovery_codes(request):
    if not queries.has_second_factor(request.user):
        messages.error(request, _("Set up an authenticator app first."))
        return redirect("accounts:show_security")
    return render(request, "accounts/recovery_codes.html", {"codes": services.replace_recovery_codes(request.user)})


@gated
@require_POST
def disable_second_factor(request):
    services.disable_second_factor(request.user)
    if queries.needs_second_factor(request.user):
        messages.warning(request, _("Two-step sign-in is off. You will be asked to set it up at your next sign-in."))
    else:
        messages.success(request, _("Two-step sign-in is off."))
    return redirect("accounts:show_security")


@gated
@require_http_methods(["POST"])
def create_token(request):
    form = TokenForm(request.POST, organisations=queries.token_organisations(request.user))
    if not form.is_valid():
        return _page(request, status=400, token_form=form)
    try:
        record, token = workspace_services.create_token(
            request.user,
            form.cleaned_data["name"].strip(),
            # A token answers to its user's rights of the day: one made without a second factor stays read-only,
            # so a viewer's token does not start writing when the viewer is made an editor.
            read_only=form.cleaned_data["read_only"] or not steps.second_factor_given(request),
            organisation=form.cleaned_data["organisation"],
        )
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return _page(request, status=400, token_form=form)
    return _page(request, new_token=token, new_token_record=record)


@gated
@require_POST
def revoke_token(request, token_id: int):
    # Only the caller's own live tokens are found: another person's token id is simply not there.
    record = queries.live_tokens(request.user).filter(pk=token_id).first()
    if record is None:
        messages.error(request, _("No such token."))
        return redirect("accounts:show_security")
    workspace_services.revoke_token(request.user, record.name)
    messages.success(request, _("The token %(name)s was revoked.") % {"name": record.name})
    return redirect("accounts:show_security")
