"""Benchmark of the twinning import and graph analytics (not a test): time and peak memory of each step.

    .venv/bin/python bench/bench_twinning.py [--file CSV] [--postgres URL] [--scale 10] [--skip STEP ...]

Each step runs in its own process on a fresh database, so its peak resident memory (ru_maxrss) is its own:
the import of the file on SQLite (and a re-import), the same on PostgreSQL, the graph metrics, the page
of the most connected city (its ego table and drawing), igraph against the pure-Python baseline on the
same graph, and the import of a synthetic file `--scale` times the size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import loopback

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT.parent / "shared" / "data" / "twin_cities_raw.csv"
STEPS = ("sqlite", "postgres", "metrics", "page", "baseline", "synthetic")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(database_url: str | None) -> None:
    os.environ.setdefault("METRODIP_DEBUG", "1")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metrodiplomacy.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def step_import(path: Path, database_url: str | None) -> dict:
    setup(database_url)
    from metrodiplomacy.importers.twinning import import_twinning

    start = time.perf_counter()
    report = import_twinning(path)
    first = time.perf_counter() - start
    start = time.perf_counter()
    again = import_twinning(path)
    return {
        "rows": len(report.pairs),
        "matched rows": report.matched_pairs,
        "match rate": round(report.match_rate, 4),
        "agreements written": report.written.get("agreements", 0),
        "import s": round(first, 1),
        "re-import s": round(time.perf_counter() - start, 1),
        "re-import writes": sum(again.written.values()) + again.queued,
        "peak MiB": round(peak_mib()),
    }


def step_metrics(path: Path) -> dict:
    setup(None)
    from metrodiplomacy.analysis.twinning import all_metrics, countries_table, country_pairs
    from metrodiplomacy.importers.twinning import import_twinning
    from metrodiplomacy.observatory.inputs.twinning import twinning_graph
    from metrodiplomacy.records import OPERATOR

    import_twinning(path)

    def run():
        start = time.perf_counter()
        graph = twinning_graph(OPERATOR)
        loaded = time.perf_counter() - start
        all_metrics(graph)
        countries_table(graph)
        country_pairs(graph)
        return graph, loaded, time.perf_counter() - start

    graph, loaded, total = run()
    # A second run under tracemalloc for the memory figure only: tracing slows Python several times over.
    tracemalloc.start()
    run()
    _current, traced = tracemalloc.get_traced_memory()
    return {
        "cities": graph.graph.vcount(),
        "pairs": graph.graph.ecount(),
        "graph from database s": round(loaded, 2),
        "all metrics incl. loading s": round(total, 2),
        "Python allocations peak MiB": round(traced / 2**20, 1),
    }


def step_page(path: Path) -> dict:
    setup(None)
    from metrodiplomacy.analysis.twinning import ego_network
    from metrodiplomacy.analysis.twinning_svg import ego_svg, world_map_svg
    from metrodiplomacy.importers.twinning import import_twinning
    from metrodiplomacy.observatory.inputs.twinning import twinning_graph
    from metrodiplomacy.records import OPERATOR

    import_twinning(path)
    start = time.perf_counter()
    graph = twinning_graph(OPERATOR)
    top = max(range(graph.graph.vcount()), key=lambda v: graph.degrees[v])
    ego_network(graph, top)
    svg = ego_svg(graph, top)
    page = time.perf_counter() - start
    start = time.perf_counter()
    world = world_map_svg(graph)
    return {
        "city": graph.cities[top].label,
        "twins": graph.degrees[top],
        "ego table + drawing incl. loading s": round(page, 2),
        "ego svg KiB": round(len(svg) / 1024),
        "world map s": round(time.perf_counter() - start, 2),
        "world map KiB": round(len(world) / 1024),
    }


def step_baseline(path: Path) -> dict:
    setup(None)
    from metrodiplomacy.analysis import twinning_baseline as baseline
    from metrodiplomacy.analysis.twinning import BETWEENNESS_SOURCES
    from metrodiplomacy.importers.twinning import import_twinning
    from metrodiplomacy.observatory.inputs.twinning import twinning_graph
    from metrodiplomacy.records import OPERATOR

    import_twinning(path)
    graph = twinning_graph(OPERATOR)
    g, n = graph.graph, graph.graph.vcount()
    sources = random.Random(7).sample(range(n), BETWEENNESS_SOURCES)
    timings = {}
    start = time.perf_counter()
    g.degree(), g.connected_components(), g.pagerank(directed=False), g.betweenness(directed=False, sources=sources)
    timings["igraph s"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    neighbours = baseline.adjacency(n, [(e.source, e.target) for e in g.es])
    baseline.degrees(neighbours), baseline.components(neighbours), baseline.pagerank(neighbours)
    baseline.betweenness(neighbours, sources=sources)
    timings["pure Python s"] = round(time.perf_counter() - start, 2)
    timings["work"] = f"degree, components, PageRank, betweenness from {len(sources)} sources on {n} cities"
    return timings


def synthetic_file(scale: int, directory: Path, seed: int = 11) -> Path:
    """A twinning list `scale` times the real one: real GeoNames names, heavy-tailed degrees, no repeats."""
    from metrodiplomacy.places import gazetteer

    rng = random.Random(seed)
    countries = gazetteer.countries()
    cities = sorted(
        (c for c in gazetteer.all_cities().values() if c.country_iso2 in countries and c.population >= 1000),
        key=lambda c: -c.population,
    )[: 10_000 * scale]
    weights = [1 / (rank + 10) for rank in range(len(cities))]  # Zipf-like: big cities have more twins
    wanted, seen = 26_114 * scale, set()
    path = directory / f"twin_cities_x{scale}.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("city1,country1,city2,country2\n")
        while len(seen) < wanted:
            batch = rng.choices(range(len(cities)), weights=weights, k=20_000)
            for a, b in zip(batch[::2], batch[1::2], strict=True):
                if a != b and (min(a, b), max(a, b)) not in seen and len(seen) < wanted:
                    seen.add((min(a, b), max(a, b)))
                    ca, cb = cities[a], cities[b]
                    handle.write(
                        f'"{ca.name}","{countries[ca.country_iso2].name}","{cb.name}","{countries[cb.country_iso2].name}"\n'
                    )
    return path


def step_synthetic(scale: int) -> dict:
    directory = Path(tempfile.mkdtemp(prefix="metrodip-bench-x"))
    start = time.perf_counter()
    path = synthetic_file(scale, directory)
    generated = time.perf_counter() - start
    result = step_import(path, None)
    result["generate s"] = round(generated, 1)
    return result


def run_step(step: str, args) -> dict:
    env = {**os.environ, "METRODIP_DATA_DIR": tempfile.mkdtemp(prefix="metrodip-bench-"), "METRODIP_DEBUG": "1"}
    command = [sys.executable, __file__, "--child", step, "--file", str(args.file), "--scale", str(args.scale)]
    if step == "postgres":
        command += ["--postgres", args.postgres]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_postgres(url: str) -> str:
    return loopback.fresh_postgres(url, "metrodip_bench_twinning")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument(
        "--postgres", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/metrodiplomacy")
    )
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--skip", nargs="*", default=[], choices=STEPS)
    parser.add_argument("--child", choices=STEPS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        handlers = {
            "sqlite": lambda: step_import(args.file, None),
            "postgres": lambda: step_import(args.file, args.postgres),
            "metrics": lambda: step_metrics(args.file),
            "page": lambda: step_page(args.file),
            "baseline": lambda: step_baseline(args.file),
            "synthetic": lambda: step_synthetic(args.scale),
        }
        print(json.dumps(handlers[args.child](), ensure_ascii=False))
        return
    print(f"Twinning benchmark of {args.file} on {os.cpu_count()} CPU(s)")
    for step in STEPS:
        if step in args.skip:
            continue
        if step == "postgres":
            try:
                args.postgres = fresh_postgres(args.postgres)
            except Exception as error:  # noqa: BLE001 - any connection failure means: skip PostgreSQL
                print(f"{step:<10} skipped: PostgreSQL unreachable ({error.__class__.__name__})")
                continue
        result = run_step(step, args)
        print(f"{step:<10} " + ", ".join(f"{key}: {value}" for key, value in result.items()), flush=True)


if __name__ == "__main__":
    main()
