"""What an import made on behalf of a user (the workspace page) may do, beyond what a package import checks.

The command line acts for the operator and may write anything, as `metrodip import package` does. A user
importing from the web writes only as the organisations they edit for, exactly as the record forms do:

- references name only records the user can read (another organisation's private record is "unknown",
  so the answer does not reveal that it exists);
- a row's owner is an organisation the user edits for; a row whose id is another organisation's record is
  refused (ids are unique, so that much is unavoidable), as a malformed id when the user cannot read that record;
- places are shared reference data: new places may be added, existing ones are not changed;
- agreement parties and citations attach only to records of the import or of the user's organisations;
- values, measures, units… attach only as `metrodiplomacy.attachments` allows (issue #15).
"""

from __future__ import annotations

from metrodiplomacy.attachments import check_package_attachments
from metrodiplomacy.importers.datapackage.reader import Package, known_keys
from metrodiplomacy.importers.datapackage.spec import table, tables
from metrodiplomacy.records import visible_to
from metrodiplomacy.writes import Author


def lookup_keys_for(author: Author):
    """The keys references may name: for records, those the author can read."""
    cache: dict[str, set[str]] = {}

    def lookup(target: str) -> set[str]:
        if target not in cache:
            if target in {"policy_areas", "places"}:
                cache[target] = known_keys(target)
            else:
                model = table(target).get_model()
                cache[target] = set(visible_to(model.objects.all(), author.user).values_list("key", flat=True))
        return cache[target]

    return lookup


def check_access(package: Package, author: Author, default_owner_id: int | None) -> None:
    """Add a problem for every row the author may not write; nothing for staff acting for any owner."""
    if author.organisation_ids is None:
        return
    from metrodiplomacy.actors.models import Organisation

    editable = dict(Organisation.objects.filter(pk__in=author.organisation_ids).values_list("key", "pk"))
    for t in tables():
        rows = package.rows.get(t.name, [])
        if rows and t.is_record:
            _check_records(package, t, rows, author, editable, default_owner_id)
    _check_places(package)
    _check_attachments(package, editable)
    check_package_attachments(package, editable, default_owner_id)


def _check_records(
    package: Package, t, rows, author: Author, editable: dict[str, int], default_owner_id: int | None
) -> None:
    taken = t.get_model().objects.filter(key__in=[r.values["id"] for r in rows if r.values.get("id")])
    existing = dict(taken.values_list("key", "owner_id"))
    readable = set(author.readable(taken).values_list("key", flat=True))
    for row in rows:
        owner_key = row.values.get("owner")
        if owner_key and owner_key not in editable:
            package.problem(t, row.line, "owner", f"you do not edit for the organisation {owner_key!r}")
            continue
        key = row.values.get("id")
        if key in existing and key not in readable:
            # As for a malformed id (reader.py), so the answer does not tell that another organisation's record
            # holds it (writes.save_validated does the same for the forms and the API).
            package.problem(t, row.line, "id", f"{key!r} is not a valid identifier")
        elif key in existing:
            wanted = editable[owner_key] if owner_key else default_owner_id
            if existing[key] is None or existing[key] != wanted:
                package.problem(
                    t,
                    row.line,
                    "id",
                    f"{key!r} is already the id of a record you cannot change here: choose another id",
                )


def _check_places(package: Package) -> None:
    from metrodiplomacy.places.models import Place

    rows = package.rows.get("places", [])
    stored = {
        place["key"]: place
        for place in Place.objects.filter(key__in=[r.values["id"] for r in rows if r.values.get("id")]).values(
            "key", "kind", "name", "iso2", "country__iso2", "parent__key", "geonames_id", "note"
        )
    }
    for row in rows:
        place = stored.get(row.values.get("id"))
        if place is None:
            continue
        values = row.values
        given = {
            "kind": values.get("kind"),
            "name": values.get("name"),
            "country": values.get("country"),
            "note": values.get("note") or "",
        }
        have = {
            "kind": place["kind"],
            "name": place["name"],
            "country": place["iso2"] or place["country__iso2"],
            "note": place["note"],
        }
        if values.get("geonames_id") is not None:
            given["geonames_id"], have["geonames_id"] = values["geonames_id"], place["geonames_id"]
        if values.get("parent"):
            given["parent"], have["parent"] = values["parent"], place["parent__key"]
        changed = [name for name in given if given[name] != have[name]]
        if changed:
            package.problem(
                "places.csv",
                row.line,
                changed[0],
                f"{values['id']!r} is a place already in the database: places are shared, so an import may add "
                "new places but not change one (ask an administrator)",
            )


def _check_attachments(package: Package, editable: dict[str, int]) -> None:
    """Parties and citations change the record they attach to: it must be the user's to change."""
    from metrodiplomacy.places.models import Place

    by_name = {t.name: t for t in tables()}
    place_ids = package.ids("places")
    new_places = place_ids - set(Place.objects.filter(key__in=place_ids).values_list("key", flat=True))

    def is_own(stem: str, key: str) -> bool:
        if stem == "places":
            return key in new_places
        if key in package.ids(stem):
            return True
        t = by_name.get(stem)
        if t is None or not t.is_record:
            return False
        return t.get_model().objects.filter(key=key, owner__in=editable.values()).exists()

    for row in package.rows.get("agreement_parties", []):
        key = row.values.get("agreement")
        if key and not is_own("agreements", key):
            package.problem(
                "agreement_parties.csv", row.line, "agreement", f"the agreement {key!r} is not yours to change"
            )
    for row in package.rows.get("citations", []):
        record = row.values.get("record")
        if record and not is_own(*record):
            package.problem(
                "citations.csv",
                row.line,
                "record",
                f"{'/'.join(record)!r}: you may cite records of this import or of your organisations only",
            )


def check_written_references(package: Package) -> None:
    """After the rows are written (inside the import's transaction): no row may name another organisation's
    record that fewer people may read than the row's own record reaches, as the record forms refuse it.

    Raises PackageInvalid with one problem per row, naming its file, line and column, so the import is undone.
    """
    from django.core.exceptions import ValidationError

    from metrodiplomacy.importers.datapackage.reader import PackageInvalid, Problem
    from metrodiplomacy.related import check_references

    problems = []
    for t in tables():
        rows = package.rows.get(t.name, [])
        if not rows or not t.is_record:
            continue
        stored = t.get_model()._base_manager.in_bulk([r.values["id"] for r in rows], field_name="key")
        for row in rows:
            record = stored.get(row.values["id"])
            if record is None:
                continue
            try:
                check_references(record)
            except ValidationError as refusal:
                for column, messages in refusal.message_dict.items():
                    problems.extend(Problem(t.file, row.line, column, message) for message in messages)
    if problems:
        raise PackageInvalid(problems)
