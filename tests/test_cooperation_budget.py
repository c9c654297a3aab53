"""The cooperation budget per year and the 0.7 % ratio: the analysis, the command and the API."""

from decimal import Decimal

from metrodiplomacy.analysis.cooperation import BudgetFigure, ProjectBudgetLine, budget_years, cooperation_budget_table


def figure(key, metric, value, year=2022, unit="EUR", scale="million", kind="observed", qualifier="exact"):
    return BudgetFigure(key, metric, Decimal(value), unit, year, scale, qualifier, kind)


def test_the_share_is_computed_from_the_cooperation_and_total_budgets_of_a_year():
    (year,) = budget_years([figure("t", "total_budget", "500"), figure("c", "cooperation_budget", "4")])
    assert year.share == Decimal("0.8") and year.basis == "computed" and year.meets(Decimal("0.7"))


def test_a_share_the_source_states_is_used_when_the_budgets_are_missing():
    (year,) = budget_years([figure("s", "cooperation_budget_share", "0.7", year=None, scale="units", unit="percent")])
    assert year.share == Decimal("0.7") and year.basis == "stated by the source"


def test_project_budgets_stand_in_for_a_missing_cooperation_budget():
    lines = [
        ProjectBudgetLine("p", 2022, Decimal("1000000"), "EUR"),
        ProjectBudgetLine("q", 2022, Decimal("500000"), "EUR"),
    ]
    (year,) = budget_years([figure("t", "total_budget", "500")], lines)
    assert year.share == Decimal("0.3") and year.basis == "from project budgets" and not year.meets(Decimal("0.7"))


def test_budgets_in_two_currencies_are_not_compared():
    (year,) = budget_years([figure("t", "total_budget", "500"), figure("c", "cooperation_budget", "4", unit="USD")])
    assert year.share is None and "EUR" in year.basis and "USD" in year.basis


def test_the_table_lists_years_in_order_with_undated_figures_last_and_names_the_missing_statistic():
    table = cooperation_budget_table(
        "Example",
        [
            figure("c21", "cooperation_budget", "3", year=2021),
            figure("t22", "total_budget", "400"),
            figure("c22", "cooperation_budget", "2"),
            figure("x", "cooperation_budget", "1", year=None, qualifier="about"),
        ],
    )
    assert table.column("year") == [2021, 2022, "undated"]
    assert table.column("share %") == [None, Decimal("0.50"), None]
    assert table.column("meets target") == ["", "no", ""]
    assert "no total_budget statistic" in table.column("basis")[0]
    assert any("x" in note for note in table.notes if note.startswith("Approximate"))


def test_the_command_shows_the_amb_share_the_seminar_states(casestudies):
    from tests.test_cli import run

    result = run("cooperation", "budget", "amb", "--format", "csv")
    assert result.exit_code == 0, result.output
    header, row = result.output.strip().splitlines()[:2]
    assert header.startswith("year,total budget,cooperation budget")
    assert row.startswith("undated,,1500000,") and ",0.7,stated by the source" in row and "yes" in row


def test_the_api_answers_the_budget_table_through_the_gate(casestudies, client, personas):
    body = client.get("/api/v1/cooperation/budget/amb").json()
    assert body["rows"][0]["share %"] == 0.7
    assert client.get("/api/v1/cooperation/budget/org-a").status_code == 404
    client.force_login(personas["viewer"])
    assert client.get("/api/v1/cooperation/budget/org-a").json()["rows"] == []


def test_the_identifier_command_records_an_organisation_identifier(personas):
    from metrodiplomacy.cooperation.models import OrganisationIdentifier
    from tests.test_cli import run

    assert run("cooperation", "identifier", "org-a", "XM-DAC-1").exit_code == 0
    assert OrganisationIdentifier.objects.get(organisation=personas["org_a"]).ref == "XM-DAC-1"
    taken = run("cooperation", "identifier", "org-c", "XM-DAC-1")
    assert taken.exit_code == 1 and "already" in taken.output
