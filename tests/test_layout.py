"""House rules that keep the code base honest."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "metrodiplomacy"


def test_analysis_never_imports_django():
    for path in (PACKAGE / "analysis").rglob("*.py"):
        assert not re.search(r"^\s*(from|import) django", path.read_text(), re.M), path


def test_every_setting_read_from_the_environment_is_documented():
    names = set(re.findall(r"METRODIP_[A-Z_]+", (PACKAGE / "settings.py").read_text()))
    names |= set(re.findall(r"METRODIP_[A-Z_]+", (PACKAGE / "instance.py").read_text()))
    documented = (PACKAGE.parent / "docs" / "settings.md").read_text()
    assert names, "settings read no environment variable?"
    for name in names | {"DATABASE_URL"}:
        assert f"`{name}`" in documented, name


def test_every_cli_command_is_documented():
    from metrodiplomacy.cli import app

    documented = (PACKAGE.parent / "docs" / "cli.md").read_text()
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    commands += [f"{g.name} {c.name}" for g in app.registered_groups for c in g.typer_instance.registered_commands]
    for command in commands:
        assert f"metrodip {command.rstrip('_')}" in documented, command
