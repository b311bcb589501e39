"""Benchmark: how a build and the saved queries grow with the corpus, in one run.

    python bench/bench_scale.py [CORPUS_DIR] [--scales 0.25,0.5,1,2] [--runs 5]

For each scale, a corpus of that many times the given one (a seeded draw of its files below 1;
above 1, the whole corpus again under new ids: ``ABC_76_2021.txt`` becomes
``ABC_76_2021-r2.txt``) is built into a new store by `kg build` in a fresh process. Prints wall
and CPU time (the process tree's), peak memory, store size on disk, and the median p50 of the
saved queries on the store, each with its ratio to the scale 1 figures; then the saved queries
whose p50 grows faster than the corpus.

Targets (issue 13): 2x the corpus <= 2.1x the time; peak <= 1 GB; saved queries p50 <= 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import tempfile
from pathlib import Path

from bench_incremental import DEFAULT_CORPUS, KG, timed
from bench_query import time_embedded


def corpus_at(files: list[Path], root: Path, scale: float, into: Path) -> int:
    """A folder of ``scale`` times the corpus ``files`` (under ``root``); its file count."""
    if scale <= 1:
        chosen = sorted(random.Random(7).sample(files, round(len(files) * scale)))
        copies = [(path, path.relative_to(root)) for path in chosen]
    else:
        copies = [(path, path.relative_to(root)) for path in files]
        for repeat in range(2, int(scale) + 1):
            copies += [(path, path.relative_to(root).with_name(f"{path.stem}-r{repeat}{path.suffix}")) for path in files]
    for source, name in copies:
        (into / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, into / name)
    return len(copies)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def query_p50s(store_path: Path, runs: int) -> dict[str, float]:
    from kg.query import bind_params, list_saved_queries
    from kg.store import Store

    store = Store(store_path, read_only=True)
    return {q.name: time_embedded(store, bind_params(q.text, q.example), runs, budget=5.0)[0] for q in list_saved_queries()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--scales", default="0.25,0.5,1,2", help="multiples of the corpus, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="runs of each saved query (median)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"{args.corpus}: no such folder (the UN General Debate corpus is in ../shared/corpus/ungd)")
    scales = sorted(float(s) for s in args.scales.split(","))
    if 1.0 not in scales:
        raise SystemExit("--scales must include 1, the reference of the ratios")
    files = sorted(args.corpus.rglob("*.txt"))
    print(f"corpus: {args.corpus} ({len(files)} files), {os.cpu_count()} cores", flush=True)
    rows: dict[float, dict] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        for scale in scales:
            folder, store = Path(tmp_name) / f"corpus-{scale:g}", Path(tmp_name) / f"store-{scale:g}"
            count = corpus_at(files, args.corpus, scale, folder)
            cpu = children_cpu()
            seconds, peak = timed(str(KG), "build", str(folder), "--store", str(store), "--no-exports")
            queries = query_p50s(store, args.runs)
            rows[scale] = {"files": count, "wall": seconds, "cpu": children_cpu() - cpu, "peak": peak,
                           "disk": size_mib(store), "p50": statistics.median(queries.values()), "queries": queries}
            print(f"scale {scale:g}: {count} files, {seconds:.1f} s", flush=True)
            shutil.rmtree(folder)
            shutil.rmtree(store)
    one = rows[1.0]
    print(f"\n{'scale':>5} {'files':>6} {'wall s':>7} {'x':>5} {'CPU s':>7} {'x':>5} {'peak MiB':>9} {'x':>5} "
          f"{'disk MiB':>9} {'x':>5} {'query p50 ms':>13} {'x':>5}")
    for scale, r in rows.items():
        print(f"{scale:>5g} {r['files']:>6} {r['wall']:>7.1f} {r['wall'] / one['wall']:>5.2f} {r['cpu']:>7.1f} "
              f"{r['cpu'] / one['cpu']:>5.2f} {r['peak']:>9.0f} {r['peak'] / one['peak']:>5.2f} {r['disk']:>9.0f} "
              f"{r['disk'] / one['disk']:>5.2f} {r['p50']:>13.1f} {r['p50'] / one['p50']:>5.2f}")
    largest = rows[scales[-1]]
    growing = {name: p50 / one["queries"][name] for name, p50 in largest["queries"].items()
               if p50 > 1.0 and p50 / one["queries"][name] > 1.2 * scales[-1]}
    print(f"\nsaved queries on the largest store: p50 up to {max(largest['queries'].values()):.1f} ms")
    for name, ratio in sorted(growing.items(), key=lambda kv: -kv[1]):
        print(f"  {name}: {largest['queries'][name]:.1f} ms, {ratio:.1f}x its scale-1 p50 (grows faster than the corpus)")
    if 2.0 in rows:
        ratio = rows[2.0]["wall"] / one["wall"]
        print(f"target: 2x the corpus <= 2.1x the time -> {'met' if ratio <= 2.1 else 'MISSED'} ({ratio:.2f}x)")
    print(f"target: peak <= 1024 MiB -> {'met' if max(r['peak'] for r in rows.values()) <= 1024 else 'MISSED'}")


if __name__ == "__main__":
    main()
