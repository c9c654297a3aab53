"""Checks that span rows and files: references, gazetteer identity, parties, citations."""

from collections import Counter, defaultdict

from metrodiplomacy.places import gazetteer

from .spec import tables

SCHEME_RANGE = {"governance_scenario": (1, 3), "planning_group": (1, 4), "externalities_measured": (0, 1)}


def check_package(package) -> None:
    from .reader import known_keys

    available: dict[str, set[str]] = {}

    def ids_of(target: str) -> set[str]:
        if target not in available:
            available[target] = package.ids(target) | (package.lookup_keys or known_keys)(target)
        return available[target]

    for t in tables():
        for row in package.rows.get(t.name, []):
            for column in t.all_columns:
                value = row.values.get(column.name)
                if column.kind == "ref" and value:
                    if value not in ids_of(column.target):
                        package.problem(t, row.line, column.name, f"unknown {column.target[:-1]} {value!r}")
                elif column.kind == "refs":
                    for item in value or []:
                        if item not in ids_of(column.target):
                            package.problem(t, row.line, column.name, f"unknown {column.target[:-1]} {item!r}")
    _check_places(package)
    _check_subjects(package, "statistics", ("place", "organisation"), allow_none=True)
    _check_subjects(package, "agreement_parties", ("place", "organisation"))
    _check_parties(package)
    _check_classifications(package)
    _check_unique_together(package, "reliance_codings", ("place", "policy_area", "coder"))
    _check_unique_together(package, "case_studies", ("source", "place"))
    _check_unique_together(package, "network_memberships", ("network", "member", "owner"))
    # One passage is cited once per record: two notes on the same locator would overwrite each other on load.
    _check_unique_together(package, "citations", ("record", "source", "section", "lines"))
    _check_citations(package, ids_of)
    _check_observation_values(package)


def _check_observation_values(package) -> None:
    """A value is a number, or explicitly unknown and then empty: never a blank that reads as zero."""
    for row in package.rows.get("observations", []):
        unknown = row.values.get("value_state") == "unknown"
        if unknown and row.values.get("value") is not None:
            package.problem("observations.csv", row.line, "value", "an unknown value is left empty")
        elif not unknown and row.values.get("value") is None:
            package.problem(
                "observations.csv", row.line, "value", "a value is required (or set value_state to unknown)"
            )
        if bool(row.values.get("dimension")) != bool(row.values.get("dimension_value")):
            package.problem(
                "observations.csv", row.line, "dimension_value", "give both dimension and dimension_value, or neither"
            )


def _check_places(package) -> None:
    for row in package.rows.get("places", []):
        values = row.values
        kind, name, country = values.get("kind"), values.get("name"), values.get("country")
        if not (kind and name and country):
            continue
        if kind == "country":
            if values["id"] != country.lower():
                package.problem(
                    "places.csv", row.line, "id", f"a country's id is its lower-case code {country.lower()!r}"
                )
            continue
        if kind not in {"city", "municipality"}:
            continue
        geonames_id = values.get("geonames_id")
        if geonames_id:
            city = gazetteer.city_by_id(geonames_id)
            if city is None:
                package.problem("places.csv", row.line, "geonames_id", f"GeoNames has no city with id {geonames_id}")
            elif city.country_iso2 != country:
                package.problem(
                    "places.csv",
                    row.line,
                    "geonames_id",
                    f"GeoNames city {geonames_id} is in {city.country_iso2}",
                )
        elif gazetteer.find_city(name, country) is None:
            package.problem(
                "places.csv",
                row.line,
                "name",
                f"unknown city: no place called {name!r} in {country} in the GeoNames gazetteer "
                "(check the spelling, or give its geonames_id)",
            )


def _check_subjects(package, table_name: str, columns: tuple[str, str], allow_none: bool = False) -> None:
    for row in package.rows.get(table_name, []):
        given = [c for c in columns if row.values.get(c)]
        if len(given) > 1 or (not given and not allow_none):
            wanted = "at most" if allow_none else "exactly"
            package.problem(f"{table_name}.csv", row.line, columns[0], f"give {wanted} one of {' or '.join(columns)}")


def _check_parties(package) -> None:
    count = Counter(row.values.get("agreement") for row in package.rows.get("agreement_parties", []))
    for row in package.rows.get("agreements", []):
        if count[row.values.get("id")] < 2:
            package.problem(
                "agreements.csv",
                row.line,
                "id",
                "an agreement needs two or more parties in agreement_parties.csv",
            )


def _check_classifications(package) -> None:
    for row in package.rows.get("classification_codings", []):
        scheme, value = row.values.get("scheme"), row.values.get("value")
        if scheme in SCHEME_RANGE and value is not None:
            low, high = SCHEME_RANGE[scheme]
            if not low <= value <= high:
                package.problem("classification_codings.csv", row.line, "value", f"{scheme} runs from {low} to {high}")


def _check_unique_together(package, table_name: str, columns: tuple[str, ...]) -> None:
    seen: dict[tuple, int] = {}
    for row in package.rows.get(table_name, []):
        key = tuple(row.values.get(c) for c in columns)
        if None in key[:2]:
            continue
        if key in seen:
            package.problem(f"{table_name}.csv", row.line, columns[0], f"same {', '.join(columns)} as row {seen[key]}")
        seen[key] = row.line


def _check_citations(package, ids_of) -> None:
    from django.contrib.contenttypes.models import ContentType

    from metrodiplomacy.evidence.models import Citation

    by_name = {t.name: t for t in tables()}
    cited: dict[str, set[str]] = defaultdict(set)
    for row in package.rows.get("citations", []):
        record = row.values.get("record")
        if not record:
            continue
        stem, key = record
        target = by_name.get(stem)
        if target is None or not target.is_record and stem != "places":
            package.problem("citations.csv", row.line, "record", f"{stem!r} is not a table that can be cited")
        elif key not in ids_of(stem):
            package.problem("citations.csv", row.line, "record", f"unknown {stem[:-1]} {key!r}")
        cited[stem].add(key)
    if not package.require_citations:
        return
    for t in tables():
        if not t.needs_citation:
            continue
        rows = package.rows.get(t.name, [])
        uncited = [r for r in rows if r.values.get("id") and r.values["id"] not in cited[t.name]]
        if not uncited:
            continue
        # A record already in the database may keep the citations it has there.
        model = t.get_model()
        already = set(
            model.objects.filter(key__in=[r.values["id"] for r in uncited])
            .filter(
                pk__in=Citation.objects.filter(content_type=ContentType.objects.get_for_model(model)).values(
                    "object_id"
                )
            )
            .values_list("key", flat=True)
        )
        for row in uncited:
            if row.values["id"] not in already:
                package.problem(t, row.line, "id", "missing citation: no row of citations.csv cites this record")
