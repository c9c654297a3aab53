"""The second step of signing in (code, or enrolment for an editor without one) and re-authentication."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import services, steps
from ..forms import CodeForm, EnrolmentForm, ReauthenticationForm
from ..queries import has_second_factor
from .common import enrolment_context, locked_message


def _start_again(request):
    messages.info(request, _("Your sign-in took too long; enter your password again."))
    return redirect("workspaces:sign_in")


@sensitive_post_parameters("code")
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def verify_sign_in(request):
    """Ask the person who gave the right password for a code from their authenticator or a recovery code."""
    user = steps.pending_user(request)
    if user is None:
        return _start_again(request)
    if not has_second_factor(user):
        return redirect("accounts:enrol_at_sign_in")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify_second_factor(user, form.cleaned_data["code"])
        except services.SecondFactorLocked as locked:
            form.add_error(None, locked_message(locked.until))
            status = 429
        else:
            if device is not None:
                return redirect(steps.finish_sign_in(request, user, device))
            form.add_error("code", _("That code is not valid, or it was already used."))
            status = 400
    return render(request, "accounts/verify_sign_in.html", {"form": form}, status=status)


@sensitive_post_parameters("code")
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def enrol_at_sign_in(request):
    """An editor or admin without an authenticator sets one up before their session is created."""
    user = steps.pending_user(request)
    if user is None:
        return _start_again(request)
    if has_second_factor(user):
        return redirect("accounts:verify_sign_in")
    device = TOTPDevice.objects.filter(
        user=user, pk=request.session.get(steps.ENROLMENT_DEVICE), confirmed=False
    ).first()
    if device is None:
        device = services.start_totp_enrolment(user)
        request.session[steps.ENROLMENT_DEVICE] = device.pk
    form = EnrolmentForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_totp_enrolment(user, device.pk, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.message_dict["code"])
            status = 400
        else:
            confirmed = TOTPDevice.objects.get(pk=device.pk)
            next_url = steps.finish_sign_in(request, user, confirmed)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next_url": next_url})
    return render(
        request, "accounts/enrol.html", {"form": form, "at_sign_in": True, **enrolment_context(device)}, status=status
    )


@sensitive_post_parameters("password", "code")
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def reauthenticate(request):
    """Confirm the password (and a code, when enrolled) before a change to the account's security."""
    if not request.user.is_authenticated:
        return redirect("workspaces:sign_in")
    next_url = steps.safe_next(
        request, request.POST.get("next") or request.GET.get("next"), reverse("accounts:show_security")
    )
    needs_code = has_second_factor(request.user)
    form = ReauthenticationForm(request.POST or None, request=request, needs_code=needs_code)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                device = services.verify_second_factor(request.user, form.cleaned_data["code"]) if needs_code else True
            except services.SecondFactorLocked as locked:
                form.add_error(None, locked_message(locked.until))
                status = 429
            else:
                if device:
                    if device is not True:
                        # A code given here is a second factor given in this session, as at the code step.
                        otp_login(request, device)
                    steps.stamp_authentication(request)
                    return redirect(next_url)
                form.add_error("code", _("That code is not valid, or it was already used."))
                status = 400
        else:
            status = 400
    return render(request, "accounts/reauthenticate.html", {"form": form, "next": next_url}, status=status)
