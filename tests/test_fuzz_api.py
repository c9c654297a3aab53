"""A short, deterministic schemathesis run over every API operation, as organisation A and as organisation C.

The long run is `make fuzz` (scripts/fuzz_api.py, five minutes against a served app); this one calls the WSGI
application in-process, a few examples per operation, and holds the same two properties: no 5xx, and no answer
to one organisation carrying a key or title of the other's private or workspace records.
"""

import sys
import traceback
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from tests import api_fixtures
from tests.api_fixtures import STATES, agreement_key, token_for

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from fuzz_checks import cross_organisation_check, leaked  # noqa: E402

records = api_fixtures.records  # the shared fixture

# Two per operation over about 150 operations keeps the run near a minute on a busy 2-core machine; `make fuzz`
# is the thorough one.
EXAMPLES_PER_OPERATION = 2


def private_strings_of(org: str) -> set[str]:
    """Keys and titles of the organisation's records that the other organisation must never read."""
    found = {f"{org}-source", f"Source of {org}"}
    for visibility, publication in STATES:
        if visibility != "public":
            found |= {agreement_key(org, visibility, publication), f"Agreement {org} {visibility} {publication}"}
    return found


@pytest.fixture
def wsgi_app():
    """The WSGI application, with Django's end-of-request connection closing off as the test client does:
    closing would end the test's transaction."""
    from django.core.wsgi import get_wsgi_application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def known_keys() -> list[str]:
    """Keys of both organisations' records: a fuzzed path names a real record half the time, so the gates
    (404 for what the caller cannot read) are exercised and not only the not-found path."""
    return sorted({agreement_key(org, v, p) for org in "ac" for v, p in STATES} | {"a-source", "c-source"})


def with_real_key(case, key: str | None):
    if key is not None and case.path_parameters and "key" in case.path_parameters:
        case.path_parameters["key"] = key
    return case


def fuzz_operation(operation, keys, token: str, checks: list) -> int:
    """The operation's examples, derandomised; return how many cases ran."""
    seen = []

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.builds(with_real_key, operation.as_strategy(), keys))
    def run(case):
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        seen.append(response.status_code)
        case.validate_response(response, checks=checks)

    run()
    return len(seen)


def fuzz_every_operation(app, token: str, checks: list, methods=None, operation_id=None) -> tuple[int, int]:
    """Run each operation's examples through the checks; return (operations, cases). Fails on the first finding."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    keys = st.one_of(st.none(), st.sampled_from(known_keys()))
    operations = cases = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if methods and operation.method.upper() not in methods:
            continue
        if operation_id and operation.definition.raw.get("operationId") != operation_id:
            continue
        operations += 1
        cases += fuzz_operation(operation, keys, token, checks)
    return operations, cases


def test_fuzzed_api_as_organisation_a_answers_without_server_errors_or_c_records(records, wsgi_app):
    check = cross_organisation_check(private_strings_of("c"), "editor of A")
    operations, cases = fuzz_every_operation(wsgi_app, token_for(records["editor"]), [not_a_server_error, check])
    assert operations > 20
    assert cases >= operations


def test_fuzzed_reads_as_organisation_c_never_carry_a_records(records, wsgi_app):
    # The writes were fuzzed as A above; C's pass covers what it reads, where a leak would show.
    check = cross_organisation_check(private_strings_of("a"), "admin of C")
    operations, cases = fuzz_every_operation(
        wsgi_app, token_for(records["outsider"]), [not_a_server_error, check], methods={"GET"}
    )
    assert operations > 10
    assert cases >= operations


def test_the_fuzz_run_fails_when_an_answer_carries_a_forbidden_key(records, wsgi_app):
    # A's editor reads A's own private agreements: declared forbidden, the run must stop on them.
    check = cross_organisation_check(private_strings_of("a"), "editor of A")
    with pytest.raises(BaseException) as raised:  # schemathesis' FailureGroup around the check's failure
        fuzz_every_operation(
            wsgi_app, token_for(records["editor"]), [check], methods={"GET"}, operation_id="list_agreements"
        )
    assert "a-private-draft" in "".join(traceback.format_exception(raised.value))


def test_the_cross_organisation_check_finds_a_leaked_key_and_ignores_similar_words():
    forbidden = private_strings_of("c")
    assert leaked(b'{"items": [{"key": "c-private-draft"}]}', forbidden) == {"c-private-draft"}
    assert leaked(b'{"items": [{"key": "c-public-published", "note": "c-private-drafts"}]}', forbidden) == set()
    assert leaked(b"<p>Agreement c workspace published</p>", forbidden) == {"Agreement c workspace published"}


@pytest.mark.parametrize("path", ["/api/v1/citations", "/api/v1/agreements"])
def test_an_offset_past_the_databases_integers_is_refused_not_a_server_error(client, db, path):
    # Found by `make fuzz`: SQLite cannot bind an integer past 64 bits and the list answered 500.
    response = client.get(path, {"offset": "361655050544744539095040", "limit": "175"})
    assert response.status_code == 422
    assert "offset" in response.content.decode()
