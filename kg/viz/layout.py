"""Node positions in pixels, computed once in Python so the page draws with physics off.

Up to ``DIRECT_LIMIT`` connected entities get a ForceAtlas2 layout (networkx's dense
solver, 0.5 s for 300 nodes: it spreads dense graphs more evenly than Fruchterman-Reingold,
which packs them around their hubs), with leaves fanned out around their one neighbour.
Bigger graphs, where one force layout of the whole costs seconds to minutes (networkx's
spring_layout: 15 s for 2,000 nodes, 130 s for 10,000), are split into Louvain communities:
each is laid out on its own (recursively, by networkx's dense Fruchterman-Reingold, 0.1 s
for 400 nodes), the communities are placed by a spring layout of the graph between them
and pushed apart until their discs no longer overlap. Entities without a drawn relation go
in a grid under the rest instead of being flung to the edges. Every step is seeded: same
graph, same page.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

SEED = 7
SPREAD = 60.0  # pixels per sqrt(node): a drawing's radius grows with sqrt(nodes)
GRID = 90.0  # pixels between entities that have no relation drawn
DIRECT_LIMIT = 400  # connected entities above which the layout goes by communities
ITERATIONS = 150  # of ForceAtlas2
LEAF_ARC, LEAF_GAP = 0.4, 110.0  # radians and pixels between fanned-out leaves
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


def _place(graph: nx.Graph, whole: bool = True) -> dict[str, np.ndarray]:
    """Positions centred on (0, 0) within ``radius(len(graph))``; ``whole``: not a part."""
    if len(graph) <= 1:
        return {n: np.zeros(2) for n in graph}
    if len(graph) <= DIRECT_LIMIT:
        return _force(graph) if whole else _spring(graph)
    parts = sorted(
        (sorted(c) for c in nx.community.louvain_communities(graph, seed=SEED)),
        key=lambda c: (-len(c), c[0]),
    )
    if len(parts) == 1:
        return _spring(graph)
    inner = [_place(graph.subgraph(part), whole=False) for part in parts]
    centres = _centres(graph, parts)
    return {n: centres[i] + xy for i, found in enumerate(inner) for n, xy in found.items()}


def _spring(graph: nx.Graph) -> dict[str, np.ndarray]:
    k = 2.0 / math.sqrt(len(graph))
    found = nx.spring_layout(graph, seed=SEED, k=k, method="force", iterations=50)
    return {n: xy * radius(len(graph)) for n, xy in found.items()}


def _force(graph: nx.Graph) -> dict[str, np.ndarray]:
    found = nx.forceatlas2_layout(graph, seed=SEED, max_iter=ITERATIONS)
    xy = np.array([found[n] for n in graph])
    xy -= xy.mean(axis=0)
    xy *= radius(len(graph)) / max(float(np.linalg.norm(xy, axis=1).max()), 1e-9)
    return _fan_out_leaves(graph, dict(zip(graph, xy, strict=True)))


def _fan_out_leaves(graph: nx.Graph, pos: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Spread the entities linked to one other only on an arc outside that one.

    ForceAtlas2 repels by degree, so such leaves (a country's initiatives) pile up
    on their neighbour and hide each other's labels.
    """
    leaves: dict[str, list[str]] = {}
    for n in graph:
        if graph.degree(n) == 1 and graph.degree(parent := next(iter(graph[n]))) > 1:
            leaves.setdefault(parent, []).append(n)
    centre = np.mean(list(pos.values()), axis=0)
    for parent, kids in sorted(leaves.items()):
        out = pos[parent] - centre
        towards = math.atan2(out[1], out[0]) if out.any() else 0.0
        arc = min(math.pi, LEAF_ARC * len(kids))
        reach = max(2 * GRID, LEAF_GAP * len(kids) / arc)
        for i, kid in enumerate(sorted(kids)):
            angle = towards - arc / 2 + arc * (i + 0.5) / len(kids)
            pos[kid] = pos[parent] + reach * np.array([math.cos(angle), math.sin(angle)])
    return pos


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


SEPARATE_LIMIT = 600  # drawings up to this size get their overlapping discs pushed apart


def separate(pos: Positions, radii: dict[str, float], margin: float = 24.0, rounds: int = 60) -> Positions:
    """Push apart discs that overlap (hubs drawn big sit close together), keeping the layout's
    shape: each round moves every overlapping pair apart along the line between them."""
    names = sorted(pos)
    if not 1 < len(names) <= SEPARATE_LIMIT:
        return pos
    xy = np.array([pos[n] for n in names], dtype=float)
    need = np.array([radii.get(n, 0.0) for n in names])
    need = need[:, None] + need[None, :] + margin
    np.fill_diagonal(need, 0.0)
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        overlap = np.where(dist < need, need - dist, 0.0)
        np.fill_diagonal(overlap, 0.0)
        if not overlap.any():
            break
        unit = delta / np.maximum(dist, 1e-6)[..., None]
        xy += 0.5 * (unit * overlap[..., None]).sum(axis=1) / np.maximum((overlap > 0).sum(axis=1), 1)[:, None]
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(names, xy)}


GOLDEN = math.pi * (3 - math.sqrt(5))  # radians: successive angles that never line up


def place_near(pos: Positions, near: dict[str, list[str]]) -> Positions:
    """``pos`` and a position for each node of ``near`` (documents on a toggle): a step
    outside the centre of the placed nodes it lists, or under the drawing when it lists none."""
    placed = dict(pos)
    centre = np.mean(list(pos.values()), axis=0) if pos else np.zeros(2)
    bottom = max((y for _, y in pos.values()), default=0.0) + 2 * GRID
    left = min((x for x, _ in pos.values()), default=0.0)
    stray = 0
    for i, (node, targets) in enumerate(sorted(near.items())):
        spots = [pos[t] for t in targets if t in pos]
        if not spots:
            placed[node] = (round(left + GRID * stray, 1), round(bottom, 1))
            stray += 1
            continue
        middle = np.mean(spots, axis=0)
        out = middle - centre
        angle = math.atan2(out[1], out[0]) if out.any() else GOLDEN * i
        angle += GOLDEN * i / 8  # documents about the same entities fan out
        xy = middle + GRID * np.array([math.cos(angle), math.sin(angle)])
        placed[node] = (round(float(xy[0]), 1), round(float(xy[1]), 1))
    return placed


RING_ARC = 110.0  # pixels of a ring per node on it
RING_STEP = 110.0  # pixels between the two rings neighbours alternate on


def rings(centre: str, around: list[str], outer: list[str] = ()) -> Positions:
    """An ego drawing: ``centre`` at the origin, ``around`` in that order on a circle (every
    other one a step further out, so that neighbouring labels have room), ``outer`` on a ring
    beyond. Kinds sorted together in ``around`` sit together in one sector."""
    radius = max(3 * GRID, len(around) * RING_ARC / (4 * math.pi))
    pos: Positions = {centre: (0.0, 0.0)}
    for i, node in enumerate(around):
        angle = 2 * math.pi * i / max(len(around), 1) - math.pi / 2
        r = radius + RING_STEP * (i % 2)
        pos[node] = (round(r * math.cos(angle), 1), round(r * math.sin(angle), 1))
    far = radius + 2.5 * RING_STEP
    for i, node in enumerate(outer):
        angle = 2 * math.pi * (i + 0.5) / max(len(outer), 1) - math.pi / 2
        pos[node] = (round(far * math.cos(angle), 1), round(far * math.sin(angle), 1))
    return pos


def push_out(pos: Positions, nodes: list[str], reach: float) -> Positions:
    """``pos`` with ``nodes`` moved along their direction from the origin to ``reach`` pixels."""
    moved = dict(pos)
    for i, node in enumerate(nodes):
        x, y = pos[node]
        angle = math.atan2(y, x) if (x, y) != (0.0, 0.0) else GOLDEN * i
        moved[node] = (round(reach * math.cos(angle), 1), round(reach * math.sin(angle), 1))
    return moved
