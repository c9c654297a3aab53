"""Load test on loopback: `metrodip serve` over the case studies plus 5,000 generated agreements.

.venv/bin/python bench/load.py                 # full run: 20 s per scenario
.venv/bin/python bench/load.py --short         # 5 s per scenario (a smoke run)
.venv/bin/python bench/load.py --data DIR      # keep (or reuse) the prepared data directory between runs
.venv/bin/python bench/load.py --postgres URL  # over a fresh PostgreSQL database (metrodip_load) on URL's server

Preparation (once per data directory): migrate, `metrodip load casestudies`, then 5,000 public, published
agreements between 1,000 generated cities (two parties each), a reader and a writer with API tokens.
The server is started with `metrodip serve` (on SQLite: one process of 4 threads; on PostgreSQL one process
per core, each of 4 threads) and driven by a client written
with the standard library: processes of threads, each thread one keep-alive connection, bounded by time
(--seconds) and by request count (--max-requests) per scenario. Every scenario reports requests/s, p50/p95/p99
latency and errors (any refused connection, timeout or unexpected status counts).

Scenarios: public pages, their JSON twins and anonymous API lists at 16 connections; authenticated API lists
at 16; writes (API POST) at 16; all three mixed at 64. The client shares the machine's cores with the server:
the figures are a floor for the server, not its ceiling.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from loopback import free_port, fresh_postgres, throwaway_environment, wait_for_answer

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AGREEMENTS = 5000
CITIES = 1000
OWNER = "load-org"

PUBLIC = [
    "/",
    "/index.json",
    "/places/barcelona-metropolitan-area/",
    "/places/barcelona-metropolitan-area.json",
    "/places/paris/",
    "/organisations/c40/",
    "/sources/",
    "/sources.json",
    "/api/v1/agreements",
    "/api/v1/agreements?offset=4000&limit=50",
    "/api/v1/places",
    "/api/v1/organisations",
]
AUTHENTICATED = ["/api/v1/agreements", "/api/v1/organisations", "/api/v1/agreements?offset=2500", "/api/v1/places"]


def environment(data_dir: Path, database_url: str = "") -> dict[str, str]:
    # SQLite, the default deployment (DESIGN.md §6), unless --postgres names a server: a DATABASE_URL in the
    # caller's environment is never used, so a shared database is never written to.
    env = throwaway_environment(data_dir, "load-test-throwaway-key")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


GENERATE = f"""
import random
from django.contrib.auth import get_user_model
from django.db import transaction
from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.actors.services import ensure_owner_organisation
from metrodiplomacy.diplomacy.models import Agreement, AgreementParty
from metrodiplomacy.places.models import Place
from metrodiplomacy.workspaces.models import Membership
from metrodiplomacy.workspaces.services import create_token

random.seed(8)
with transaction.atomic():
    org = ensure_owner_organisation("{OWNER}", "Load organisation")
    Organisation.objects.filter(pk=org.pk).update(visibility="public", publication="published")
    Place.objects.bulk_create(
        [Place(key=f"gen-city-{{i}}", kind="city", name=f"Generated City {{i}}") for i in range({CITIES})]
    )
    cities = list(Place.objects.filter(key__startswith="gen-city-").values_list("pk", flat=True))
    Agreement.objects.bulk_create(
        [
            Agreement(
                key=f"gen-agreement-{{i}}", owner=org, visibility="public", publication="published",
                kind="twinning", title=f"Generated twinning {{i}}", year=1950 + i % 75, status="active",
            )
            for i in range({AGREEMENTS})
        ]
    )
    parties = []
    for agreement in Agreement.objects.filter(key__startswith="gen-agreement-").values_list("pk", flat=True):
        for place in random.sample(cities, 2):
            parties.append(AgreementParty(agreement_id=agreement, place_id=place))
    AgreementParty.objects.bulk_create(parties)
    User = get_user_model()
    reader, writer = User.objects.create_user("load-reader"), User.objects.create_user("load-writer")
    Membership.objects.create(user=reader, organisation=org, role="viewer")
    Membership.objects.create(user=writer, organisation=org, role="editor")
    print(create_token(reader, "load", read_only=True)[1])
    print(create_token(writer, "load")[1])
"""


def database_for(data_dir: Path, postgres: str) -> str:
    """The database URL: empty for SQLite; with --postgres, the one this directory was prepared in, or a fresh one.

    A directory keeps the database it was prepared on: its tokens are valid there only.
    """
    recorded = data_dir / "database-url"
    prepared = (data_dir / "load-tokens.json").exists()
    if not postgres:
        if recorded.exists():
            sys.exit(f"{data_dir} was prepared on PostgreSQL: run with --postgres, or give a fresh --data directory")
        return ""
    if recorded.exists():
        return recorded.read_text()
    if prepared:
        sys.exit(f"{data_dir} was prepared on SQLite: give --postgres a fresh --data directory")
    url = fresh_postgres(postgres, "metrodip_load")
    recorded.write_text(url)
    return url


def prepare(data_dir: Path, database_url: str = "") -> dict[str, str]:
    tokens_file = data_dir / "load-tokens.json"
    if tokens_file.exists():
        return json.loads(tokens_file.read_text())
    env = environment(data_dir, database_url)
    started = time.monotonic()
    for args in (["metrodip", "init"], ["metrodip", "load", "casestudies"]):
        print(f"  {' '.join(args)} …", flush=True)
        subprocess.run([str(BIN / args[0]), *args[1:]], env=env, cwd=ROOT, check=True, capture_output=True)
    print(f"  generating {AGREEMENTS} agreements between {CITIES} cities …", flush=True)
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", GENERATE], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"generating the data failed:\n{result.stderr}")
    reader, writer = result.stdout.strip().splitlines()[-2:]
    tokens = {"reader": reader, "writer": writer}
    tokens_file.write_text(json.dumps(tokens))
    print(f"  prepared in {time.monotonic() - started:.0f} s", flush=True)
    return tokens


def start_server(data_dir: Path, port: int, threads: int, database_url: str = "") -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "metrodip"), "serve", "--port", str(port), "--threads", str(threads)],
        env=environment(data_dir, database_url),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # `metrodip serve` migrates and collects static files first: that takes a while on a busy machine.
    problem = wait_for_answer(server, port, "/api/v1/places?limit=1", 600)
    if problem is None:
        return server
    stop_server(server)
    sys.exit(f"the server did not start ({problem})")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def request_for(kind: str, path: str, tokens: dict, counter: list) -> tuple[str, str, str | None, dict, int]:
    """(method, path, body, headers, the statuses that count as success)."""
    if kind == "public":
        return "GET", path, None, {}, 200
    if kind == "auth":
        return "GET", path, None, {"Authorization": f"Bearer {tokens['reader']}"}, 200
    counter[0] += 1
    key = f"load-{os.getpid()}-{threading.get_ident() % 100000}-{counter[0]}"
    body = json.dumps({"key": key, "owner": OWNER, "name": f"Written {key}", "kind": "ngo"})
    headers = {"Authorization": f"Bearer {tokens['writer']}", "Content-Type": "application/json"}
    return "POST", "/api/v1/organisations", body, headers, 201


def connection_loop(port, mix, tokens, deadline, budget, results, lock) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    counter = [0]
    latencies, errors, reasons = [], 0, {}
    rng = random.Random()
    while time.monotonic() < deadline:
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        kind, path = rng.choice(mix)
        method, path, body, headers, expected = request_for(kind, path, tokens, counter)
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies.append(time.perf_counter() - start)
        if status != expected:
            errors += 1
            reason = f"{method} {path.split('?')[0]} → {status}"
            reasons[reason] = reasons.get(reason, 0) + 1
    with lock:
        results["latencies"].extend(latencies)
        results["errors"] += errors
        for reason, number in reasons.items():
            results["reasons"][reason] = results["reasons"].get(reason, 0) + number


def client_process(port, mix, tokens, connections, seconds, budget, queue) -> None:
    lock = threading.Lock()
    results = {"latencies": [], "errors": 0, "reasons": {}}
    deadline = time.monotonic() + seconds
    shared = [budget]
    threads = [
        threading.Thread(target=connection_loop, args=(port, mix, tokens, deadline, shared, results, lock))
        for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(results)


def scenario(name, port, mix, tokens, connections, seconds, max_requests, processes) -> dict:
    queue = multiprocessing.Queue()
    split = [connections // processes + (1 if i < connections % processes else 0) for i in range(processes)]
    workers = [
        multiprocessing.Process(
            target=client_process, args=(port, mix, tokens, n, seconds, max_requests // processes, queue)
        )
        for n in split
        if n
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    gathered = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(x for part in gathered for x in part["latencies"])
    reasons: dict[str, int] = {}
    for part in gathered:
        for reason, number in part["reasons"].items():
            reasons[reason] = reasons.get(reason, 0) + number

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {
        "scenario": name,
        "connections": connections,
        "requests": len(latencies),
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "errors": sum(part["errors"] for part in gathered),
        "reasons": reasons,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="5 s per scenario instead of --seconds")
    parser.add_argument("--seconds", type=float, default=20, help="duration of each scenario")
    parser.add_argument("--max-requests", type=int, default=50000, help="request budget of each scenario")
    parser.add_argument("--data", type=Path, help="data directory to prepare or reuse (default: a new temp one)")
    parser.add_argument("--threads", type=int, default=4, help="server threads (metrodip serve --threads)")
    parser.add_argument("--client-processes", type=int, default=2, help="client processes (the GIL caps one)")
    parser.add_argument("--only", default="", help="comma-separated scenario names to run")
    parser.add_argument(
        "--postgres",
        default="",
        help="a PostgreSQL URL: its server gets a fresh database metrodip_load (with a fresh --data directory)",
    )
    options = parser.parse_args()
    seconds = 5 if options.short else options.seconds
    data_dir = (options.data or Path(tempfile.mkdtemp(prefix="metrodip-load-"))).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"data directory {data_dir}", flush=True)
    database_url = database_for(data_dir, options.postgres)
    tokens = prepare(data_dir, database_url)
    port = free_port()
    server = start_server(data_dir, port, options.threads, database_url)
    public = [("public", path) for path in PUBLIC]
    auth = [("auth", path) for path in AUTHENTICATED]
    writes = [("write", "")]
    plan = [
        ("public reads", public, 16),
        ("authenticated lists", auth, 16),
        ("writes", writes, 16),
        ("mixed overload", public * 2 + auth + writes * 2, 64),
    ]
    chosen = {name.strip() for name in options.only.split(",") if name.strip()}
    try:
        # Warm-up: the first request of a page draws its charts and fills caches; readers then see warm pages.
        for path in PUBLIC:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            connection.request("GET", path)
            status = connection.getresponse().status
            if status != 200:
                sys.exit(f"warm-up: {path} answered {status}")
        rows = []
        for name, mix, connections in plan:
            if chosen and name not in chosen:
                continue
            row = scenario(
                name, port, mix, tokens, connections, seconds, options.max_requests, options.client_processes
            )
            rows.append(row)
            print(
                f"{row['scenario']:<22} {row['connections']:>4} conn {row['requests']:>7} req "
                f"{row['rate']:8.1f} req/s  p50 {row['p50']:7.1f} ms  p95 {row['p95']:7.1f} ms  "
                f"p99 {row['p99']:7.1f} ms  errors {row['errors']}",
                flush=True,
            )
            for reason, number in sorted(row["reasons"].items(), key=lambda item: -item[1])[:5]:
                print(f"    {number} × {reason}")
    finally:
        stop_server(server)
    load = os.getloadavg()[0]
    print(
        f"\n{seconds:.0f} s (at most {options.max_requests} requests) per scenario; server threads {options.threads}; "
        f"{options.client_processes} client processes; {'PostgreSQL' if database_url else 'SQLite'}; "
        f"load average {load:.1f} on {os.cpu_count()} cores."
    )


if __name__ == "__main__":
    main()
