"""The evaluation as text: tables of P/R/F1, then what was missed and what was added."""

from __future__ import annotations

from kg.eval import EvalReport
from kg.eval.score import Scores, Tally
from kg.model import ENTITY_TYPES
from kg.vocab import FAMILIES


def _cells(tally: Tally | None) -> str:
    if tally is None:
        return f"{'':>5} {'':>5} {'':>5} {'':>13}"
    counts = f"{tally.tp}/{tally.fp}/{tally.fn}"
    return f"{tally.precision:5.2f} {tally.recall:5.2f} {tally.f1:5.2f} {counts:>13}"


def format_report(report: EvalReport, errors: int = 30, by_component: bool = False) -> str:
    ours, theirs = report.ours, report.baseline
    header = f"{'':<26} {'kg':^31}"
    if theirs is not None:
        header += f" | {'baseline':^31}"
    sub = f"{'':<26} {'P':>5} {'R':>5} {'F1':>5} {'tp/fp/fn':>13}"
    if theirs is not None:
        sub += f" | {'P':>5} {'R':>5} {'F1':>5} {'tp/fp/fn':>13}"
    lines = [f"{report.documents} gold documents; baseline: {report.baseline_name}", "", "entities (document level)", header, sub]
    for type_ in (*ENTITY_TYPES, "all types"):
        mine = ours.entity_total() if type_ == "all types" else ours.entities.get(type_)
        other = None if theirs is None else (theirs.entity_total() if type_ == "all types" else theirs.entities.get(type_, Tally()))
        if mine is None and other is None:
            continue
        row = f"{type_:<26} {_cells(mine or Tally())}"
        if theirs is not None:
            row += f" | {_cells(other)}"
        lines.append(row)
    lines += ["", "relations (per sentence; the baseline finds none)", f"{'':<26} {'P':>5} {'R':>5} {'F1':>5} {'tp/fp/fn':>13}"]
    for family in (*FAMILIES, "all"):
        lines.append(f"{family:<26} {_cells(ours.relations.get(family, Tally()))}")
    lines.append(f"{'all (exact predicate)':<26} {_cells(ours.relations.get('exact', Tally()))}")
    if ours.unmarked:
        lines.append(f"negated or hedged in the gold but given as facts: {len(ours.unmarked)}")
    if by_component:
        lines += _components(ours)
    lines += _errors("missed", ours.missed, errors) + _errors("added", ours.added, errors)
    return "\n".join(lines)


def _components(scores: Scores) -> list[str]:
    """Right and wrong findings by component (an entity found by two counts for both)."""
    lines = ["", "by component (right / wrong, and precision)"]
    for title, tallies in (("entities", scores.entity_components), ("relations", scores.relation_components)):
        for name, tally in sorted(tallies.items()):
            lines.append(f"{title + ': ' + name:<26} {tally.tp:>5} {tally.fp:>5} {tally.precision:5.2f}")
    return lines


def _errors(title: str, items: list[str], limit: int) -> list[str]:
    if not items or limit <= 0:
        return []
    shown = items[:limit]
    more = f" (first {limit} of {len(items)})" if len(items) > limit else ""
    return ["", f"{title}{more}:", *(f"  {item}" for item in shown)]


def summary_row(scores: Scores) -> dict[str, float]:
    """Headline figures, for tests and the README table."""
    countries = scores.entities.get("Country", Tally())
    relations = scores.relations.get("all", Tally())
    return {
        "country_f1": countries.f1,
        "entity_f1": scores.entity_total().f1,
        "relation_precision": relations.precision,
        "relation_recall": relations.recall,
    }
