"""`metrodip coordination …`: a workspace's stakeholders, overlaps and synergies; its weekly digest; the demo."""

from __future__ import annotations

import typer
from rich.markup import escape
from typer.core import TyperGroup

from metrodiplomacy.cli import app
from metrodiplomacy.cli.output import console, rich_table


class WorkspaceFirstGroup(TyperGroup):
    """`metrodip coordination WORKSPACE` runs `show WORKSPACE`: a workspace key is not a subcommand name."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["show", *args]
        return super().parse_args(ctx, args)


coordination_app = typer.Typer(
    cls=WorkspaceFirstGroup,
    help="Metropolitan coordination: `metrodip coordination WORKSPACE` prints stakeholders, overlaps and synergies.",
)
app.add_typer(coordination_app, name="coordination", no_args_is_help=True)


def _workspace(key: str):
    from metrodiplomacy.workspaces.models import Workspace

    workspace = Workspace.objects.filter(key=key).first()
    if workspace is None:
        keys = ", ".join(Workspace.objects.order_by("key").values_list("key", flat=True)) or "none"
        console.print(f"[red]No workspace {key!r}. Workspaces: {escape(keys)}.[/red]")
        raise typer.Exit(code=1)
    return workspace


@coordination_app.command("show")
def coordination_show(
    workspace: str = typer.Argument(..., help="Key of the workspace."),
    window: int = typer.Option(30, help="Days within which two missions to one place count as an overlap."),
) -> None:
    """Print the stakeholder summary, then every overlap and synergy with its reason and records."""
    from metrodiplomacy.analysis import coordination as rules
    from metrodiplomacy.observatory.inputs.coordination import coordination_inputs
    from metrodiplomacy.records import OPERATOR

    found = _workspace(workspace)
    inputs = coordination_inputs(OPERATOR, found)
    console.rule(f"[bold]{escape(found.name)}[/bold]")
    console.print(rich_table(rules.stakeholder_table(list(inputs.stakeholders), inputs.names)))
    findings = rules.find_all(inputs, window)
    for heading, kind in (("Overlaps", "overlap"), ("Synergies", "synergy")):
        listed = [f for f in findings if f.kind == kind]
        console.print(f"\n[bold underline]{heading} ({len(listed)})[/bold underline]")
        for finding in listed:
            console.print(
                f"  • [bold]{escape(rules.RULES[finding.rule])}[/bold]: {escape(finding.reason)}", highlight=False
            )
            records = ", ".join(f"{ref.kind}/{ref.key}" for ref in finding.records)
            console.print(f"    [dim]records: {escape(records)}[/dim]", highlight=False)
        if not listed:
            console.print("  none found")


@coordination_app.command("digest")
def coordination_digest(
    workspace: str = typer.Argument(..., help="Key of the workspace."),
    window: int = typer.Option(30, help="Days within which two missions to one place count as an overlap."),
) -> None:
    """E-mail the weekly digest to the workspace's admins, each with what they may read (run it weekly from cron)."""
    from django.utils import timezone

    from metrodiplomacy.coordination.services import send_digest

    sent = send_digest(_workspace(workspace), timezone.localdate(), window)
    for item in sent:
        console.print(f"Sent to {item.recipient}: {item.overlaps} overlaps, {item.synergies} synergies.")
    if not sent:
        console.print("No admin of this workspace has an e-mail address: nothing sent.")


@coordination_app.command("demo")
def coordination_demo(
    user: str = typer.Option("", help="Also make this existing user an admin of the AMB, to sign in and look."),
) -> None:
    """Build the Barcelona metropolitan coordination space from the bundled case studies (idempotent)."""
    from django.contrib.auth import get_user_model

    from metrodiplomacy.coordination.demo import DemoDataMissing, build_barcelona_demo
    from metrodiplomacy.workspaces.models import Membership

    try:
        summary = build_barcelona_demo()
    except DemoDataMissing as missing:
        console.print(f"[red]{escape(str(missing))}[/red]")
        raise typer.Exit(code=1) from missing
    console.print(
        f"Workspace {summary.workspace.key}: {summary.organisations} organisations, "
        f"{summary.agendas_created} agendas derived from their records."
    )
    if user:
        found = get_user_model().objects.filter(username=user).first()
        if found is None:
            console.print(f"[red]No user {user!r}.[/red]")
            raise typer.Exit(code=1)
        amb = summary.workspace.organisations.filter(key="amb").first()
        if amb is not None:
            Membership.objects.get_or_create(user=found, organisation=amb, defaults={"role": "admin"})
            console.print(f"{user} is a member of the AMB.")
    console.print(f"Open /workspace/coordination/{summary.workspace.key}/")
