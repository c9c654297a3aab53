"""Kill the server (and an importer) with SIGKILL mid-write, round after round, and check that nothing is lost.

.venv/bin/python bench/crash_rounds.py [--rounds 40] [--seconds 600] [--writers 4] [--seed N]

Each round starts gunicorn on loopback exactly as `metrodip serve` does on SQLite (one process, 8 threads) over
one temporary database, runs writer threads that POST organisations through the API with a token and note each
key the server acknowledged (2xx), and in alternate rounds runs an import in a subprocess: a spreadsheet of
400 regions (`metrodip import sheet`) or the bundled data package (`metrodip load casestudies`). At a random moment
the server's and the importer's process groups get SIGKILL. Then, before the next round restarts the server:

- every acknowledged key must be in the database (a 2xx is a promise: synchronous=FULL keeps it);
- each spreadsheet import is all its rows or none; the data package is all its rows or none;
- `PRAGMA integrity_check` answers `ok`.

The run stops after --rounds rounds or --seconds seconds, whichever comes first, and exits 1 on any loss.
"""

import argparse
import http.client
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from loopback import free_port, throwaway_environment, wait_for_answer

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SHEET_ROWS = 400
OWNER = "crash-org"


@dataclass
class Round:
    number: int
    importer: str = ""
    acknowledged: int = 0
    failed_requests: int = 0
    lost: int = 0
    import_rows: str = ""
    integrity: str = ""
    killed_after: float = 0.0
    problems: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)


def environment(data_dir: Path) -> dict[str, str]:
    return throwaway_environment(data_dir, "crash-rounds-throwaway-key")


def metrodip(env: dict, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "metrodip"), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, killed whole
        **kwargs,
    )


def prepare(env: dict) -> str:
    """Migrate, collect static files, and create the writing user, its organisation and a token."""
    for args in (("init",),):
        result = subprocess.run([str(BIN / "metrodip"), *args], env=env, cwd=ROOT, capture_output=True, text=True)
        if result.returncode:
            sys.exit(f"metrodip {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    script = f"""
from django.contrib.auth import get_user_model
from django.core.management import call_command
from metrodiplomacy.actors.services import ensure_owner_organisation
from metrodiplomacy.workspaces.models import Membership
from metrodiplomacy.workspaces.services import create_token
call_command("collectstatic", interactive=False, verbosity=0)
org = ensure_owner_organisation("{OWNER}", "Crash organisation")
user = get_user_model().objects.create_user("crash-writer")
Membership.objects.create(user=user, organisation=org, role="editor")
print(create_token(user, "crash")[1])
"""
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"setup failed:\n{result.stdout}{result.stderr}")
    return result.stdout.strip().splitlines()[-1]


def start_server(env: dict, port: int) -> subprocess.Popen:
    # The command `metrodip serve` execs on SQLite, without its migrate/collectstatic (done once in prepare).
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "metrodiplomacy.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    problem = wait_for_answer(server, port, "/api/v1/organisations?limit=1", 60)
    if problem is None:
        return server
    kill(server)
    raise RuntimeError(f"the server did not answer within 60 s: {problem}")


def kill(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def writer(port: int, token: str, prefix: str, acknowledged: list, stop: threading.Event, failures: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    number = 0
    while not stop.is_set():
        key = f"{prefix}-{number}"
        number += 1
        body = json.dumps({"key": key, "owner": OWNER, "name": f"Written {key}", "kind": "ngo"})
        try:
            connection.request("POST", "/api/v1/organisations", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            # The server died under us: this write was never acknowledged, whatever became of it.
            failures.append(key)
            connection.close()
            if stop.wait(0.05):
                return
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        if 200 <= response.status < 300:
            acknowledged.append(key)
        else:
            failures.append(f"{key} → {response.status}")


def places_sheet(path: Path, prefix: str) -> None:
    header = "id,kind,name,country\n"
    rows = "".join(f"{prefix}-{i},region,Crash region {prefix} {i},FR\n" for i in range(SHEET_ROWS))
    path.write_text(header + rows)


def count(db: sqlite3.Connection, sql: str, *params) -> int:
    return db.execute(sql, params).fetchone()[0]


PACKAGE_TABLES = ("evidence_casestudy", "evidence_source", "evidence_citation", "diplomacy_agreement")


def package_counts(db: sqlite3.Connection) -> tuple[int, ...]:
    return tuple(count(db, f"SELECT COUNT(*) FROM {table}") for table in PACKAGE_TABLES)  # noqa: S608


def check(db_path: Path, outcome: Round, acknowledged: list[str], sheet: tuple | None, package: dict) -> None:
    db = sqlite3.connect(db_path)
    # The schema's CHECK constraints call REGEXP, which Django registers on its own connections.
    db.create_function("REGEXP", 2, lambda pattern, value: value is not None and bool(re.search(pattern, str(value))))
    try:
        outcome.integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        if outcome.integrity != "ok":
            outcome.problems.append(f"integrity_check: {outcome.integrity}")
        present = {row[0] for row in db.execute("SELECT key FROM actors_organisation WHERE key LIKE 'c%'")}
        missing = [key for key in acknowledged if key not in present]
        outcome.lost = len(missing)
        if missing:
            outcome.problems.append(f"{len(missing)} acknowledged writes lost, e.g. {missing[:3]}")
        if sheet is not None:
            prefix, exit_code = sheet
            rows = count(db, "SELECT COUNT(*) FROM places_place WHERE key LIKE ?", f"{prefix}-%")
            outcome.import_rows = f"{rows}/{SHEET_ROWS}"
            if exit_code not in (None, 0):
                # A refused sheet would pass "all or nothing" trivially: the crash test needs a valid one.
                outcome.problems.append(f"the spreadsheet import was refused before the kill (exit {exit_code})")
            if rows not in (0, SHEET_ROWS) or (exit_code == 0 and rows != SHEET_ROWS):
                outcome.problems.append(f"spreadsheet half-written: {rows} of {SHEET_ROWS} rows (exit {exit_code})")
        counts = package_counts(db)
        if outcome.importer == "package" and package["exit"] == 0 and package["full"] is None:
            # The first import that finished before the kill tells what a complete one leaves.
            package["full"] = counts
        full = package["full"]
        if outcome.importer == "package":
            outcome.import_rows = "none" if not any(counts) else "full" if counts == full else str(counts)
        if outcome.importer == "package" and package["exit"] not in (None, 0):
            outcome.problems.append(f"the data-package import failed before the kill (exit {package['exit']})")
        if any(counts) and counts != full:
            outcome.problems.append(f"data package half-written: {counts}, complete is {full or 'not seen yet'}")
    finally:
        db.close()


def run_round(number: int, env: dict, db_path: Path, token: str, work: Path, writers: int, package: dict) -> Round:
    outcome = Round(number)
    run = package["run"]
    port = free_port()
    server = start_server(env, port)
    acknowledged: list[str] = []
    failures: list[str] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=writer, args=(port, token, f"c{run}-r{number}-w{t}", acknowledged, stop, failures))
        for t in range(writers)
    ]
    importer = None
    sheet_prefix = ""
    outcome.importer = ("", "sheet", "", "package")[number % 4]
    if outcome.importer == "sheet":
        sheet_prefix = f"crash-{run}-r{number}"
        sheet = work / f"places-{number}.csv"
        places_sheet(sheet, sheet_prefix)
        importer = metrodip(env, "import", "sheet", str(sheet), "--entity", "places")
    elif outcome.importer == "package":
        importer = metrodip(env, "load", "casestudies")
    for thread in threads:
        thread.start()
    started = time.monotonic()
    if importer is not None and random.random() < 0.35:
        # Some imports are left to finish, then the server dies: a finished import must be all there.
        try:
            importer.wait(timeout=300)
        except subprocess.TimeoutExpired:
            pass
        time.sleep(random.uniform(0.1, 1.0))
    else:
        time.sleep(random.uniform(0.5, 6.0))
    outcome.killed_after = time.monotonic() - started
    kill(server)
    import_exit = None
    if importer is not None:
        import_exit = importer.poll()
        kill(importer)
    stop.set()
    for thread in threads:
        thread.join()
    outcome.acknowledged = len(acknowledged)
    outcome.failed_requests = len(failures)
    outcome.refusals = failures
    package["exit"] = import_exit if outcome.importer == "package" else None
    check(db_path, outcome, acknowledged, (sheet_prefix, import_exit) if sheet_prefix else None, package)
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=600, help="stop starting rounds after this long")
    parser.add_argument("--writers", type=int, default=4, help="concurrent writer connections")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--data", type=Path, help="data directory to prepare once and reuse (default: a new one)")
    options = parser.parse_args()
    seed = options.seed if options.seed is not None else random.randrange(1 << 30)
    random.seed(seed)
    work = Path(tempfile.mkdtemp(prefix="metrodip-crash-"))
    data = (options.data or work / "data").resolve()
    env = environment(data)
    started = time.monotonic()
    token_file = data / "crash-token"
    if token_file.exists():
        # Migrations added since the data directory was prepared must run before the server starts.
        subprocess.run([str(BIN / "metrodip"), "init"], env=env, cwd=ROOT, capture_output=True, check=True)
        token = token_file.read_text().strip()
    else:
        print("preparing the crash database (migrate, static files, a writer with a token) …", flush=True)
        token = prepare(env)
        token_file.write_text(token)
    db_path = data / "metrodiplomacy.sqlite3"
    with sqlite3.connect(db_path) as db:
        already = package_counts(db)
    # A reused database that holds the package holds all of it (an earlier run checked): that is complete.
    package = {"full": already if any(already) else None, "exit": None, "run": f"{seed:x}"}
    print(f"seed {seed}; database {db_path}; ready after {time.monotonic() - started:.0f} s")
    print(f"{'round':>5} {'import':>8} {'kill@s':>7} {'acked':>6} {'cut':>5} {'lost':>5} {'imported':>9} integrity")
    results = []
    for number in range(1, options.rounds + 1):
        if time.monotonic() - started > options.seconds:
            print(f"time limit of {options.seconds:.0f} s reached")
            break
        outcome = run_round(number, env, db_path, token, work, options.writers, package)
        results.append(outcome)
        print(
            f"{outcome.number:>5} {outcome.importer or '-':>8} {outcome.killed_after:7.2f} {outcome.acknowledged:6d} "
            f"{outcome.failed_requests:5d} {outcome.lost:5d} {outcome.import_rows or '-':>9} {outcome.integrity}",
            flush=True,
        )
        refused = [failure for failure in outcome.refusals if "→" in failure]
        if refused:
            print(f"      {len(refused)} refused by the server, e.g. {refused[0]}", flush=True)
        for problem in outcome.problems:
            print(f"      PROBLEM: {problem}", flush=True)
    # A last restart proves the database still opens and serves after the final kill.
    final = start_server(env, free_port())
    kill(final)
    acknowledged = sum(r.acknowledged for r in results)
    problems = sum(len(r.problems) for r in results)
    print(
        f"\n{len(results)} rounds in {time.monotonic() - started:.0f} s: {acknowledged} acknowledged writes, "
        f"{sum(r.lost for r in results)} lost; {sum(1 for r in results if r.importer)} imports killed or finished; "
        f"{problems} problem(s); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores."
    )
    sys.exit(1 if problems or not results else 0)


if __name__ == "__main__":
    main()
