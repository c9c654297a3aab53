"""`metrodip token …`: API tokens for scripts (shown once, stored only as a SHA-256 digest)."""

import typer
from rich.markup import escape
from rich.table import Table

from metrodiplomacy.cli import app, console

tokens_app = typer.Typer(help="API tokens that let scripts call /api/v1/ as a user.", no_args_is_help=True)
app.add_typer(tokens_app, name="token")


def _user(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        console.print(f"[red]No user named {escape(username)}.[/red]")
        raise typer.Exit(code=1)
    return user


def _refuse(error) -> None:
    for field, messages in error.message_dict.items():
        for message in messages:
            console.print(f"[red]{escape(field)}: {escape(message)}[/red]")
    raise typer.Exit(code=1)


@tokens_app.command("create")
def token_create(
    username: str = typer.Argument(..., help="The user the token acts as."),
    name: str = typer.Option(..., "--name", help="What the token is for (unique among the user's live tokens)."),
    read_only: bool = typer.Option(False, "--read-only", help="The token may read but never write."),
    organisation: str = typer.Option(
        "", "--organisation", help="Key of one organisation of the user: the token acts only for it."
    ),
) -> None:
    """Create an API token and print it once; only its digest is kept."""
    from django.core.exceptions import ValidationError

    from metrodiplomacy.actors.models import Organisation
    from metrodiplomacy.workspaces.services import create_token

    user = _user(username)
    scope = None
    if organisation:
        scope = Organisation.objects.filter(key=organisation).first()
        if scope is None:
            console.print(f"[red]No organisation with key {escape(organisation)}.[/red]")
            raise typer.Exit(code=1)
    try:
        record, token = create_token(user, name, read_only=read_only, organisation=scope)
    except ValidationError as error:
        _refuse(error)
    rights = "read-only" if record.read_only else "read and write"
    where = f", acting only for {organisation}" if scope else ""
    console.print(f"Token {escape(name)} for {escape(username)} ({rights}{where}). Copy it now, it is not shown again:")
    # Plain print: the token must be copyable without markup or wrapping.
    typer.echo(token)


@tokens_app.command("revoke")
def token_revoke(
    username: str = typer.Argument(..., help="The user the token belongs to."),
    name: str = typer.Option(..., "--name", help="The name given at creation."),
) -> None:
    """Revoke a token: it stops working at once."""
    from django.core.exceptions import ValidationError

    from metrodiplomacy.workspaces.services import revoke_token

    try:
        revoke_token(_user(username), name)
    except ValidationError as error:
        _refuse(error)
    console.print(f"Revoked the token {escape(name)} of {escape(username)}.")


@tokens_app.command("list")
def token_list(username: str = typer.Argument(..., help="The user whose tokens to list.")) -> None:
    """List a user's tokens with their rights, last use and whether they are revoked (never the tokens)."""
    from metrodiplomacy.workspaces.models import ApiToken

    table = Table(title=f"API tokens of {username}")
    for heading in ("name", "starts with", "rights", "organisation", "created", "last used", "revoked"):
        table.add_column(heading)
    for record in ApiToken.objects.filter(user=_user(username)).select_related("organisation"):
        table.add_row(
            record.name,
            record.prefix,
            "read-only" if record.read_only else "read and write",
            record.organisation.key if record.organisation_id else "",
            f"{record.created_at:%Y-%m-%d %H:%M}",
            f"{record.last_used_at:%Y-%m-%d %H:%M}" if record.last_used_at else "",
            f"{record.revoked_at:%Y-%m-%d %H:%M}" if record.revoked_at else "",
        )
    console.print(table)
