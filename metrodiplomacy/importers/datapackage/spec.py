"""The tables of a Metrodiplomacy data package: columns, types and the model each one fills.

One declaration serves three purposes: validating an incoming package, writing it to
the database, and exporting the database back (with its `datapackage.json`).
docs/data-package.md describes the same tables for people.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "string"  # string, text, integer, year, number, boolean, date, enum, ref, refs, roles, lines, record
    required: bool = False
    target: str = ""  # table a ref/refs column points to ("policy_areas" is the codelist)
    field: str = ""  # model field when it differs from the column name
    choices: tuple[str, ...] = ()

    @property
    def model_field(self) -> str:
        return self.field or self.name


@dataclass(frozen=True)
class Table:
    name: str
    model: str  # "app_label.Model"
    columns: tuple[Column, ...]
    is_record: bool = True  # has key/owner/visibility/status/flag
    needs_citation: bool = True
    depends_on: tuple[str, ...] = field(default=())

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def get_model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.all_columns if c.name == name), None)

    @property
    def all_columns(self) -> tuple[Column, ...]:
        if not self.is_record:
            return self.columns
        # Ownership and publication columns are optional: a package without them takes the importer's defaults.
        return (
            Column("id", "id", required=True),
            *self.columns,
            Column("flag", "text"),
            Column("owner", "ref", target="organisations"),
            Column("visibility", "enum", choices=("private", "workspace", "public")),
            Column("publication", "enum", choices=("draft", "published")),
        )


SCALES = ("units", "thousand", "million", "billion")
QUALIFIERS = ("exact", "about", "at_least", "more_than", "less_than")


def _choices(model: str, field_name: str) -> tuple[str, ...]:
    """Enumerations come from the model, so the package and the database cannot drift apart."""
    return tuple(value for value, _label in apps.get_model(model)._meta.get_field(field_name).choices)


def enum(name: str, model: str, field_name: str = "", required: bool = False) -> Column:
    return Column(name, "enum", required=required, field=field_name, choices=_choices(model, field_name or name))


def build_tables() -> tuple[Table, ...]:
    return (
        Table(
            "places",
            "places.Place",
            (
                Column("id", "id", required=True),
                enum("kind", "places.Place", required=True),
                Column("name", required=True),
                Column("country", "country", required=True),
                Column("parent", "ref", target="places"),
                Column("geonames_id", "integer"),
                Column("note", "text"),
            ),
            is_record=False,
            needs_citation=False,
        ),
        Table(
            "organisations",
            "actors.Organisation",
            (
                Column("name", required=True),
                Column("acronym"),
                enum("kind", "actors.Organisation", required=True),
                Column("home_place", "ref", target="places"),
                Column("parent", "ref", target="organisations"),
                Column("website"),
                Column("policy_areas", "refs", target="policy_areas"),
            ),
            needs_citation=False,
        ),
        Table(
            "sources",
            "evidence.Source",
            (
                Column("title", required=True),
                Column("author"),
                Column("year", "year"),
                enum("kind", "evidence.Source", required=True),
                Column("file"),
                Column("url"),
            ),
            needs_citation=False,
        ),
        Table(
            "case_studies",
            "evidence.CaseStudy",
            (
                Column("source", "ref", required=True, target="sources"),
                Column("place", "ref", required=True, target="places"),
                Column("organisation", "ref", target="organisations"),
                Column("note", "text"),
            ),
        ),
        Table(
            "units",
            "actors.Unit",
            (
                Column("organisation", "ref", required=True, target="organisations"),
                Column("name", required=True),
                enum("specialty", "actors.Unit", required=True),
                Column("staff", "integer"),
                Column("staff_qualifier", "enum", choices=QUALIFIERS),
                Column("budget", "number"),
                Column("budget_scale", "enum", choices=SCALES),
                Column("budget_qualifier", "enum", choices=QUALIFIERS),
                Column("budget_currency", "currency"),
                Column("budget_year", "year"),
                Column("location", "ref", target="places"),
            ),
        ),
        Table(
            "statistics",
            "places.Statistic",
            (
                Column("place", "ref", target="places"),
                Column("organisation", "ref", target="organisations"),
                Column("metric", "slug", required=True),
                Column("year", "year"),
                Column("value", "number", required=True),
                Column("scale", "enum", choices=SCALES),
                Column("unit", required=True),
                Column("qualifier", "enum", choices=QUALIFIERS),
                enum("kind", "places.Statistic"),
            ),
        ),
        Table(
            "rankings",
            "places.RankingPosition",
            (
                Column("place", "ref", required=True, target="places"),
                Column("ranking", required=True),
                Column("year", "year"),
                Column("position", "integer"),
                Column("note", "text"),
            ),
        ),
        Table(
            "agreements",
            "diplomacy.Agreement",
            (
                enum("kind", "diplomacy.Agreement", required=True),
                Column("title", required=True),
                Column("year", "year"),
                Column("date", "date", field="signed_on"),
                enum("status", "diplomacy.Agreement"),
                Column("policy_areas", "refs", target="policy_areas"),
            ),
        ),
        Table(
            "agreement_parties",
            "diplomacy.AgreementParty",
            (
                Column("agreement", "ref", required=True, target="agreements"),
                Column("place", "ref", target="places"),
                Column("organisation", "ref", target="organisations"),
            ),
            is_record=False,
            needs_citation=False,
        ),
        Table(
            "network_memberships",
            "diplomacy.NetworkMembership",
            (
                Column("network", "ref", required=True, target="organisations"),
                Column("member", "ref", required=True, target="organisations"),
                Column("roles", "roles"),
                Column("since", "year"),
                Column("until", "year"),
                Column("is_prioritised", "boolean"),
            ),
        ),
        Table(
            "hostings",
            "diplomacy.Hosting",
            (
                Column("place", "ref", required=True, target="places"),
                Column("organisation", "ref", required=True, target="organisations"),
                enum("kind", "diplomacy.Hosting", required=True),
                Column("since", "year"),
            ),
        ),
        Table(
            "initiatives",
            "diplomacy.Initiative",
            (
                Column("name", required=True),
                Column("lead", "ref", target="organisations"),
                Column("partners", "refs", target="organisations"),
                Column("places", "refs", target="places"),
                Column("policy_areas", "refs", target="policy_areas"),
                Column("year", "year"),
                Column("description", "text"),
            ),
        ),
        Table(
            "engagements",
            "diplomacy.Engagement",
            (
                enum("kind", "diplomacy.Engagement", required=True),
                Column("title", required=True),
                Column("organisation", "ref", target="organisations"),
                Column("place", "ref", target="places"),
                Column("year", "year"),
                Column("date", "date"),
                Column("policy_areas", "refs", target="policy_areas"),
                Column("partners", "refs", target="organisations"),
                Column("description", "text"),
            ),
        ),
        Table(
            "cooperation_projects",
            "cooperation.CooperationProject",
            (
                Column("title", required=True),
                Column("funders", "refs", target="organisations"),
                Column("implementers", "refs", target="organisations"),
                Column("partner_places", "refs", target="places"),
                enum("modality", "cooperation.CooperationProject"),
                Column("year_start", "year"),
                Column("year_end", "year"),
                Column("budget", "number"),
                Column("budget_scale", "enum", choices=SCALES),
                Column("budget_currency", "currency"),
                Column("description", "text"),
                Column("policy_areas", "refs", target="policy_areas"),
            ),
        ),
        Table(
            "strategies",
            "strategy.Strategy",
            (
                Column("organisation", "ref", required=True, target="organisations"),
                Column("name", required=True),
                enum("kind", "strategy.Strategy", required=True),
                enum("sector", "strategy.Strategy"),
                Column("year_start", "year"),
                Column("year_end", "year"),
                Column("is_participatory", "boolean"),
                Column("description", "text"),
            ),
        ),
        # The results framework (optional tables): a plan's axes and objectives, which indicators measure.
        Table(
            "strategy_axes",
            "strategy.StrategyAxis",
            (
                Column("strategy", "ref", required=True, target="strategies"),
                Column("code"),
                Column("name", required=True),
                Column("description", "text"),
            ),
        ),
        Table(
            "objectives",
            "strategy.Objective",
            (
                Column("strategy", "ref", required=True, target="strategies"),
                Column("axis", "ref", target="strategy_axes"),
                Column("code"),
                Column("name", required=True),
                Column("description", "text"),
            ),
        ),
        Table(
            "coordination_mechanisms",
            "coordination.CoordinationMechanism",
            (
                Column("name", required=True),
                enum("kind", "coordination.CoordinationMechanism", required=True),
                Column("convenor", "ref", target="organisations"),
                Column("members", "refs", target="organisations"),
                enum("logic", "coordination.CoordinationMechanism", required=True),
                enum("scope", "coordination.CoordinationMechanism"),
                Column("year", "year"),
                Column("description", "text"),
            ),
        ),
        Table(
            "indicators",
            "strategy.Indicator",
            (
                Column("organisation", "ref", target="organisations"),
                Column("name", required=True),
                enum("category", "strategy.Indicator", required=True),
                enum("kind", "strategy.Indicator", required=True),
                Column("objectives", "refs", target="objectives"),
                Column("unit"),
                enum("direction", "strategy.Indicator"),
            ),
        ),
        Table(
            "observations",
            "strategy.Observation",
            (
                Column("indicator", "ref", required=True, target="indicators"),
                Column("year", "year"),
                enum("role", "strategy.Observation"),
                enum("value_state", "strategy.Observation"),
                # Required unless value_state is "unknown" (checks.py).
                Column("value", "number"),
                Column("scale", "enum", choices=SCALES),
                Column("unit", required=True),
                Column("qualifier", "enum", choices=QUALIFIERS),
                Column("dimension"),
                Column("dimension_value"),
                enum("approval", "strategy.Observation"),
            ),
        ),
        Table(
            "externalities",
            "strategy.Externality",
            (
                Column("organisation", "ref", required=True, target="organisations"),
                Column("name", required=True),
                enum("kind", "strategy.Externality", required=True),
                enum("driver", "strategy.Externality", required=True),
                Column("driving_organisations", "refs", target="organisations"),
                Column("policy_areas", "refs", target="policy_areas"),
                Column("indicators", "refs", target="indicators"),
                Column("description", "text"),
            ),
        ),
        Table(
            "mitigation_measures",
            "strategy.MitigationMeasure",
            (
                Column("externality", "ref", required=True, target="externalities"),
                Column("name", required=True),
                enum("status", "strategy.MitigationMeasure"),
                Column("responsible", "ref", target="organisations"),
                Column("year_start", "year"),
                Column("description", "text"),
            ),
        ),
        Table(
            "accountability_reports",
            "strategy.AccountabilityReport",
            (
                Column("organisation", "ref", required=True, target="organisations"),
                Column("title", required=True),
                enum("kind", "strategy.AccountabilityReport", required=True),
                enum("coverage", "strategy.AccountabilityReport", required=True),
                enum("sector", "strategy.AccountabilityReport"),
                Column("strategy", "ref", target="strategies"),
                Column("reports_results", "boolean"),
                Column("year", "year"),
                Column("url"),
                Column("description", "text"),
            ),
        ),
        Table(
            "surveys",
            "evidence.Survey",
            (
                Column("name", required=True),
                Column("organisation", "ref", target="organisations"),
                Column("year", "year"),
                Column("respondents", "integer"),
            ),
        ),
        Table(
            "survey_results",
            "evidence.SurveyResult",
            (
                Column("survey", "ref", required=True, target="surveys"),
                Column("measure", required=True),
                Column("value", "number", required=True),
                Column("unit", required=True),
            ),
        ),
        Table(
            "reliance_codings",
            "evidence.RelianceCoding",
            (
                Column("place", "ref", required=True, target="places"),
                Column("policy_area", "ref", required=True, target="policy_areas"),
                enum("level", "evidence.RelianceCoding", required=True),
                Column("coder", required=True),
                Column("coded_on", "date"),
                Column("rationale", "text", required=True),
            ),
        ),
        Table(
            "classification_codings",
            "evidence.ClassificationCoding",
            (
                Column("place", "ref", required=True, target="places"),
                enum("scheme", "evidence.ClassificationCoding", required=True),
                Column("value", "integer", required=True),
                Column("coder", required=True),
                Column("rationale", "text", required=True),
            ),
        ),
        Table(
            "citations",
            "evidence.Citation",
            (
                Column("record", "record", required=True),
                Column("source", "ref", required=True, target="sources"),
                Column("section"),
                Column("lines", "lines"),
                Column("page"),
                Column("note", "text", required=True),
                Column("quotation", "text"),
            ),
            is_record=False,
            needs_citation=False,
        ),
    )


_TABLES: tuple[Table, ...] | None = None


def tables() -> tuple[Table, ...]:
    global _TABLES
    if _TABLES is None:
        _TABLES = build_tables()
    return _TABLES


def table(name: str) -> Table:
    return next(t for t in tables() if t.name == name)


def table_for_model(model: type[models.Model]) -> Table | None:
    label = model._meta.label
    return next((t for t in tables() if t.model == label), None)


FRICTIONLESS_TYPES = {
    "id": "string",
    "string": "string",
    "slug": "string",
    "text": "string",
    "integer": "integer",
    "year": "year",
    "number": "number",
    "boolean": "boolean",
    "date": "date",
    "enum": "string",
    "ref": "string",
    "refs": "string",
    "roles": "string",
    "lines": "string",
    "record": "string",
    "country": "string",
    "currency": "string",
}


def table_schema(t: Table) -> dict:
    """The Frictionless Table Schema of a table."""
    fields = []
    for column in t.all_columns:
        entry: dict = {"name": column.name, "type": FRICTIONLESS_TYPES[column.kind]}
        constraints: dict = {}
        if column.required:
            constraints["required"] = True
        if column.kind == "enum":
            constraints["enum"] = list(column.choices)
        if column.kind == "year":
            entry["type"] = "integer"
            constraints.update({"minimum": 1000, "maximum": 2200})
        if column.kind == "boolean":
            entry["trueValues"], entry["falseValues"] = ["true"], ["false"]
        if column.kind in {"refs", "roles"}:
            entry["description"] = "';'-separated list"
        if constraints:
            entry["constraints"] = constraints
        fields.append(entry)
    schema: dict = {"fields": fields, "missingValues": [""]}
    if t.column("id"):
        schema["primaryKey"] = ["id"]
    foreign = [
        {"fields": [c.name], "reference": {"resource": c.target, "fields": ["id"]}}
        for c in t.all_columns
        if c.kind == "ref" and c.target != "policy_areas"
    ]
    if foreign:
        schema["foreignKeys"] = foreign
    return schema
