"""The checks the API fuzzer applies to every answer, shared by `scripts/fuzz_api.py` and the suite's short run.

An answer to organisation A's caller must never carry a key, id or title of organisation C's private or
workspace records (C works in another workspace), and the other way round. The check walks the JSON answer
and compares whole string values, so a record that merely mentions a similar word does not count.
"""

import json
from collections.abc import Iterable, Iterator
from typing import Any


def strings_in(value: Any) -> Iterator[str]:
    """Every string in a decoded JSON document: values and object keys, at any depth."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield str(name)
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def leaked(body: bytes | str, forbidden: Iterable[str]) -> set[str]:
    """The forbidden strings that appear as whole values in a JSON body (or anywhere in a non-JSON body)."""
    forbidden = set(forbidden)
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    try:
        document = json.loads(text)
    except ValueError:
        # Not JSON (an HTML error page, plain text): any occurrence is suspect.
        return {item for item in forbidden if item in text}
    return forbidden & set(strings_in(document))


def cross_organisation_check(forbidden: Iterable[str], caller: str) -> Any:
    """A schemathesis check (ctx, response, case) failing when the answer leaks one of `forbidden`."""
    frozen = frozenset(forbidden)

    def cross_organisation(ctx: Any, response: Any, case: Any) -> bool:
        found = leaked(response.content, frozen)
        if found:
            raise AssertionError(
                f"{case.method} {case.formatted_path} as {caller} answered {response.status_code} with other "
                f"organisations' private or workspace records: {', '.join(sorted(found))}"
            )
        return True

    return cross_organisation


def register_for_cli() -> None:
    """Register the check and the key hook with the schemathesis CLI (`SCHEMATHESIS_HOOKS=fuzz_checks`).

    The run's forbidden strings and known keys come from the JSON file named by FUZZ_FORBIDDEN_FILE, which
    scripts/fuzz_api.py writes for each pass.
    """
    import os

    import schemathesis
    from hypothesis import strategies as st

    with open(os.environ["FUZZ_FORBIDDEN_FILE"], encoding="utf-8") as handle:
        plan = json.load(handle)
    check = cross_organisation_check(plan["forbidden"], plan["caller"])
    schemathesis.check(check)

    keys = sorted(plan["known_keys"])

    @schemathesis.hook
    def flatmap_path_parameters(ctx: Any, path_parameters: dict | None) -> Any:
        # Half the time a path names a real record of either organisation, so the gates answer and not only 404.
        if not path_parameters or "key" not in path_parameters:
            return st.just(path_parameters)
        return st.one_of(
            st.just(path_parameters), st.sampled_from(keys).map(lambda key: {**path_parameters, "key": key})
        )


if __name__ != "__main__" and "FUZZ_FORBIDDEN_FILE" in __import__("os").environ:
    register_for_cli()
