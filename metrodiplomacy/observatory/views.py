from django.shortcuts import render

from metrodiplomacy.evidence.models import CaseStudy
from metrodiplomacy.records import visible_to

from .profiles import case_study_places


def home(request):
    """The loaded case-study cities and metropolises, with the sources that study each."""
    places = list(case_study_places(request.user))
    studies = visible_to(CaseStudy.objects.filter(place__in=places), request.user).select_related("source")
    sources_of: dict[int, list] = {}
    for study in studies.order_by("source__year", "source__title"):
        sources_of.setdefault(study.place_id, []).append(study.source)
    rows = [(place, sources_of.get(place.pk, [])) for place in places]
    return render(request, "observatory/home.html", {"rows": rows})
