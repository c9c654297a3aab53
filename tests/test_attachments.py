"""Writes that attach to another organisation's records (issue #15, class 3; rules in metrodiplomacy/attachments.py).

A value shows as its indicator's value, a measure as its externality's mitigation, a unit in its organisation's
capacity: only the target's owner decides what is attached to it, approves it and locks it. A's records here are
public, so that both the partner (editor_b) and the outsider (editor_c) can read them and the attempt is not
refused for a reason of visibility.
"""

import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from metrodiplomacy.actors.models import Organisation, Unit
from metrodiplomacy.diplomacy import services as diplomacy
from metrodiplomacy.diplomacy.models import Engagement, NetworkMembership
from metrodiplomacy.evidence.models import Survey, SurveyResult
from metrodiplomacy.importers.spreadsheet import ImportOptions, SpreadsheetInvalid, import_spreadsheet
from metrodiplomacy.places.models import Statistic
from metrodiplomacy.reports.gather import build_report
from metrodiplomacy.strategy import services
from metrodiplomacy.strategy.models import (
    AccountabilityReport,
    Externality,
    Indicator,
    MitigationMeasure,
    Objective,
    Observation,
    Strategy,
    StrategyAxis,
)
from metrodiplomacy.workspaces.models import Membership
from metrodiplomacy.workspaces.services import create_token
from metrodiplomacy.writes import Author, change_record, create_record
from tests.personas import cast  # noqa: F401 - the fixture

PUBLIC = {"visibility": "public", "publication": "published"}


@pytest.fixture
def a_records(cast):  # noqa: F811
    """A's public indicator, externality, strategy (with an objective) and survey; the organisations are public."""
    Organisation.objects.filter(pk__in=[org.pk for org in cast.organisations.values()]).update(**PUBLIC)
    a = cast.organisations["a"]
    strategy = Strategy.objects.create(
        key="str-a", owner=a, organisation=a, name="Plan of A", kind="integral_international_plan", **PUBLIC
    )
    return {
        "indicator": Indicator.objects.create(
            key="ind-a",
            owner=a,
            organisation=a,
            name="Investment attracted by A",
            category="investment_attracted",
            kind="outcome",
            unit="EUR",
            **PUBLIC,
        ),
        "externality": Externality.objects.create(
            key="ext-a",
            owner=a,
            organisation=a,
            name="Rents",
            kind="gentrification_housing",
            driver="tourism",
            **PUBLIC,
        ),
        "strategy": strategy,
        "objective": Objective.objects.create(key="obj-a", owner=a, strategy=strategy, name="Attract", **PUBLIC),
        "survey": Survey.objects.create(key="survey-a", owner=a, organisation=a, name="Survey of A", **PUBLIC),
    }


def author(cast, persona: str) -> Author:  # noqa: F811
    return Author.for_user(cast.users[persona])


def admin_of_b(cast, django_user_model):  # noqa: F811
    user = django_user_model.objects.create_user("admin_b", email="admin_b@example.org")
    Membership.objects.create(user=user, organisation=cast.organisations["b"], role="admin")
    return Author.for_user(user)


def value(key: str, owner, indicator, year: int = 2020, amount: str = "5", approval: str = "draft") -> Observation:
    """A value stored as the code before the rule let anyone write it (or an old import did)."""
    return Observation.objects.create(
        key=key,
        owner=owner,
        indicator=indicator,
        year=year,
        value=Decimal(amount),
        unit="EUR",
        approval=approval,
        **PUBLIC,
    )


def new_value(key: str, year: int = 2020, **extra) -> dict:
    return {"key": key, "indicator": "ind-a", "year": year, "value": "5", "unit": "EUR", **extra}


def refused_field(call) -> dict:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def report_values(report) -> set[str]:
    return {entry.key for indicator in report.indicators for entry in indicator.values}


# -- values on an indicator --------------------------------------------------------------------------------------


def test_a_partner_or_an_outsider_cannot_record_a_value_on_anothers_indicator(cast, a_records):  # noqa: F811
    for persona in ("editor_b", "editor_c"):
        key = f"v-{persona.replace('_', '-')}"
        refusal = refused_field(lambda p=persona, k=key: services.record_observation(author(cast, p), new_value(k)))
        assert "indicator" in refusal
    assert not Observation.objects.exists()
    # The indicator's own editors still record its values.
    assert services.record_observation(author(cast, "editor_a"), new_value("v-a")).owner == cast.organisations["a"]


def test_the_api_refuses_a_value_on_anothers_indicator_naming_the_field(client, cast, a_records):  # noqa: F811
    for persona in ("editor_b", "editor_c"):
        token = create_token(cast.users[persona], "script")[1]
        response = client.post(
            "/api/v1/observations",
            data=json.dumps(new_value(f"v-{persona.replace('_', '-')}")),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == 400, response.content
        assert "indicator" in json.dumps(response.json())
    assert not Observation.objects.exists()


def test_a_partner_cannot_submit_or_approve_a_value_on_anothers_indicator(cast, a_records, django_user_model):  # noqa: F811
    b_draft = value("v-b-draft", cast.organisations["b"], a_records["indicator"])
    with pytest.raises((ValidationError, PermissionDenied)):
        services.submit_observation(author(cast, "editor_b"), b_draft)
    b_submitted = value("v-b-submitted", cast.organisations["b"], a_records["indicator"], approval="submitted")
    for reviewer in (admin_of_b(cast, django_user_model), author(cast, "admin_a")):
        with pytest.raises(PermissionDenied):
            services.approve_observation(reviewer, b_submitted, "looks fine")
    assert Observation.objects.get(key="v-b-draft").approval == "draft"
    assert Observation.objects.get(key="v-b-submitted").approval == "submitted"


def test_a_locked_period_of_the_indicators_owner_holds_for_everyone(cast, a_records):  # noqa: F811
    services.lock_period(author(cast, "admin_a"), cast.organisations["a"], 2020, "final")
    b_value = value("v-b", cast.organisations["b"], a_records["indicator"])
    for persona in ("editor_b", "staff"):
        with pytest.raises(ValidationError, match="locked period"):
            services.change_observation(author(cast, persona), b_value, {"value": "9"})
    with pytest.raises(ValidationError, match="locked period"):
        services.remove_observation(author(cast, "editor_b"), b_value)
    for persona, values in (("editor_a", {}), ("staff", {"owner": "org-a"})):
        with pytest.raises(ValidationError, match="locked period"):
            services.record_observation(author(cast, persona), new_value(f"v-{persona.replace('_', '-')}", **values))
    assert Observation.objects.get(key="v-b").value == 5
    assert list(Observation.objects.values_list("key", flat=True)) == ["v-b"]


def test_a_value_recorded_by_someone_else_never_appears_in_the_report(cast, a_records):  # noqa: F811
    value("v-a", cast.organisations["a"], a_records["indicator"], amount="100", approval="approved")
    value("v-b", cast.organisations["b"], a_records["indicator"], amount="987654", approval="approved")
    public = build_report(cast.organisations["a"], 2020, AnonymousUser(), audience="public")
    assert report_values(public) == {"v-a"}
    workspace = build_report(cast.organisations["a"], 2020, cast.users["admin_a"], audience="workspace")
    assert report_values(workspace) == {"v-a"}


def test_an_indicator_another_organisation_keeps_about_a_is_not_in_as_report(cast, a_records):  # noqa: F811
    b = cast.organisations["b"]
    foreign = Indicator.objects.create(
        key="ind-b-about-a",
        owner=b,
        organisation=cast.organisations["a"],
        name="Jobs of A, as B counts them",
        category="jobs",
        kind="outcome",
        **PUBLIC,
    )
    value("v-b", b, foreign, approval="approved")
    report = build_report(cast.organisations["a"], 2020, AnonymousUser(), audience="public")
    assert [indicator.key for indicator in report.indicators] == ["ind-a"]


def test_a_spreadsheet_import_cannot_attach_a_value_to_anothers_indicator(cast, a_records):  # noqa: F811
    rows = "id,indicator,year,value,unit\n{key},ind-a,2020,5,EUR\n"

    def options(persona: str, letter: str) -> ImportOptions:
        return ImportOptions(owner=cast.organisations[letter], author=author(cast, persona), entity="observations")

    with pytest.raises(SpreadsheetInvalid) as refused:
        import_spreadsheet(io.BytesIO(rows.format(key="v-b").encode()), "observations.csv", options("editor_b", "b"))
    assert [problem.column for problem in refused.value.problems] == ["indicator"]
    assert not Observation.objects.exists()
    import_spreadsheet(io.BytesIO(rows.format(key="v-a").encode()), "observations.csv", options("editor_a", "a"))
    assert Observation.objects.get(key="v-a").owner == cast.organisations["a"]


# -- other parts of a record: measures, axes, objectives, survey results ------------------------------------------


def test_a_partner_cannot_add_a_mitigation_measure_to_anothers_externality(client, cast, a_records):  # noqa: F811
    measure = {"key": "m-b", "externality": "ext-a", "name": "Rent cap", "status": "planned", **PUBLIC}
    refusal = refused_field(lambda: create_record(author(cast, "editor_b"), MitigationMeasure, measure))
    assert "externality" in refusal
    client.force_login(cast.users["editor_b"])
    response = client.post("/workspace/mitigation-measures/new/", {**measure, "owner": "org-b"})
    assert response.status_code == 400 and b'id="id_externality_error"' in response.content
    assert not MitigationMeasure.objects.exists()


def test_a_measure_someone_else_added_is_not_stated_as_the_externalitys_mitigation(cast, a_records):  # noqa: F811
    for key, owner in (("m-a", cast.organisations["a"]), ("m-b", cast.organisations["b"])):
        MitigationMeasure.objects.create(
            key=key, owner=owner, externality=a_records["externality"], name=f"Measure {key}", **PUBLIC
        )
    report = build_report(cast.organisations["a"], 2020, AnonymousUser(), audience="public")
    assert [measure["name"] for measure in report.externalities[0]["measures"]] == ["Measure m-a"]


def test_a_partner_cannot_add_an_axis_or_an_objective_to_anothers_strategy(cast, a_records):  # noqa: F811
    for model in (StrategyAxis, Objective):
        values = {"key": f"{model.__name__.lower()}-b", "strategy": "str-a", "name": "Ours", **PUBLIC}
        assert "strategy" in refused_field(lambda m=model, v=values: create_record(author(cast, "editor_b"), m, v))
    assert not StrategyAxis.objects.exists() and list(Objective.objects.values_list("key", flat=True)) == ["obj-a"]


def test_an_indicator_follows_only_objectives_of_its_own_organisation(cast, a_records):  # noqa: F811
    values = {"key": "ind-b", "name": "Ours", "category": "jobs", "kind": "output", **PUBLIC}
    refusal = refused_field(
        lambda: create_record(author(cast, "editor_b"), Indicator, {**values, "objectives": ["obj-a"]})
    )
    assert "objectives" in refusal
    own = create_record(author(cast, "editor_b"), Indicator, values)
    assert "objectives" in refused_field(
        lambda: change_record(author(cast, "editor_b"), own, {"objectives": ["obj-a"]})
    )
    assert not Indicator.objects.get(key="ind-b").objectives.exists()


def test_a_partner_cannot_add_results_to_anothers_survey(cast, a_records):  # noqa: F811
    result = {"key": "r-b", "survey": "survey-a", "measure": "cities with an office", "value": "40", "unit": "percent"}
    assert "survey" in refused_field(lambda: create_record(author(cast, "editor_b"), SurveyResult, result))
    assert not SurveyResult.objects.exists()


# -- records stated as an organisation's own --------------------------------------------------------------------

OWN_RECORDS = [
    pytest.param(Strategy, {"name": "Plan", "kind": "sectoral_plan"}, id="strategy"),
    pytest.param(Unit, {"name": "Office", "specialty": "international_relations"}, id="unit"),
    pytest.param(Indicator, {"name": "Jobs", "category": "jobs", "kind": "output"}, id="indicator"),
    pytest.param(Externality, {"name": "Traffic", "kind": "traffic", "driver": "events"}, id="externality"),
    pytest.param(
        AccountabilityReport,
        {"title": "Annual review", "kind": "annual_review", "coverage": "organisation"},
        id="accountability-report",
    ),
    pytest.param(
        Statistic, {"metric": "cooperation_budget", "year": 2020, "value": "0", "unit": "EUR"}, id="statistic"
    ),
    pytest.param(Engagement, {"kind": "fair", "title": "Fair", "year": 2020}, id="engagement"),
]


@pytest.mark.parametrize("model,values", OWN_RECORDS)
def test_a_partner_cannot_record_a_record_as_anothers_own(cast, a_records, model, values):  # noqa: F811
    editor_b = author(cast, "editor_b")
    # The same values are accepted for B's own organisation: only the organisation named makes the difference.
    create_record(editor_b, model, {"key": "of-b", "organisation": "org-b", **values, **PUBLIC})
    refusal = refused_field(
        lambda: create_record(editor_b, model, {"key": "of-a", "organisation": "org-a", **values, **PUBLIC})
    )
    assert "organisation" in refusal
    assert not model.objects.filter(key="of-a").exists()


def test_the_organisation_itself_or_the_keeper_of_its_record_records_its_units(cast, django_user_model):  # noqa: F811
    a = cast.organisations["a"]
    port = Organisation.objects.create(key="port", name="Port", kind="public_company", owner=a, **PUBLIC)
    port_editor = django_user_model.objects.create_user("port_editor")
    Membership.objects.create(user=port_editor, organisation=port, role="editor")
    unit = {"name": "International office", "specialty": "international_relations", "organisation": "port"}
    create_record(author(cast, "editor_a"), Unit, {"key": "unit-by-keeper", **unit})
    create_record(Author.for_user(port_editor), Unit, {"key": "unit-by-port", **unit})
    assert "organisation" in refused_field(
        lambda: create_record(author(cast, "editor_b"), Unit, {"key": "unit-by-b", **unit, **PUBLIC})
    )
    assert set(Unit.objects.values_list("key", flat=True)) == {"unit-by-keeper", "unit-by-port"}


def test_a_network_seat_is_recorded_by_the_member_or_by_the_network(cast, a_records):  # noqa: F811
    Organisation.objects.create(
        key="net-c", name="Network of C", kind="city_network", owner=cast.organisations["c"], **PUBLIC
    )
    seat = {"network": "net-c", "since": 2010, **PUBLIC}
    # A public network owned by another organisation: joining it is the member's own business.
    diplomacy.record_network_membership(author(cast, "editor_b"), {"key": "seat-b", "member": "org-b", **seat})
    # The network's keeper records its members.
    diplomacy.record_network_membership(author(cast, "editor_c"), {"key": "seat-a-by-c", "member": "org-a", **seat})
    refusal = refused_field(
        lambda: diplomacy.record_network_membership(
            author(cast, "editor_b"), {"key": "seat-a-by-b", "member": "org-a", **seat}
        )
    )
    assert "member" in refusal
    assert set(NetworkMembership.objects.values_list("key", flat=True)) == {"seat-b", "seat-a-by-c"}
