"""Secrets never reach a log line: values of secret-like query parameters and headers are masked.

Calendar applications cannot send a header, so a feed's secret travels in its address (`?token=…`); access
logs keep addresses for months and are read by more people than the secret's owner. Every log line that can
carry an address goes through here: gunicorn's access log (`metrodip serve` names `RedactedAccessLogger`) and,
as a logging filter, the development server's request log and the application's own loggers.

The parameter's name decides, not its value: `token`, `secret`, `password`, `api_key`, `signature` and
anything containing those words (`csrfmiddlewaretoken`, `access_token`), in any case.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import unquote_plus

from gunicorn.glogging import Logger as GunicornLogger

MASK = "[redacted]"
_SECRET_NAME = re.compile(r"token|secret|passw|api[-_]?key|signature|session", re.IGNORECASE)
# A name=value pair of a query string, wherever it sits: after ?, & or ; and up to the next separator,
# space or quote (a request line `GET /x?token=… HTTP/1.1`, a logged URL, a bare QUERY_STRING).
_PAIR = re.compile(r"(^|[?&;])([^=&;#\s\"'?]+)=([^&;#\s\"']*)")
# Headers that are secrets whole, should an operator log them (`%({authorization}i)s`).
_SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-csrftoken"}


def redact(text: str) -> str:
    """The text with the value of every secret-like query parameter replaced by `[redacted]`."""
    if "=" not in text:
        return text

    def masked(match: re.Match) -> str:
        lead, name, value = match.groups()
        if value and _SECRET_NAME.search(unquote_plus(name)):
            return f"{lead}{name}={MASK}"
        return match.group(0)

    return _PAIR.sub(masked, text)


def _redacted(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactSecrets(logging.Filter):
    """A logging filter: the message and its arguments with secrets masked (it never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        return True


class RedactedAccessLogger(GunicornLogger):
    """gunicorn's logger, with every atom of the access log (request line, query, referrer, headers) masked."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            header = key[1:-2].replace("_", "-").removeprefix("http-") if key.startswith("{") else ""
            if header in _SECRET_HEADERS:
                atoms[key] = MASK
            else:
                atoms[key] = _redacted(value)
        return atoms
