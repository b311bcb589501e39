"""Benchmark: extracting and serialising one long document, against a 6 MB one in the same run.

    python bench/bench_long_document.py [CORPUS_DIR] [--sizes 1,6,12,48] [--dense 1,6]
                                        [--against REF] [--against-max-mb 12]

Makes each document by concatenating the UN General Debate speeches (in file order, again
from the first when they run out) up to the size asked, and a relation-dense one, on one line
as a JSON line carries it, by repeating the sentences of the corpus that state a relation.
Each document is extracted and serialised as a build's worker does it (``Extractor.extract``,
``graph.document_nquads``, and ``graph.discovered_entity_nquads`` where a version has it) in a fresh process, which
reports the wall and CPU time this took and its peak resident memory above what it held once
the extractor was built (Linux's high-water mark, reset after loading the knowledge base).
CPU time and memory are also printed as ratios to the 6 MB document of their kind: CPU time,
because other work on the machine slows the wall clock. ``--against REF`` measures the
package as committed at REF (by ``git archive``) the same way, on the documents up to
``--against-max-mb`` (the code before issue 15 takes half an hour on 48 MB).

Target (issue 15): the 48 MB document within 10x the CPU time of the 6 MB one, memory in
proportion.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ungd"
MB = 1_000_000
BASELINE_MB = 6
TARGET_RATIO = 10.0
CHILD = """
import json, sys, time
from pathlib import Path
from kg import graph
from kg.extract.extractor import Extractor
from kg.extract.kb import load_kb
from kg.model import Document

def kib(field):
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith(field)))

extractor = Extractor(load_kb())
extractor.extract(Document(id="warm-up", text="France supports the Paris Agreement.", source="warm-up"))
Path("/proc/self/clear_refs").write_text("5")  # the peak so far (loading the knowledge base) is not the document's
base = kib("VmRSS:")
text = Path(sys.argv[1]).read_text(encoding="utf-8")
document = Document(id="long", text=text, source=sys.argv[1], type="Speech", speaker_iso3="FRA", date="2020")
wall, cpu = time.perf_counter(), time.process_time()
extraction = extractor.extract(document)
entities = getattr(graph, "discovered_entity_nquads", None)  # versions before graph:entities was derived
quads = len(graph.document_nquads(extraction)) + (len(entities(extraction)) if entities else 0)
print(json.dumps({"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "peak_mib": (kib("VmHWM:") - base) / 1024,
                  "mentions": len(extraction.mentions), "relations": len(extraction.relations),
                  "nquads_mb": quads / 1e6}))
"""


def speeches(corpus: Path) -> list[str]:
    return [path.read_text(encoding="utf-8").strip() for path in sorted(corpus.rglob("*.txt"))]


def filled(pieces: list[str], size: int, separator: str) -> str:
    """``pieces`` joined in order, cycling, until the text has ``size`` characters (about)."""
    parts, length = [], 0
    for piece in itertools.cycle(pieces):
        parts.append(piece)
        length += len(piece) + len(separator)
        if length >= size:
            return separator.join(parts)
    raise ValueError("no text to fill with")


def relation_sentences(texts: list[str], count: int = 300) -> list[str]:
    """The sentences of the first ``count`` speeches that state a relation (not negated or hedged)."""
    from kg.extract.extractor import Extractor
    from kg.extract.kb import load_kb
    from kg.model import Document

    extractor = Extractor(load_kb())
    found: dict[str, None] = {}
    for i, text in enumerate(texts[:count]):
        extraction = extractor.extract(Document(id=f"s{i}", text=text, source="corpus", speaker_iso3="FRA"))
        found.update((r.sentence, None) for r in extraction.relations if not (r.negated or r.hedged))
    return list(found)


def write_documents(corpus: Path, sizes: dict[str, list[int]], folder: Path) -> dict[tuple[str, int], Path]:
    """Each document of each kind and size (MB), written to ``folder``."""
    texts = speeches(corpus)
    print(f"corpus: {corpus} ({len(texts)} speeches), {os.cpu_count()} cores; each document in a fresh process")
    pieces = {"speeches": (texts, "\n\n"), "dense": (relation_sentences(texts) if sizes["dense"] else [], " ")}
    paths = {}
    for kind, kind_sizes in sizes.items():
        kind_pieces, separator = pieces[kind]
        for size in kind_sizes:
            paths[kind, size] = folder / f"{kind}-{size}mb.txt"
            paths[kind, size].write_text(filled(kind_pieces, size * MB, separator), encoding="utf-8")
    return paths


def measure(path: Path, package: Path | None) -> dict:
    """Extract and serialise the document in ``path`` in a fresh process (with ``package`` first
    on its path if given; -P keeps the working directory's package off it)."""
    env = dict(os.environ)
    if package is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(package), env.get("PYTHONPATH"))))
    result = subprocess.run([sys.executable, "-P", "-c", CHILD, str(path)], capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise SystemExit(f"extracting {path.name} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def landed(ref: str, into: Path) -> Path:
    """The package and its data as committed at ``ref``. The data is also laid inside the package,
    as a wheel installs it, for kg.resources since issue 12 (which reads ``kg.ontology``);
    earlier refs read it beside the package."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "kg", "ontology", "queries"],
                             capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    for data in ("ontology", "queries"):
        shutil.copytree(into / data, into / "kg" / data)
    return into


def report(title: str, rows: dict[tuple[str, int], dict]) -> None:
    print(f"\n{title}")
    print(f"{'document':<16} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'x6MB cpu':>10} {'x6MB mem':>9} "
          f"{'mentions':>9} {'relations':>10} {'N-Quads MB':>11}")
    for (kind, size), r in rows.items():
        base = rows.get((kind, BASELINE_MB))
        ratios = (f"{r['cpu'] / base['cpu']:>10.2f} {r['peak_mib'] / base['peak_mib']:>9.2f}" if base else f"{'':>10} {'':>9}")
        print(f"{f'{kind} {size} MB':<16} {r['seconds']:>8.1f} {r['cpu']:>8.1f} {r['peak_mib']:>9.0f} {ratios} "
              f"{r['mentions']:>9} {r['relations']:>10} {r['nquads_mb']:>11.0f}")


def verdict(rows: dict[tuple[str, int], dict]) -> None:
    base, largest = rows.get(("speeches", BASELINE_MB)), rows.get(("speeches", 48))
    if base and largest:
        ratio = largest["cpu"] / base["cpu"]
        print(f"target: 48 MB within {TARGET_RATIO:g}x the CPU time of {BASELINE_MB} MB -> {ratio:.2f}x, "
              f"{'met' if ratio <= TARGET_RATIO else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", default="1,6,12,48", help="sizes in MB of the speeches documents")
    parser.add_argument("--dense", default="1,6", help="sizes in MB of the relation-dense documents ('' for none)")
    parser.add_argument("--against", metavar="REF", help="also measure the package as committed at this git ref")
    parser.add_argument("--against-max-mb", type=int, default=12, help="largest document to give the --against package")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"{args.corpus}: no such folder (the UN General Debate corpus is in ../shared/corpus/ungd)")
    sizes = {"speeches": [int(s) for s in args.sizes.split(",") if s], "dense": [int(s) for s in args.dense.split(",") if s]}
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_documents(args.corpus, sizes, Path(tmp))
        rows = {key: measure(path, None) for key, path in paths.items()}
        report("this working tree", rows)
        verdict(rows)
        if args.against:
            package = landed(args.against, Path(tmp) / "landed")
            old = {key: measure(path, package) for key, path in paths.items() if key[1] <= args.against_max_mb}
            report(f"as committed at {args.against}", old)
            print("\nspeed-up of this working tree: " + ", ".join(
                f"{kind} {size} MB {old[kind, size]['cpu'] / rows[kind, size]['cpu']:.1f}x" for kind, size in old))


if __name__ == "__main__":
    main()
