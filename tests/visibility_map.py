"""Where each kind of owned record can be read, surface by surface: the map the visibility counts walk.

Every model with a `visibility` and a `publication` (see `metrodiplomacy/records.py`) has one entry.
A surface the model does not reach is named with `Absent(reason)`, so a gap is a decision, not an oversight.
`test_visibility_counts.py` fails when a model, or an export format, has no entry here.

Surfaces and who may read what on them (the rule itself lives in `test_visibility_counts.expected_keys`):

- workspace_list: `/workspace/<kind>/`, the records the reader's own organisations own, every state.
- history: `/workspace/<kind>/<key>/history/`, one page per record the reader may read.
- api_list: `/api/v1/<path>`, the reader's gate.
- search: `/search.json?q=…`, the reader's gate.
- public_pages: portal pages and their `.json` twins, the reader's gate.
- open_data: `/open-data/` downloads (CSV, XLSX per entity, the data package zip) and
  `metrodip export opendata`: public and published only, whoever asks.
- package_export: `metrodip export package`, run by the operator on the server: everything.
- iati: `metrodip export iati <organisation>`: that organisation's public, published projects.
- ical: `/workspace/coordination/<workspace>/calendar.ics`: dated engagements of the workspace, reader's gate.

Staff (a Django superuser with no membership) is the site operator: `visible_to` lets staff read
every record, as the command line (`OPERATOR`) does and as the Django admin shows. Staff therefore sees
every record on the gated surfaces (API, search, portal pages, history, calendar), owns nothing (so
its workspace lists are empty), and, like everyone, only public and published rows in the open data.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Absent:
    """This model is not on this surface, and why."""

    reason: str


SURFACES = (
    "workspace_list",
    "history",
    "api_list",
    "search",
    "public_pages",
    "open_data",
    "package_export",
    "iati",
    "ical",
)

# Every export format the product writes, with the surface that counts it. The guard compares this with
# the formats the code offers (`exported_formats()` in the test module).
EXPORT_FORMATS = {
    "open_data_csv": "open_data",
    "open_data_xlsx": "open_data",
    "open_data_zip": "open_data",
    "opendata_cli": "open_data",
    "package_cli": "package_export",
    "iati_cli": "iati",
    "page_json": "public_pages",
    "page_csv": "public_pages",
    "ical": "ical",
}

NOT_IN_SEARCH = Absent("search covers places, organisations, sources, agreements, initiatives, strategies, engagements")
NO_PORTAL_LIST = Absent("no portal page lists this kind; its public rows are read through the API and open data")
ONLY_PROJECTS = Absent("IATI activities are cooperation projects only")
ONLY_ENGAGEMENTS = Absent("the calendar feeds carry dated engagements only")


def _entry(slug: str, api: str | Absent, *, search=NOT_IN_SEARCH, public=NO_PORTAL_LIST, open_data=None, **extra):
    """A model's surfaces: most share the workspace slug, API path and data-package table name."""
    entry = {
        "workspace_list": slug,
        "history": slug,
        "api_list": api,
        "search": search,
        "public_pages": public,
        "open_data": open_data or slug.replace("-", "_"),
        "package_export": open_data or slug.replace("-", "_"),
        "iati": ONLY_PROJECTS,
        "ical": ONLY_ENGAGEMENTS,
    }
    entry.update(extra)
    return entry


VISIBILITY_MAP: dict[str, dict[str, str | Absent]] = {
    "places.Statistic": _entry("statistics", "/api/v1/statistics", public="place"),
    "places.RankingPosition": _entry(
        "ranking-positions", "/api/v1/ranking-positions", public="place", open_data="rankings"
    ),
    "actors.Organisation": _entry(
        "organisations", "/api/v1/organisations", search="organisation", public="organisation"
    ),
    "actors.Unit": _entry("units", "/api/v1/units", public="place"),
    "evidence.Source": _entry("sources", "/api/v1/sources", search="source", public="sources"),
    "evidence.RelianceCoding": _entry("reliance-codings", "/api/v1/reliance-codings", public="place"),
    "evidence.ClassificationCoding": _entry("classification-codings", "/api/v1/classification-codings", public="place"),
    "evidence.CaseStudy": _entry(
        "case-studies",
        "/api/v1/case-studies",
        public=Absent("the place page names a case study by its source's title, not by a key of its own"),
    ),
    "evidence.Survey": _entry("surveys", "/api/v1/surveys"),
    "evidence.SurveyResult": _entry("survey-results", "/api/v1/survey-results"),
    "diplomacy.Agreement": _entry("agreements", "/api/v1/agreements", search="agreement", public="place"),
    "diplomacy.NetworkMembership": _entry("network-memberships", "/api/v1/network-memberships", public="place"),
    "diplomacy.Hosting": _entry(
        "hostings",
        "/api/v1/hostings",
        public=Absent("the place page names a hosting by the hosted organisation, not by a key of its own"),
    ),
    "diplomacy.Initiative": _entry("initiatives", "/api/v1/initiatives", search="initiative", public="place"),
    "diplomacy.Engagement": _entry(
        "engagements", "/api/v1/engagements", search="engagement", public="place", ical="engagements"
    ),
    "cooperation.CooperationProject": _entry(
        "cooperation-projects", "/api/v1/cooperation-projects", iati="cooperation_projects", public="place"
    ),
    "strategy.Strategy": _entry("strategies", "/api/v1/strategies", search="strategy", public="place"),
    "strategy.StrategyAxis": _entry(
        "strategy-axes", Absent("axes are read inside their strategy's API record, not listed on their own")
    ),
    "strategy.Objective": _entry(
        "objectives", Absent("objectives are read inside their strategy's API record, not listed on their own")
    ),
    "strategy.Indicator": _entry("indicators", "/api/v1/indicators", public="place"),
    "strategy.Observation": _entry("observations", "/api/v1/observations"),
    "strategy.AccountabilityReport": _entry("accountability-reports", "/api/v1/accountability-reports"),
    "strategy.Externality": _entry(
        "externalities", Absent("externalities are read inside their indicators and the results pages")
    ),
    "strategy.MitigationMeasure": _entry(
        "mitigation-measures", Absent("measures are read inside their externality, not listed on their own")
    ),
    "coordination.CoordinationMechanism": _entry(
        "coordination-mechanisms", "/api/v1/coordination-mechanisms", public="place"
    ),
    "coordination.StakeholderAgenda": _entry(
        "agendas",
        Absent("agendas are edited in the coordination space, not served by the API"),
        workspace_list=Absent("agendas are edited from the coordination space's stakeholders page"),
        history=Absent("agendas are not a workspace kind; their versions are in the Django admin"),
        open_data=Absent("the data package has no agenda table: agendas are a workspace's working notes"),
        package_export=Absent("the data package has no agenda table: agendas are a workspace's working notes"),
    ),
}
