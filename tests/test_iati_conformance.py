"""The IATI conformance files: every should-pass file imports, every should-fail file is refused with reasons."""

from pathlib import Path

import pytest
from django.apps import apps

from metrodiplomacy.importers.iati import IatiFileInvalid, import_iati

SPECS = Path(__file__).resolve().parent.parent.parent / "shared" / "specs" / "iati"
CONFORMANCE = SPECS / "conformance"
SHIPPED = Path(__file__).resolve().parent.parent / "metrodiplomacy" / "importers" / "iati" / "data"


def files(kind: str) -> list[Path]:
    folder = CONFORMANCE / kind
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else []


def label(path: Path) -> str:
    return str(path.relative_to(CONFORMANCE))


SHOULD_PASS, SHOULD_FAIL = files("should-pass"), files("should-fail")
pytestmark = pytest.mark.skipif(not SHOULD_PASS, reason="../shared/specs/iati/conformance is not beside the checkout")


def table_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_the_suite_has_the_files_the_issue_counts():
    assert len(SHOULD_PASS) == 58
    # 225 .xml files, and one copy without the extension (participating-org/01-activity-id-cardinality).
    assert len([path for path in SHOULD_FAIL if path.suffix == ".xml"]) == 225
    assert len(SHOULD_FAIL) == 226


@pytest.mark.parametrize("path", SHOULD_PASS, ids=label)
def test_every_should_pass_file_imports(db, path):
    summary = import_iati(path.read_bytes(), path.name)
    assert summary.projects, label(path)
    assert all(action == "created" for *_rest, action in summary.projects)


@pytest.mark.parametrize("path", SHOULD_FAIL, ids=label)
def test_every_should_fail_file_is_refused_with_a_reason_and_a_line(db, path):
    with pytest.raises(IatiFileInvalid) as refused:
        import_iati(path.read_bytes(), path.name)
    problems = refused.value.problems
    assert problems
    for problem in problems:
        assert problem.file == path.name
        assert problem.row is not None and problem.row > 0
        assert len(problem.reason) > 10
    # The element is named whenever the schema says which one is wrong.
    assert any(problem.column for problem in problems) or "well-formed" in problems[0].reason


def test_no_should_fail_file_writes_anything(db):
    before = table_counts()
    refused = 0
    for path in SHOULD_FAIL:
        try:
            import_iati(path.read_bytes(), path.name)
        except IatiFileInvalid:
            refused += 1
    assert refused == len(SHOULD_FAIL)
    assert table_counts() == before


def test_importing_a_should_pass_file_twice_changes_nothing(db):
    path = CONFORMANCE / "should-pass" / "24-results.xml"
    import_iati(path.read_bytes(), path.name)
    before = table_counts()
    again = import_iati(path.read_bytes(), path.name)
    assert again.wrote_nothing
    assert table_counts() == before


def test_the_shipped_schema_is_the_shared_specification():
    for name in ("iati-activities-schema.xsd", "iati-common.xsd", "xml.xsd"):
        assert (SHIPPED / name).read_bytes() == (SPECS / name).read_bytes(), name
