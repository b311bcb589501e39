"""Benchmark: the saved queries on the UN General Debate corpus, and loading a SPARQL server.

    python bench/bench_query.py [CORPUS_DIR] [--runs 20] [--budget 10] [--rdflib-timeout 60]
                                [--store PATH] [--skip-rdflib]

Builds the corpus into a new embedded store (``kg.build.build_store``; ``--store`` reuses one
already built from it instead), then prints:

1. the p50 and p95 latency of every saved query (``queries/*.rq``) on the embedded Oxigraph
   store, over ``--runs`` runs after a warm-up (fewer for a query whose runs would take more
   than ``--budget`` seconds), results read in full;
2. the same queries on rdflib's in-memory ``Dataset`` (``default_union=True``) loaded with the
   same quads, each run once in a forked process that is killed after ``--rdflib-timeout``
   seconds, and the overall speed-up (total rdflib time over total Oxigraph p50; a query that
   timed out counts as the timeout, so the speed-up is then a lower bound; a query rdflib fails
   on is reported and left out of it);
   ``--skip-rdflib`` leaves 2 and 3 out, to iterate on the queries;
3. the time to load the same N-Quads into the embedded store and into an Oxigraph server
   started here on 127.0.0.1 (one POST to its /store endpoint), each in one transaction and
   through its bulk loader.

Targets (issue 4): p50 <= 50 ms per saved query; >= 30x faster than rdflib overall; server
load within 2x of the embedded store's.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ungd"
TARGET_P50_MS, TARGET_SPEEDUP, TARGET_LOAD_RATIO = 50.0, 30.0, 2.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_embedded(store, text: str, runs: int, budget: float) -> tuple[float, float, int, int]:  # noqa: ANN001
    """p50 and p95 in ms of ``run_query`` (the result read in full), the row count and the
    number of runs: fewer than ``runs`` for a query slower than ``budget`` seconds in all."""
    from kg.query import run_query

    start = time.perf_counter()
    result = run_query(store, text)  # warm-up
    runs = max(1, min(runs, int(budget / (time.perf_counter() - start))))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run_query(store, text)
        times.append((time.perf_counter() - start) * 1000)
    rows = len(getattr(result, "rows", ())) or len(getattr(result, "triples", ()))
    return percentile(times, 0.5), percentile(times, 0.95), rows, runs


def _rdflib_child(dataset, text: str, prefixes: dict[str, str], conn) -> None:  # noqa: ANN001
    start = time.perf_counter()
    try:
        rows = len(list(dataset.query(text, initNs=prefixes)))
    except Exception as err:  # noqa: BLE001 - rdflib's own failure, reported as such
        conn.send((None, f"{type(err).__name__}: {err}"))
        return
    conn.send(((time.perf_counter() - start) * 1000, rows))


def time_rdflib(dataset, text: str, prefixes: dict[str, str], timeout: float) -> tuple[float | None, int | str]:  # noqa: ANN001
    """One run of ``text`` on rdflib in a forked process: ms and rows; (None, 0) past
    ``timeout``; (None, message) when rdflib fails on the query."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_rdflib_child, args=(dataset, text, prefixes, send))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return None, 0
    return receive.recv() if receive.poll() else (None, "the process died")


def load_server(nquads: Path, bulk: bool) -> float:
    """Seconds to POST ``nquads`` to a new Oxigraph server started on 127.0.0.1: in one
    transaction, or (``bulk``) through its bulk loader."""
    from kg.store import RemoteStore

    command = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if command is None:
        raise SystemExit("the oxigraph command is missing: pip install oxigraph")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as location:
        server = subprocess.Popen([command, "serve", "--location", location, "--bind", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(600):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            store = RemoteStore(f"http://127.0.0.1:{port}", timeout=600, bulk=bulk)
            data = nquads.read_bytes()
            start = time.perf_counter()
            store.add(data)
            seconds = time.perf_counter() - start
            assert store.count_quads() > 0
            return seconds
        finally:
            server.terminate()
            server.wait(10)


def load_embedded(nquads: Path, folder: Path, bulk: bool) -> float:
    from kg.store import EmbeddedStore

    data = nquads.read_bytes()
    store = EmbeddedStore(folder, bulk=bulk)
    start = time.perf_counter()
    store.add(data)
    store.flush()
    seconds = time.perf_counter() - start
    store.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds of runs per query, at most")
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument("--store", type=Path, help="an embedded store already built from the corpus")
    parser.add_argument("--skip-rdflib", action="store_true", help="time the embedded store only")
    args = parser.parse_args()

    import pyoxigraph as ox
    from rdflib import Dataset

    from kg.build import build_store
    from kg.query import PREFIXES, bind_params, list_saved_queries
    from kg.store import EmbeddedStore

    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        start = time.perf_counter()
        if args.store:
            store = EmbeddedStore(args.store, read_only=True)
            print(f"opened {args.store}")
        else:
            report, store = build_store([args.corpus], tmp / "store")
            print(f"built {report.documents} documents in {time.perf_counter() - start:.1f} s")
        quads = store.count_quads()
        print(f"{quads:,} quads")
        nquads = tmp / "all.nq"
        store.dump(nquads, ox.RdfFormat.N_QUADS)

        queries = {q.name: bind_params(q.text, q.example) for q in list_saved_queries()}
        print(f"\n1. saved queries on the embedded store ({args.runs} runs after a warm-up; target p50 <= {TARGET_P50_MS:.0f} ms)")
        print(f"{'query':<28} {'p50 ms':>8} {'p95 ms':>8} {'rows':>6} {'runs':>5}")
        embedded = {}
        for name, text in queries.items():
            p50, p95, rows, runs = time_embedded(store, text, args.runs, args.budget)
            embedded[name] = p50
            flag = "" if p50 <= TARGET_P50_MS else "  MISSES TARGET"
            print(f"{name:<28} {p50:>8.1f} {p95:>8.1f} {rows:>6} {runs:>5}{flag}", flush=True)
        store.close()
        if args.skip_rdflib:
            return

        start = time.perf_counter()
        dataset = Dataset(default_union=True)
        dataset.parse(str(nquads), format="nquads")
        print(f"\n2. the same on rdflib's in-memory Dataset (loaded in {time.perf_counter() - start:.0f} s; one run each, "
              f"killed after {args.rdflib_timeout:.0f} s)")
        print(f"{'query':<28} {'rdflib ms':>10} {'rows':>6} {'speed-up':>9}")
        total_rdflib, total_embedded, lower_bound, failed = 0.0, 0.0, False, []
        for name, text in queries.items():
            ms, rows = time_rdflib(dataset, text, PREFIXES, args.rdflib_timeout)
            if isinstance(rows, str):
                failed.append(name)
                print(f"{name:<28} {'failed':>10}  rdflib: {rows[:100]}", flush=True)
                continue
            if ms is None:
                ms, lower_bound = args.rdflib_timeout * 1000, True
                print(f"{name:<28} {'>' + format(args.rdflib_timeout, '.0f') + ' s':>10} {'':>6} {'>' + format(ms / embedded[name], '.0f') + 'x':>9}", flush=True)
            else:
                print(f"{name:<28} {ms:>10.0f} {rows:>6} {ms / embedded[name]:>8.0f}x", flush=True)
            total_rdflib += ms
            total_embedded += embedded[name]
        del dataset
        speedup = total_rdflib / total_embedded
        left_out = f", over the {len(queries) - len(failed)} queries rdflib answers" if failed else ""
        print(f"overall: {'>=' if lower_bound else ''}{speedup:.0f}x faster than rdflib{left_out} (target >= {TARGET_SPEEDUP:.0f}x)")

        print(f"\n3. loading the same {quads:,} quads ({nquads.stat().st_size / 2**20:.0f} MiB of N-Quads)")
        transactional = load_embedded(nquads, tmp / "load-tx", bulk=False)
        bulk = load_embedded(nquads, tmp / "load-bulk", bulk=True)
        server = load_server(nquads, bulk=False)
        server_bulk = load_server(nquads, bulk=True)
        print(f"embedded store, one transaction:              {transactional:.1f} s")
        print(f"embedded store, bulk loader:                  {bulk:.1f} s")
        print(f"Oxigraph server, one POST in a transaction:   {server:.1f} s = {server / transactional:.2f}x "
              f"the embedded transaction (target <= {TARGET_LOAD_RATIO:.0f}x)")
        print(f"Oxigraph server, one POST to its bulk loader: {server_bulk:.1f} s = {server_bulk / bulk:.2f}x "
              f"the embedded bulk loader (target <= {TARGET_LOAD_RATIO:.0f}x)")


if __name__ == "__main__":
    main()
