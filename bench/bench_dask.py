"""Benchmark: `kg build --engine dask` on a local cluster, against `kg build`, in one run.

    python bench/bench_dask.py [CORPUS_DIR]

Builds the corpus three times into new stores, each in a fresh process: with this machine's
two worker processes (the baseline), then on a local Dask cluster of one and of two worker
processes. Prints wall time and peak memory of each (the process tree: Dask's workers are its
children), the Dask speed-up of two workers over one, and whether each store holds exactly
the baseline's quads. Target (issue 13): the same quads; the speed-up reported.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

from bench_incremental import DEFAULT_CORPUS, KG, timed


def quads(store: Path) -> list[str]:
    return sorted(str(q) for q in ox.Store.read_only(str(store)).quads_for_pattern(None, None, None, None))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"{args.corpus}: no such folder (the UN General Debate corpus is in ../shared/corpus/ungd)")
    runs = {"kg build, 2 local workers": ("--workers", "2"),
            "dask, 1 worker process": ("--engine", "dask", "--workers", "1"),
            "dask, 2 worker processes": ("--engine", "dask", "--workers", "2")}
    print(f"corpus: {args.corpus} ({sum(1 for _ in args.corpus.rglob('*.txt'))} files)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        results, baseline = {}, None
        for i, (name, options) in enumerate(runs.items()):
            store = Path(tmp) / f"store{i}"
            seconds, peak = timed(str(KG), "build", str(args.corpus), "--store", str(store), "--no-exports", *options)
            held = quads(store)
            baseline = baseline or held
            results[name] = (seconds, peak, held == baseline, len(held))
            print(f"{name}: {seconds:.1f} s", flush=True)
    print(f"\n{'build':<30} {'wall s':>7} {'peak MiB':>9} {'quads':>10} {'same quads':>11}")
    for name, (seconds, peak, same, count) in results.items():
        print(f"{name:<30} {seconds:>7.1f} {peak:>9.0f} {count:>10} {'yes' if same else 'NO':>11}")
    one, two = results["dask, 1 worker process"][0], results["dask, 2 worker processes"][0]
    print(f"\ndask speed-up, 2 workers over 1: {one / two:.2f}x")
    sys.exit(0 if all(same for _, _, same, _ in results.values()) else 1)


if __name__ == "__main__":
    main()
