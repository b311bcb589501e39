"""Benchmark: updating a built store, against building it afresh, in one run.

    python bench/bench_incremental.py [CORPUS_DIR] [--repeat 5]

Builds the corpus into a new store, then measures, each command in a fresh process (wall time,
peak memory of the process tree):

- rebuilding it unchanged, and rebuilding it with every document changed (a line added to each
  copy), against the fresh build;
- adding one document (a speech under an id neither store holds) with `kg build` and removing
  it with `kg remove`, on the corpus store and on the bundled sample's 17-document store: the
  median of ``--repeat`` runs, and the same in one Python process with the extractor warm
  (what a library user or a long-running service pays, without the start-up).

Targets (issue 13): adding one document to the 1,746-speech store <= 1 s and <= 1.5x adding
it to the sample store; rebuilding an existing store <= 1.2x a fresh build, peak <= 1 GB.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_build import timed as run_measured

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ungd"
SAMPLE = ROOT / "examples" / "sample"
KG = Path(sys.executable).with_name("kg")
NEW_ID = "ZZZ_00_2099"  # an id no store holds
IN_PROCESS = """
import statistics, sys, time
from kg.build import build_store, remove
from kg.store import Store
from kg.workers import extract_document
from kg.ingest import read_documents
document, store_path, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
extract_document(next(iter(read_documents([document]))))  # the extractor, built once per process
adds, removes = [], []
for _ in range(repeat):
    started = time.perf_counter()
    report, store = build_store([document], store_path)
    adds.append(time.perf_counter() - started)
    assert report.written == 1, report
    started = time.perf_counter()
    assert remove(store, [sys.argv[4]]) == []
    removes.append(time.perf_counter() - started)
    store.close()
print(statistics.median(adds), statistics.median(removes))
"""


def timed(*command: str) -> tuple[float, float]:
    """Run ``command``; its wall seconds and the peak resident memory of its process tree, MiB."""
    seconds, peak, _ = run_measured(*command)
    return seconds, peak


def build(documents: Path, store: Path, *options: str) -> tuple[float, float]:
    return timed(str(KG), "build", str(documents), "--store", str(store), "--no-exports", *options)


def changed_copy(corpus: Path, into: Path) -> Path:
    """The corpus with one sentence added to every document, so every graph must be rewritten."""
    for path in corpus.rglob("*.txt"):
        target = into / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8") + "\nThank you, Mr. President.\n", encoding="utf-8")
    return into


def add_and_remove(document: Path, store: Path, repeat: int) -> dict[str, float]:
    """Median seconds of adding ``document`` with `kg build` and removing it with `kg remove`,
    each in a fresh process, then both in one warm process."""
    adds, removes = [], []
    for _ in range(repeat):
        adds.append(build(document, store)[0])
        removes.append(timed(str(KG), "remove", NEW_ID, "--store", str(store))[0])
    out = subprocess.run([sys.executable, "-c", IN_PROCESS, str(document), str(store), str(repeat), NEW_ID],
                         check=True, capture_output=True, text=True).stdout.split()
    return {"add": statistics.median(adds), "remove": statistics.median(removes),
            "add warm": float(out[0]), "remove warm": float(out[1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each one-document update (median)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"{args.corpus}: no such folder (the UN General Debate corpus is in ../shared/corpus/ungd)")
    speeches = sorted(args.corpus.rglob("*.txt"))
    print(f"corpus: {args.corpus} ({len(speeches)} files)", flush=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        store = tmp / "store"
        fresh = build(args.corpus, store)
        print(f"fresh build {fresh[0]:.1f} s", flush=True)
        unchanged = build(args.corpus, store)
        # The same documents from another folder: --replace-moved lets them replace their graphs.
        changed = build(changed_copy(args.corpus, tmp / "changed"), store, "--replace-moved")
        shutil.rmtree(tmp / "changed")

        sample_store = tmp / "sample"
        build(SAMPLE, sample_store)
        document = tmp / "new" / f"{NEW_ID}.txt"
        document.parent.mkdir()
        shutil.copyfile(speeches[len(speeches) // 2], document)
        updates = {"corpus": add_and_remove(document, store, args.repeat),
                   "sample": add_and_remove(document, sample_store, args.repeat)}

    print(f"\n{'rebuild of the corpus store':<40} {'wall s':>7} {'peak MiB':>9} {'x fresh':>8}")
    for name, (seconds, peak) in (("fresh build (new store)", fresh), ("rebuild, nothing changed", unchanged),
                                  ("rebuild, every document changed", changed)):
        print(f"{name:<40} {seconds:>7.1f} {peak:>9.0f} {seconds / fresh[0]:>8.2f}")
    print(f"\n{'one document (median of ' + str(args.repeat) + ')':<40} {'corpus s':>9} {'sample s':>9} {'ratio':>6}")
    for step in ("add", "remove", "add warm", "remove warm"):
        corpus_s, sample_s = updates["corpus"][step], updates["sample"][step]
        print(f"{step:<40} {corpus_s:>9.2f} {sample_s:>9.2f} {corpus_s / sample_s:>6.2f}")
    add, ratio = updates["corpus"]["add"], updates["corpus"]["add"] / updates["sample"]["add"]
    print(f"\ntargets: add one <= 1 s -> {'met' if add <= 1 else 'MISSED'} ({add:.2f} s; "
          f"warm {updates['corpus']['add warm']:.2f} s); <= 1.5x the sample store -> "
          f"{'met' if ratio <= 1.5 else 'MISSED'} ({ratio:.2f}x); rebuild <= 1.2x fresh -> "
          f"{'met' if max(unchanged[0], changed[0]) <= 1.2 * fresh[0] else 'MISSED'}; peak <= 1024 MiB -> "
          f"{'met' if max(fresh[1], unchanged[1], changed[1]) <= 1024 else 'MISSED'}")


if __name__ == "__main__":
    main()
