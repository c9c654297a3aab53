"""The public annual report: built for an anonymous reader whoever asks, so it states only public, published
records and approved values. A subject that is not public answers like a missing one (404)."""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.views.decorators.http import require_GET

from metrodiplomacy.actors.queries import visible_organisations
from metrodiplomacy.places.queries import visible_places

from .gather import build_report


@require_GET
def show_public_report(request, subject, year):
    from metrodiplomacy.strategy.views import report_response

    reader = AnonymousUser()
    found = (
        visible_organisations(reader).filter(key=subject).first() or visible_places(reader).filter(key=subject).first()
    )
    if found is None or not 1000 <= year <= 2200:
        raise Http404("No such organisation or place.")
    return report_response(request, build_report(found, year, reader, audience="public"))
