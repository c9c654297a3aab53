"""Data packages in and out: the one importer the bundled case studies and users' packages share."""

from pathlib import Path

from .reader import PackageInvalid, Problem, read_package
from .writer import Defaults, ImportSummary, write_package

__all__ = ["PackageInvalid", "Problem", "ImportSummary", "import_package", "check_package_at"]


def check_package_at(location: str | Path) -> list[Problem]:
    """Every problem of the package at that location; an empty list means it would import."""
    return read_package(location).problems


def import_package(
    location: str | Path, owner=None, visibility: str = "private", publication: str = "draft"
) -> ImportSummary:
    """Check the whole package, then write it in one transaction; raise PackageInvalid with every problem."""
    package = read_package(location)
    if package.problems:
        raise PackageInvalid(package.problems)
    return write_package(package, Defaults(owner=owner, visibility=visibility, publication=publication))
