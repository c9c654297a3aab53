"""Signing in and out with the workspace's own pages.

Signing in is two steps for anyone who can change data (editors and admins of an organisation, staff): the
password here, then a code (`accounts:verify_sign_in`) or, without an authenticator yet, its enrolment; only
then is `login()` called. Everyone else is signed in after the password, as before.
"""

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse_lazy

from metrodiplomacy.accounts import steps
from metrodiplomacy.accounts.queries import has_second_factor, needs_second_factor


class SignInView(auth_views.LoginView):
    """Django's login with our template; `next` is followed only within this site (Django checks the host).

    An unknown user name and a wrong password get the same answer: Django's form gives one message for both,
    and its ModelBackend runs the password hasher for an unknown user too, so the timing does not tell either.
    """

    template_name = "workspaces/sign_in.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return str(reverse_lazy("workspaces:show_dashboard"))

    def form_valid(self, form):
        user = form.get_user()
        if not needs_second_factor(user):
            response = super().form_valid(form)
            steps.stamp_authentication(self.request)
            return response
        steps.begin_pending_sign_in(self.request, user, self.get_success_url())
        return redirect("accounts:verify_sign_in" if has_second_factor(user) else "accounts:enrol_at_sign_in")


class SignOutView(auth_views.LogoutView):
    """Sign out by POST only (Django refuses GET), then back to the public home page; the session is flushed."""

    template_name = "workspaces/signed_out.html"
    next_page = reverse_lazy("observatory:home")


sign_in = SignInView.as_view()
sign_out = SignOutView.as_view()
