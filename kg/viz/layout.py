"""Node positions in pixels, computed once in Python so the page draws with physics off.

Up to ``SPRING_LIMIT`` connected entities get a Fruchterman-Reingold layout (networkx's
dense solver: 0.2 s for 300 nodes). Bigger graphs, where that costs seconds to minutes,
are split into Louvain communities: each community is laid out on its own (recursively),
the communities are placed by a spring layout of the graph between them, and pushed apart
until their discs no longer overlap. Entities without a drawn relation go in a grid under
the rest instead of being flung to the edges. Every step is seeded: same graph, same page.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

SEED = 7
SPREAD = 60.0  # pixels per sqrt(node): a drawing's radius grows with sqrt(nodes)
GRID = 90.0  # pixels between entities that have no relation drawn
SPRING_LIMIT = 400  # connected entities above which the layout goes by communities
GAP = 1.15  # room between community discs, as a factor of their radii

Positions = dict[str, tuple[float, float]]


def layout(nodes: list[str], edges: list[tuple[str, str]]) -> Positions:
    """Positions of ``nodes`` in pixels; ``edges`` are the drawn relations (any direction)."""
    simple = nx.Graph()
    simple.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in edges if u != v))
    pos = {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in _place(simple).items()}
    alone = sorted(n for n in nodes if n not in pos)
    if alone:
        xs = [x for x, _ in pos.values()] or [0.0]
        top = max((y for _, y in pos.values()), default=0.0) + 2 * GRID
        per_row = max(1, int((max(xs) - min(xs)) // GRID) + 1, math.isqrt(len(alone)))
        for i, n in enumerate(alone):
            pos[n] = (round(min(xs) + GRID * (i % per_row), 1), top + GRID * (i // per_row))
    return pos


def radius(n_nodes: int) -> float:
    """The radius in pixels of the disc a connected graph of ``n_nodes`` is drawn in."""
    return SPREAD * math.sqrt(n_nodes) + 100.0 * (n_nodes > 1)


def _place(graph: nx.Graph) -> dict[str, np.ndarray]:
    """Positions centred on (0, 0) within ``radius(len(graph))``."""
    if len(graph) <= 1:
        return {n: np.zeros(2) for n in graph}
    if len(graph) <= SPRING_LIMIT:
        return _spring(graph)
    parts = sorted(
        (sorted(c) for c in nx.community.louvain_communities(graph, seed=SEED)),
        key=lambda c: (-len(c), c[0]),
    )
    if len(parts) == 1:
        return _spring(graph)
    inner = [_place(graph.subgraph(part)) for part in parts]
    centres = _centres(graph, parts)
    return {n: centres[i] + xy for i, found in enumerate(inner) for n, xy in found.items()}


def _spring(graph: nx.Graph) -> dict[str, np.ndarray]:
    k = 2.0 / math.sqrt(len(graph))
    found = nx.spring_layout(graph, seed=SEED, k=k, method="force", iterations=50)
    scale = radius(len(graph))
    return {n: xy * scale for n, xy in found.items()}


def _centres(graph: nx.Graph, parts: list[list[str]]) -> np.ndarray:
    """Centres of the communities' discs: linked ones near each other, none overlapping."""
    where = {n: i for i, part in enumerate(parts) for n in part}
    between = nx.Graph()
    between.add_nodes_from(range(len(parts)))
    for u, v in graph.edges():
        a, b = sorted((where[u], where[v]))
        if a != b:
            w = between.get_edge_data(a, b, {"weight": 0})["weight"]
            between.add_edge(a, b, weight=w + 1)
    found = nx.spring_layout(between, seed=SEED, weight="weight", method="force")
    radii = np.array([radius(len(p)) for p in parts]) * GAP
    centres = np.array([found[i] for i in range(len(parts))]) * math.sqrt((radii**2).sum())
    return _separate(centres, radii)


def _separate(centres: np.ndarray, radii: np.ndarray, rounds: int = 200) -> np.ndarray:
    """Push overlapping discs apart along the line between their centres."""
    centres = centres.copy()
    need = radii[:, None] + radii[None, :]
    np.fill_diagonal(need, 0.0)
    for _ in range(rounds):
        delta = centres[:, None, :] - centres[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=2), 1e-6)
        overlap = np.clip(need - dist, 0.0, None)
        if not overlap.any():
            break
        push = (overlap / dist / 2)[:, :, None] * delta
        centres += push.sum(axis=1) / np.maximum((overlap > 0).sum(axis=1), 1)[:, None]
    return centres - centres.mean(axis=0)
