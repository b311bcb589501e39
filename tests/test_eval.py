"""Extraction quality on the development gold standard must not regress silently.

The floors are the figures measured when the gold was written (see the README's table), less
a small margin; raise them when the extractor improves.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.eval import evaluate
from kg.eval.gold import load_gold
from kg.eval.report import format_report, summary_row
from kg.resources import ROOT

GOLD = ROOT / "eval" / "gold"
FLOORS = {"country_f1": 0.95, "entity_f1": 0.85, "relation_precision": 0.80, "relation_recall": 0.07}


@pytest.fixture(scope="module")
def report():
    return evaluate(GOLD, baseline="gazetteer")


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_quality_floor(report, measure: str) -> None:
    assert summary_row(report.ours)[measure] >= FLOORS[measure], format_report(report, errors=0)


def test_the_extractor_beats_the_exact_name_baseline(report) -> None:
    assert report.baseline is not None
    assert report.ours.entity_total().f1 > report.baseline.entity_total().f1 + 0.05


def test_gold_relations_quote_their_documents() -> None:
    for gold in load_gold(GOLD):
        text = " ".join(gold.source.read_text(encoding="utf-8").split())
        for relation in (*gold.relations, *gold.negated, *gold.hedged):
            assert " ".join(relation.sentence.split()) in text, (gold.id, relation.sentence[:60])


def test_the_report_lists_misses_and_additions(report) -> None:
    text = format_report(report, errors=5)
    assert "entities (document level)" in text and "relations" in text
    assert "missed" in text and "added" in text


def test_a_broken_gold_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(json.dumps({"id": "x", "source": "x.txt", "entities": [],
                                                   "relations": [{"sentence": "s", "subject": "A", "predicate": "supports", "object": "B"}]}))
    with pytest.raises(KgError, match="bad.json"):
        load_gold(tmp_path)
