"""The language switcher: a link-like GET, so that public pages carry no CSRF cookie and can be cached."""

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET


@require_GET
def choose_language(request: HttpRequest) -> HttpResponseRedirect:
    """Remember the chosen language in its cookie and go back to the page, never off this site.

    Django's own `set_language` wants a POST with a CSRF token, and rendering that token on every page sets a
    cookie that makes each anonymous answer uncacheable. Choosing a language changes only how this browser
    reads the site, so a forged request could do no more than switch someone's language.
    """
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
