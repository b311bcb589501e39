"""Benchmark: `kg build` on the UN General Debate corpus, against a one-process baseline.

    python bench/bench_build.py [CORPUS_DIR] [--sample 10]

Runs each configuration in a fresh process with a fresh store and prints wall time and peak
memory (the summed resident memory of the process tree, sampled every 50 ms), then the
graph's figures and a seeded random sample of relations with their evidence, to be judged by
a reader. Targets (issue 2): under 30 s on 2 cores and under 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ungd"
RUN = """
import json, sys
from pathlib import Path
from kg.build import build_store
from kg.summary import summarize
report, store = build_store([sys.argv[1]], Path(sys.argv[2]), workers=int(sys.argv[3]))
s = summarize(store)
print(json.dumps({"documents": report.documents, "failed": len(report.failed), "triples": store.count_quads(),
                  "entities": s.entities_by_type, "relations": s.relations_by_type, "evidence": s.evidence}))
"""


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total


def timed(*command: str) -> tuple[float, float, str]:
    """Run ``command``; its wall seconds, the peak resident memory of its process tree in MiB,
    and its standard output. Exits with the command's error when it fails."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, done = 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kib(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed ({process.returncode}): {err.strip()[-500:]}")
    return time.perf_counter() - started, peak / 1024, out


def run(corpus: Path, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        seconds, peak, out = timed(sys.executable, "-c", RUN, str(corpus), str(Path(tmp) / "store"), str(workers))
        figures = json.loads(out.strip().splitlines()[-1])
        figures.update(seconds=seconds, peak_mib=peak)
        return figures


def sample_relations(corpus: Path, count: int, seed: int = 7) -> list[dict]:
    """Extract the corpus in this process and draw, reproducibly, relations that the graph states
    as facts (negated and hedged ones are evidence only)."""
    from kg.workers import extract_document
    from kg.ingest import read_documents
    from kg.model import Document

    relations = [
        (doc.id, r)
        for doc in read_documents([corpus])
        if isinstance(doc, Document)
        for r in extract_document(doc).relations
        if not (r.negated or r.hedged)
    ]
    chosen = random.Random(seed).sample(relations, min(count, len(relations)))
    return [
        {"document": d, "subject": r.subject.label, "predicate": r.predicate, "object": r.object.label,
         "method": r.method, "sentence": r.sentence}
        for d, r in chosen
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sample", type=int, default=10, help="relations to print for judgement")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"{args.corpus}: no such folder (the UN General Debate corpus is in ../shared/corpus/ungd)")
    print(f"corpus: {args.corpus} ({sum(1 for _ in args.corpus.rglob('*.txt'))} files), {os.cpu_count()} cores")
    baseline = run(args.corpus, workers=1)
    result = run(args.corpus, workers=2)
    print(f"\n{'configuration':<34} {'wall s':>8} {'peak MiB':>9} {'docs':>6} {'triples':>10}")
    for name, r in (("baseline: 1 process", baseline), ("kg build: 2 worker processes", result)):
        print(f"{name:<34} {r['seconds']:>8.1f} {r['peak_mib']:>9.0f} {r['documents']:>6} {r['triples']:>10}")
    print(f"speed-up over baseline: {baseline['seconds'] / result['seconds']:.2f}x")
    print(f"targets: wall < 30 s -> {'met' if result['seconds'] < 30 else 'MISSED'}; "
          f"peak < 2048 MiB -> {'met' if result['peak_mib'] < 2048 else 'MISSED'}")
    print("\nentities by type:", json.dumps(dict(sorted(result["entities"].items(), key=lambda kv: -kv[1]))))
    print(f"relations by type ({result['evidence']} evidence sentences):",
          json.dumps(dict(sorted(result["relations"].items(), key=lambda kv: -kv[1]))))
    if args.sample:
        print(f"\n{args.sample} relations drawn at random (seed 7):")
        for i, r in enumerate(sample_relations(args.corpus, args.sample), 1):
            print(f"{i:>2}. [{r['document']}] {r['subject']} --{r['predicate']}--> {r['object']} ({r['method']})")
            print(f"    \"{r['sentence']}\"")


if __name__ == "__main__":
    main()
