"""A place's profile: every visible record about it, grouped by theme, with the citations behind each.

Used by `metrodip show` and the city page. A fixed number of queries whatever the size
of the profile (one per section plus one per cited table).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from metrodiplomacy.actors.models import Organisation, Unit
from metrodiplomacy.cooperation.models import CooperationProject
from metrodiplomacy.coordination.models import CoordinationMechanism
from metrodiplomacy.diplomacy.models import Agreement, Engagement, Hosting, Initiative, NetworkMembership
from metrodiplomacy.evidence.models import CaseStudy, Citation, ClassificationCoding, RelianceCoding
from metrodiplomacy.evidence.queries import readable_citations
from metrodiplomacy.places.models import Place, RankingPosition, Statistic
from metrodiplomacy.records import SCALE_FACTOR, Scale, visible_to
from metrodiplomacy.strategy.models import Indicator, Strategy

# Networks and international bodies based in a city are shown as hosted, not as the city's own actors.
NOT_LOCAL_ACTORS = ("city_network", "international_organisation")


@dataclass
class Profile:
    place: Place
    places: list[Place]
    sections: dict[str, list] = field(default_factory=dict)
    citations: dict[tuple[int, int], list[Citation]] = field(default_factory=dict)

    def cited(self, obj) -> list[Citation]:
        content_type = ContentType.objects.get_for_model(type(obj))
        return self.citations.get((content_type.pk, obj.pk), [])


def case_study_places(user=None):
    """The places some visible source studies as a case, with how many sources study each."""
    studies = visible_to(CaseStudy.objects.all(), user)
    return (
        Place.objects.filter(case_studies__in=studies)
        .annotate(source_count=Count("case_studies", filter=Q(case_studies__in=studies), distinct=True))
        .select_related("country")
        .order_by("name")
    )


def _place_tree(place: Place) -> list[Place]:
    children = list(Place.objects.filter(parent=place).exclude(kind="country"))
    grandchildren = list(Place.objects.filter(parent__in=children))
    return [place, *children, *grandchildren]


def build_profile(place: Place, user=None) -> Profile:
    places = _place_tree(place)
    place_ids = [p.pk for p in places]
    actors = list(
        visible_to(Organisation.objects.filter(home_place__in=place_ids), user)
        .exclude(kind__in=NOT_LOCAL_ACTORS)
        .order_by("name")
    )
    actor_ids = [a.pk for a in actors]
    about = Q(place__in=place_ids) | Q(organisation__in=actor_ids)

    def visible(queryset):
        return list(visible_to(queryset, user).distinct())

    sections = {
        "case studies": visible(CaseStudy.objects.filter(place__in=place_ids).select_related("source")),
        "statistics": visible(
            Statistic.objects.filter(about).select_related("place", "organisation").order_by("metric", "year", "key")
        ),
        "classifications": visible(ClassificationCoding.objects.filter(place__in=place_ids).order_by("scheme")),
        "reliance": visible(RelianceCoding.objects.filter(place__in=place_ids).select_related("policy_area", "place")),
        "actors": actors,
        "units": visible(Unit.objects.filter(organisation__in=actor_ids).select_related("organisation", "location")),
        "strategies": visible(Strategy.objects.filter(organisation__in=actor_ids).select_related("organisation")),
        "agreements": visible(
            Agreement.objects.filter(Q(parties__place__in=place_ids) | Q(parties__organisation__in=actor_ids))
            .prefetch_related("parties__place", "parties__organisation")
            .order_by("year", "title")
        ),
        "networks": visible(
            NetworkMembership.objects.filter(member__in=actor_ids)
            .select_related("network", "member")
            .prefetch_related("roles")
        ),
        "hosted": visible(Hosting.objects.filter(place__in=place_ids).select_related("organisation", "place")),
        "initiatives": visible(
            Initiative.objects.filter(Q(lead__in=actor_ids) | Q(places__in=place_ids)).select_related("lead")
        ),
        "engagements": visible(
            Engagement.objects.filter(about).select_related("organisation", "place").order_by("year", "title")
        ),
        "cooperation projects": visible(
            CooperationProject.objects.filter(
                Q(funders__in=actor_ids) | Q(implementers__in=actor_ids) | Q(partner_places__in=place_ids)
            )
        ),
        "coordination mechanisms": visible(
            CoordinationMechanism.objects.filter(convenor__in=actor_ids).select_related("convenor")
        ),
        "indicators": visible(Indicator.objects.filter(organisation__in=actor_ids).prefetch_related("observations")),
        "rankings": visible(RankingPosition.objects.filter(place__in=place_ids)),
    }
    profile = Profile(place=place, places=places, sections=sections)
    _attach_citations(profile, user)
    return profile


def _attach_citations(profile: Profile, user) -> None:
    by_model: dict[type, list[int]] = defaultdict(list)
    for items in profile.sections.values():
        for obj in items:
            by_model[type(obj)].append(obj.pk)
    if not by_model:
        return
    content_types = ContentType.objects.get_for_models(*by_model)
    condition = Q(pk__in=[])
    for model, ids in by_model.items():
        condition |= Q(content_type=content_types[model], object_id__in=ids)
    for citation in readable_citations(user, condition).order_by("source__title", "line_start"):
        profile.citations.setdefault((citation.content_type_id, citation.object_id), []).append(citation)


def format_amount(value, scale: str, qualifier: str = "exact") -> str:
    prefix = {
        "about": _("about") + " ",
        "at_least": _("at least") + " ",
        "more_than": _("more than") + " ",
        "less_than": _("less than") + " ",
    }
    number = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    suffix = "" if scale in ("units", "") else f" {dict(Scale.choices).get(scale, scale)}"
    return f"{prefix.get(qualifier, '')}{number}{suffix}"


def scaled(value, scale: str):
    return value * SCALE_FACTOR.get(scale or "units", 1)
