"""Signing in and out with the workspace's own pages."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy


class SignInView(auth_views.LoginView):
    """Django's login with our template; `next` is followed only within this site (Django checks the host)."""

    template_name = "workspaces/sign_in.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return str(reverse_lazy("workspaces:show_dashboard"))


class SignOutView(auth_views.LogoutView):
    """Sign out by POST only (Django refuses GET), then back to the public home page."""

    template_name = "workspaces/signed_out.html"
    next_page = reverse_lazy("observatory:home")


sign_in = SignInView.as_view()
sign_out = SignOutView.as_view()
