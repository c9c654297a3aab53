"""What the bench scripts share: a free port, a throw-away environment, waiting for the server, a fresh database.

`bench/load.py` and `bench/crash_rounds.py` each start the real server over a temporary SQLite database (the load
script over PostgreSQL too); the import benchmarks start from a fresh PostgreSQL database of their own.
"""

import http.client
import os
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throwaway_environment(data_dir: Path, secret_key: str) -> dict[str, str]:
    """Production settings over SQLite in `data_dir` (DESIGN.md §6): DATABASE_URL and debug are dropped."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "METRODIP_DEBUG"}}
    env.update(
        METRODIP_DATA_DIR=str(data_dir),
        METRODIP_SECRET_KEY=secret_key,
        DJANGO_SETTINGS_MODULE="metrodiplomacy.settings",
        COLUMNS="200",
    )
    return env


def wait_for_answer(server: subprocess.Popen, port: int, path: str, seconds: float) -> str | None:
    """None once `path` answers 200; otherwise, after `seconds` or the server's exit, the last problem seen."""
    deadline = time.monotonic() + seconds
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            status = connection.getresponse().status
            if status == 200:
                return None
            last = f"status {status}"
        except OSError as error:
            last = str(error)
        if server.poll() is not None:
            return f"the server exited ({last})"
        time.sleep(0.1)
    return last


def fresh_postgres(url: str, name: str) -> str:
    """The URL of an empty database `name` on the server of `url`, dropped and created anew."""
    import psycopg

    base, _slash, _name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"
