"""The robustness suite: builds killed, interrupted and run twice at once, and kg serve under
load and hostile requests. It prints one row per case (expected, observed) and exits 1 when
any case fails; it never judges by wall-clock time.

    python bench/bench_robustness.py [CORPUS_DIR] [--copies 10] [--kills 20] [--seed 0] [--quick]

CORPUS_DIR holds .txt speeches, e.g. ../shared/corpus/ungd/2015 (193 speeches); without it, the
bundled sample's twelve speeches copied ``--copies`` times. ``--quick`` runs fewer trials of
each case: ``make test`` runs it on two copies of the sample.

Cases:
1. SIGKILL during a rebuild, at a seeded moment: every document graph is its old version or its
   new one (none lost, none partial); a rerun gives exactly the fresh build's graphs.
2. SIGKILL during a new build: no store or a whole one; the next build removes the partial one.
3. SIGKILL while documents are added to a store: each added document is absent or whole.
4. Two builds at once, into a new store and into an existing one: one builds, the other is
   refused in one line; the store holds every document.
5. Ctrl-C (SIGINT to the process group) during a build: the build stops within 30 s.
6. kg serve over the built store: 10 clients x 50 saved queries; errors and p50/p99 latency.
7. kg serve against hostile requests: SERVICE and LOAD spellings with a canary listener as their
   target (0 connections), bodies that lie about their length or never end, and four heavy
   queries at once (the server's own peak memory must not grow by more than 16 MiB).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
KG = [sys.executable, "-c", "from kg.cli import main; main()"]
ADDED = "\n\nChina and Brazil signed a cooperation agreement on space technology.\n"
DOC_GRAPHS = "https://w3id.org/irkg/graph/doc/"
DERIVED = ("https://w3id.org/irkg/graph/facts", "https://w3id.org/irkg/graph/entities")


@dataclass
class Row:
    case: str
    expected: str
    observed: str
    ok: bool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--copies", type=int, default=10, help="copies of the sample without CORPUS_DIR")
    parser.add_argument("--kills", type=int, default=20, help="seeded SIGKILLs of rebuilds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="fewer trials of each case (CI)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-robustness-"))
    try:
        docs = corpus(args.corpus, args.copies, work / "docs")
        print(f"corpus: {len(list(docs.iterdir()))} documents; work folder {work}", flush=True)
        rows = run_cases(docs, work, kills=3 if args.quick else args.kills, seed=args.seed, quick=args.quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{'case':<58} {'expected':<34} observed")
    for row in rows:
        print(f"{row.case:<58} {row.expected:<34} {row.observed}{'' if row.ok else '   <-- FAILED'}")
    failed = sum(not row.ok for row in rows)
    print(f"\n{len(rows) - failed} of {len(rows)} cases as expected")
    sys.exit(1 if failed else 0)


def corpus(given: Path | None, copies: int, into: Path) -> Path:
    """A private copy of the documents, which the cases edit."""
    into.mkdir(parents=True)
    if given is None:
        for copy in range(copies):
            for speech in (ROOT / "examples" / "sample" / "ungd").iterdir():
                shutil.copy(speech, into / f"{copy}-{speech.name}")
    elif not given.is_dir():
        raise SystemExit(f"{given}: no such folder")
    else:
        for path in sorted(given.rglob("*.txt")):
            shutil.copy(path, into / path.name)
    return into


def run_cases(docs: Path, work: Path, *, kills: int, seed: int, quick: bool) -> list[Row]:
    live = work / "live"  # the documents a user edits and rebuilds, always from the same folder
    shutil.copytree(docs, live)
    old_store, new_store = work / "old", work / "new"
    started = time.monotonic()
    build(live, old_store)
    old = graphs(old_store)
    for path in live.iterdir():
        path.write_text(path.read_text(encoding="utf-8") + ADDED, encoding="utf-8")
    build(live, new_store)
    new = graphs(new_store)
    span = (time.monotonic() - started) / 2  # about one build's time: kills land anywhere in it
    print(f"a build takes about {span:.1f} s", flush=True)
    moments = random.Random(seed)

    def draw(count: int) -> list[float]:
        return [moments.uniform(0.2, span * 1.2) for _ in range(count)]

    return [
        kill_rebuilds(live, old_store, old, new, work, draw(kills)),
        kill_new_builds(live, new, work, draw(2 if quick else 5)),
        kill_additions(docs, work, draw(2 if quick else 5)),
        concurrent_builds(live, new_store, work, trials=1 if quick else 3),
        interrupts(live, work, trials=3 if quick else 15, span=span),
        serve_load(new_store, clients=4 if quick else 10, queries=25 if quick else 50),
        *serve_hostile(new_store),
    ]


def kill_rebuilds(docs: Path, old_store: Path, old: dict, new: dict, work: Path, moments: list[float]) -> Row:
    lost = partial = stale = wrong_after = between = 0
    for number, moment in enumerate(moments):
        store = work / f"rebuild-{number}"
        shutil.copytree(old_store, store)
        killed_at(moment, "build", str(docs), "--store", str(store), "--no-exports")
        found = graphs(store)
        lost += len(old.keys() - found.keys())
        partial += sum(quads not in (old[iri], new[iri]) for iri, quads in found.items() if iri in old)
        renewed = sum(quads == new[iri] for iri, quads in found.items() if iri in new)
        between += 0 < renewed < len(new)  # killed between two batches' writes
        stale += not derived_match_documents(store, work / "rewritten")
        build(docs, store)
        wrong_after += graphs(store) != new
        shutil.rmtree(store)
    return Row(f"SIGKILL during a rebuild x{len(moments)}", "0 lost, 0 partial, 0 stale facts",
               f"{lost} lost, {partial} partial, {stale} stale facts or entities, {wrong_after} reruns differ "
               f"({between} killed between two batches)", lost == partial == stale == wrong_after == 0)


def derived_match_documents(store_path: Path, scratch: Path) -> bool:
    """Whether graph:facts and graph:entities are what the documents in the store give."""
    from kg.build import rewrite_derived
    from kg.store import Store

    shutil.copytree(store_path, scratch)
    try:
        rewritten = Store(scratch)
        rewrite_derived(rewritten)
        rewritten.close()
        return all(derived(store_path, name) == derived(scratch, name) for name in DERIVED)
    finally:
        shutil.rmtree(scratch)


def derived(store_path: Path, name: str) -> frozenset[str]:
    store = ox.Store.read_only(str(store_path))
    return frozenset(str(q) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name)))


def kill_new_builds(docs: Path, built: dict, work: Path, moments: list[float]) -> Row:
    bad = leftovers = 0
    for number, moment in enumerate(moments):
        store = work / f"new-{number}"
        killed_at(moment, "build", str(docs), "--store", str(store), "--no-exports")
        bad += store.exists() and graphs(store) != built
        build(docs, store)
        leftovers += store.with_name(store.name + ".partial").exists() or graphs(store) != built
        shutil.rmtree(store)
    return Row(f"SIGKILL during a new build x{len(moments)}", "no store or a whole one",
               f"{bad} half-written stores, {leftovers} left behind", bad == leftovers == 0)


def kill_additions(docs: Path, work: Path, moments: list[float]) -> Row:
    names = sorted(p.name for p in docs.iterdir())
    first, second = work / "first-half", work / "second-half"
    for folder, part in ((first, names[::2]), (second, names[1::2])):
        folder.mkdir()
        for name in part:
            shutil.copy(docs / name, folder / name)
    half, whole = work / "half-store", work / "whole-store"
    build(first, half)
    build(first, whole)
    build(second, whole)
    expected = graphs(whole)
    partial = 0
    for number, moment in enumerate(moments):
        store = work / f"add-{number}"
        shutil.copytree(half, store)
        killed_at(moment, "build", str(second), "--store", str(store), "--no-exports")
        partial += sum(quads != expected[iri] for iri, quads in graphs(store).items())
        shutil.rmtree(store)
    return Row(f"SIGKILL while adding documents x{len(moments)}", "each document absent or whole",
               f"{partial} partial", partial == 0)


def concurrent_builds(docs: Path, built_store: Path, work: Path, trials: int) -> Row:
    outcomes = []
    expected = len(graphs(built_store))
    for number in range(trials):
        for kind in ("new", "existing"):
            store = work / f"twice-{kind}-{number}"
            if kind == "existing":
                shutil.copytree(built_store, store)
            first, second = (kg("build", str(docs), "--store", str(store), "--no-exports") for _ in range(2))
            results = [(p.wait(600), p.stderr.read()) for p in (first, second)]
            statuses = sorted(status for status, _ in results)
            refused = [err for status, err in results if status == 1]  # a build refused: a failed run
            clean = all("another kg build is writing" in err and "Traceback" not in err for err in refused)
            whole = store.exists() and len(graphs(store)) == expected
            # Both may succeed one after the other when the first ends before the second starts.
            outcomes.append(whole and clean and statuses in ([0, 1], [0, 0]))
            shutil.rmtree(store, ignore_errors=True)
    return Row(f"two builds at once x{len(outcomes)}", "0 corrupt stores, clear refusals",
               f"{outcomes.count(False)} bad", all(outcomes))


def interrupts(docs: Path, work: Path, trials: int, span: float) -> Row:
    hangs = tracebacks = 0
    for number in range(trials):
        store = work / f"interrupted-{number}"
        process = kg("build", str(docs), "--store", str(store), "--no-exports")
        time.sleep(random.Random(number).uniform(0.5, max(0.6, span * 0.8)))
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            hangs += 1
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        tracebacks += "Traceback" in process.stderr.read()
        shutil.rmtree(store, ignore_errors=True)
    return Row(f"Ctrl-C during a build x{trials}", "0 hangs, 0 tracebacks", f"{hangs} hangs, {tracebacks} tracebacks",
               hangs == tracebacks == 0)


def serve_load(store: Path, clients: int, queries: int) -> Row:
    from kg.query import list_saved_queries
    from kg.store import Store

    # The examples' document is one of the sample's; the copies here carry a prefix ("0-CHN_76_2021"),
    # and a document that is not in the store is refused (400), so ask for one that is.
    opened = Store(store, read_only=True)
    [row] = opened.select("SELECT ?id { ?d <https://w3id.org/irkg/ontology#documentId> ?id } ORDER BY ?id LIMIT 1")
    opened.close()
    examples = [(q.name, {k: row["id"].value if k == "document" else v for k, v in q.example.items()})
                for q in list_saved_queries()]
    port = free_port()
    server = kg("serve", "--store", str(store), "--port", str(port), "--timeout", "30")
    try:
        wait_for(port)
        targets = [f"/saved/{name}?{urllib.parse.urlencode(example)}" for name, example in examples]

        def client(number: int) -> list[tuple[int, float]]:
            answers = []
            for i in range(queries):
                started = time.perf_counter()
                status = get(port, targets[(number * 7 + i) % len(targets)])
                answers.append((status, time.perf_counter() - started))
            return answers

        with ThreadPoolExecutor(clients) as pool:
            answers = [a for found in pool.map(client, range(clients)) for a in found]
    finally:
        server.terminate()
        server.wait(10)
    errors = sum(status != 200 for status, _ in answers)
    latencies = sorted(seconds * 1000 for _, seconds in answers)
    p50, p99 = latencies[len(latencies) // 2], latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return Row(f"{clients} clients x {queries} saved queries", "0 errors",
               f"{errors} errors; p50 {p50:.0f} ms, p99 {p99:.0f} ms", errors == 0)


SPELLINGS = [
    "SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ BIND(ent:a\\# AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ BIND(ent:a\\' AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }} # '",
    "BASE <http://ok.example/> BASE <{url}> SELECT * {{ SERVICE <> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE <{escaped}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX c: <{url}> SELECT * {{ sErViCe SILENT c:x {{ ?s ?p ?o }} }}",
    "SELECT * {{ OPTIONAL {{ {{ SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }}",
    "SELECT * {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ # comment\r SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ VALUES ?u {{ <{url}> }} SERVICE ?u {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE <http://ok.example@{authority}/> {{ ?s ?p ?o }} }}",
]


def serve_hostile(store: Path) -> list[Row]:
    port, canary = free_port(), Canary()
    url = f"http://127.0.0.1:{canary.port}/sparql"
    server = kg("serve", "--store", str(store), "--port", str(port), "--timeout", "20",
                "--max-query-memory", "256", "--allow-service", "ok.example")
    try:
        wait_for(port)
        statuses = []
        for spelling in SPELLINGS:
            query = spelling.format(url=url, escaped=url.replace("/", "\\u002F"), authority=f"127.0.0.1:{canary.port}")
            statuses.append(get(port, "/sparql?query=" + urllib.parse.quote(query)))
            statuses.append(post(port, b"Content-Type: application/sparql-query", query.encode()))
        loads = [f"LOAD <{url}>", f"LOAD SILENT <{url}> INTO GRAPH <urn:g>"]
        statuses += [post(port, b"Content-Type: application/sparql-update", update.encode()) for update in loads]
        calls = Row(f"SERVICE and LOAD spellings x{len(statuses)} at a canary", "0 connections, all refused",
                    f"{canary.connections} connections, statuses {sorted(set(statuses))}",
                    canary.connections == 0 and all(400 <= s < 500 for s in statuses))
        before = peak_rss(server.pid)
        bodies = [post(port, b"Content-Length: -1", b"x" * 1024, length=False),
                  post(port, b"Content-Length: abc", b"x" * 1024, length=False),
                  post(port, f"Content-Length: {600 << 20}".encode(), b"x" * (64 << 20), length=False),
                  post(port, b"Transfer-Encoding: chunked", b"".join(b"10000\r\n" + b"x" * 65536 + b"\r\n" for _ in range(64)),
                       length=False)]
        grown = (peak_rss(server.pid) - before) / 1024
        lying = Row("bodies: length -1, abc, 600 MB, 4 MB chunked", "4xx each; server grows < 16 MiB",
                    f"statuses {bodies}; server grew {grown:.1f} MiB",
                    all(400 <= s < 500 for s in bodies) and grown < 16)
        heavy = "SELECT (GROUP_CONCAT(STR(?o)) AS ?x) { ?s ?p ?o . ?a ?b ?c }"
        before = peak_rss(server.pid)
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: get(port, "/sparql?query=" + urllib.parse.quote(heavy)), range(4)))
        grown = (peak_rss(server.pid) - before) / 1024
        alive = get(port, "/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"))
        greedy = Row("4 heavy queries at once, 256 MB budget each", "stopped; server grows < 16 MiB, answers",
                     f"statuses {answers}; server grew {grown:.1f} MiB; then {alive}",
                     all(s in (500, 503) for s in answers) and grown < 16 and alive == 200)
    finally:
        server.terminate()
        server.wait(10)
        canary.close()
    return [calls, lying, greedy]


class Canary:
    """A listener that counts the connections made to it."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.socket.close()


def peak_rss(pid: int) -> int:
    """A process's peak resident memory in KiB (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def post(port: int, header: bytes, body: bytes, *, length: bool = True) -> int:
    """The status of one POST to /sparql with ``header`` (and a true Content-Length if ``length``)."""
    head = b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + header + b"\r\n"
    if length:
        head += f"Content-Length: {len(body)}\r\n".encode()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        try:
            sock.sendall(head + b"\r\n" + body)
        except OSError:  # the server answered and closed before the body was sent
            pass
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except OSError:
            pass
    return int(data.split(b" ", 2)[1]) if data else 0


# --- helpers ---------------------------------------------------------------------------------

def kg(*args: str) -> subprocess.Popen:
    return subprocess.Popen([*KG, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=ROOT)


def build(docs: Path, store: Path) -> None:
    process = kg("build", str(docs), "--store", str(store), "--no-exports")
    if process.wait() != 0:
        raise SystemExit(f"kg build {docs} failed: {process.stderr.read()}")


def killed_at(moment: float, *args: str) -> None:
    process = kg(*args)
    try:
        process.wait(moment)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def graphs(store_path: Path) -> dict[str, frozenset[str]]:
    """The quads of each document's graph, by graph IRI."""
    store = ox.Store.read_only(str(store_path))
    found: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        if quad.graph_name.value.startswith(DOC_GRAPHS):
            found.setdefault(quad.graph_name.value, set()).add(str(quad))
    return {iri: frozenset(quads) for iri, quads in found.items()}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"kg serve did not listen on port {port}")


def get(port: int, target: str) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/csv\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]) if data else 0


if __name__ == "__main__":
    main()
