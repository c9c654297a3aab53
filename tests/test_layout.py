"""House rules that keep the code base honest."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "metrodiplomacy"


def test_analysis_never_imports_django():
    for path in (PACKAGE / "analysis").rglob("*.py"):
        assert not re.search(r"^\s*(from|import) django", path.read_text(), re.M), path


def test_importing_every_analysis_module_loads_no_django():
    # A static grep misses imports that arrive through another module; a fresh interpreter does not.
    import subprocess
    import sys

    modules = sorted(f"metrodiplomacy.analysis.{p.stem}" for p in (PACKAGE / "analysis").glob("*.py"))
    code = "import importlib, sys\n"
    code += "".join(f"importlib.import_module({name!r})\n" for name in modules)
    code += "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


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
