"""Extracting a finite automaton from a trained recurrent network (Omlin & Giles 1996).

    1. run the network on many strings; keep its hidden state after every prefix
    2. discretise the states: k-means with k clusters, each cluster one automaton state
    3. read the transitions off the data: cluster of h_{t-1} --x_t--> cluster of h_t
       (majority vote where the data disagree); label each state with the network's
       output there (e.g. the set of next symbols it predicts)
    4. minimise (Moore's partition refinement) and compare with the true automaton

The automata here are Moore machines: a partial transition table delta (Q, A), -1 where
a symbol is not allowed, and an output label per state (an int: for an acceptor 1/0,
for a next-symbol predictor the bitmask of the predicted symbols).
"""
from collections import Counter, deque
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .validate import check_positive_int, check_rng


@dataclass
class Automaton:
    """delta: (Q, A) ints, the next state or -1; labels: (Q,) ints; start: the initial state."""
    delta: np.ndarray
    labels: np.ndarray
    start: int = 0

    def __post_init__(self):
        self.delta = np.asarray(self.delta, dtype=np.int64)
        self.labels = np.asarray(self.labels, dtype=np.int64)
        if self.delta.ndim != 2:
            raise ValueError(f"delta must have shape (Q, A), got {self.delta.shape}")
        Q = self.delta.shape[0]
        if self.labels.shape != (Q,):
            raise ValueError(f"labels must have shape (Q={Q},), got {self.labels.shape}")
        if self.delta.size and (self.delta.min() < -1 or self.delta.max() >= Q):
            raise ValueError(f"delta entries must be -1 or a state in [0, {Q})")
        if not 0 <= self.start < max(Q, 1):
            raise ValueError(f"start must be a state in [0, {Q}), got {self.start}")

    @property
    def n_states(self):
        return self.delta.shape[0]

    @property
    def n_symbols(self):
        return self.delta.shape[1]

    @property
    def n_transitions(self):
        return int(np.sum(self.delta >= 0))

    def run(self, symbols):
        """The states visited, start included: a list of len(symbols) + 1 ints, or None
        if some symbol has no transition."""
        q, path = self.start, [self.start]
        for a in symbols:
            q = int(self.delta[q, a])
            if q < 0:
                return None
            path.append(q)
        return path


def predicts(machine, symbols, final):
    """Membership by next-symbol prediction: True iff every symbol is in the label set
    (bitmask) of the state before it and the string ends with `final` (e.g. E).
    The final symbol is checked but not followed."""
    symbols = list(symbols)
    if not symbols or symbols[-1] != final:
        return False
    q = machine.start
    for t, a in enumerate(symbols):
        if not (int(machine.labels[q]) >> int(a)) & 1:
            return False
        if t < len(symbols) - 1:
            q = int(machine.delta[q, a])
            if q < 0:
                return False
    return True


def reachable(machine):
    """Boolean (Q,): states reachable from the start."""
    seen = np.zeros(machine.n_states, dtype=bool)
    seen[machine.start] = True
    todo = deque([machine.start])
    while todo:
        q = todo.popleft()
        for r in machine.delta[q]:
            if r >= 0 and not seen[r]:
                seen[r] = True
                todo.append(r)
    return seen


def minimize(machine):
    """The minimal Moore machine with the same behaviour (Moore's algorithm).

    Missing transitions go to an implicit dead state whose label differs from every
    other; unreachable states are dropped first. States are numbered in breadth-first
    order from the start, so equal machines come out with equal tables.
    """
    keep = np.flatnonzero(reachable(machine))
    index = {int(q): k for k, q in enumerate(keep)}
    Q, A = len(keep), machine.n_symbols
    dead = Q
    delta = np.full((Q + 1, A), dead, dtype=np.int64)
    for k, q in enumerate(keep):
        for a in range(A):
            r = machine.delta[q, a]
            if r >= 0:
                delta[k, a] = index[int(r)]
    labels = list(machine.labels[keep]) + [None]
    # blocks: start with one block per label, split until every block agrees on where
    # each symbol leads (in terms of blocks)
    names = {lab: b for b, lab in enumerate(dict.fromkeys(labels))}
    block = np.array([names[lab] for lab in labels])
    while True:
        signature = [(block[q],) + tuple(block[delta[q]]) for q in range(Q + 1)]
        names = {sig: b for b, sig in enumerate(dict.fromkeys(signature))}
        new = np.array([names[sig] for sig in signature])
        if len(names) == len(set(block)):
            break
        block = new
    return _canonical(delta, np.array(labels[:Q] + [-1]), block, index[int(machine.start)], dead)


def _canonical(delta, labels, block, start, dead):
    """Quotient by `block`, without the dead block, numbered breadth-first from start."""
    dead_block = block[dead]
    order, seen, todo = [], {block[start]}, deque([block[start]])
    rep = {}
    for q in range(len(block)):
        rep.setdefault(block[q], q)
    while todo:
        b = todo.popleft()
        order.append(b)
        for r in delta[rep[b]]:
            if block[r] != dead_block and block[r] not in seen:
                seen.add(block[r])
                todo.append(block[r])
    number = {b: k for k, b in enumerate(order)}
    new_delta = np.full((len(order), delta.shape[1]), -1, dtype=np.int64)
    for b in order:
        for a, r in enumerate(delta[rep[b]]):
            if block[r] != dead_block:
                new_delta[number[b], a] = number[block[r]]
    return Automaton(new_delta, np.array([labels[rep[b]] for b in order]), start=0)


def pair_states(m1, m2):
    """Walk both machines together from their starts over every symbol both allow.

    Returns (equivalent, pairs): equivalent is True iff the machines have the same
    behaviour (same labels and the same allowed symbols along every path); pairs is the
    set of (state of m1, state of m2) visited together - for equivalent minimal
    machines, the isomorphism between them.
    """
    if m1.n_symbols != m2.n_symbols:
        raise ValueError(f"the machines have different alphabets: {m1.n_symbols} and {m2.n_symbols} symbols")
    start = (m1.start, m2.start)
    pairs, todo, same = {start}, deque([start]), True
    while todo:
        p, q = todo.popleft()
        if m1.labels[p] != m2.labels[q]:
            same = False
        for a in range(m1.n_symbols):
            r, s = int(m1.delta[p, a]), int(m2.delta[q, a])
            if (r < 0) != (s < 0):
                same = False
            elif r >= 0 and (r, s) not in pairs:
                pairs.add((r, s))
                todo.append((r, s))
    return same, pairs


def kmeans(points, k, rng, n_iter=100, n_init=4):
    """Lloyd's k-means with k-means++ starts, best of n_init by inertia.

    points: (M, H). Returns centres (k, H), assignment (M,) ints, inertia (float).
    """
    X = np.asarray(points, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"points must have shape (M, H) with M >= 1, got {X.shape}")
    k = check_positive_int("k", k)
    if k > X.shape[0]:
        raise ValueError(f"k must be at most the number of points {X.shape[0]}, got {k}")
    check_rng(rng)
    best = None
    for _ in range(check_positive_int("n_init", n_init)):
        centres = X[[rng.integers(len(X))]]
        for _ in range(k - 1):  # k-means++: far points are likelier next centres
            d2 = np.min(((X[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
            p = d2 / d2.sum() if d2.sum() > 0 else np.full(len(X), 1.0 / len(X))
            centres = np.vstack([centres, X[rng.choice(len(X), p=p)]])
        for _ in range(n_iter):
            d2 = ((X[:, None, :] - centres[None]) ** 2).sum(-1)  # (M, k)
            assign = np.argmin(d2, axis=1)
            new = np.array([X[assign == j].mean(0) if np.any(assign == j) else centres[j] for j in range(k)])
            if np.allclose(new, centres):
                break
            centres = new
        d2 = ((X[:, None, :] - centres[None]) ** 2).sum(-1)
        assign = np.argmin(d2, axis=1)
        inertia = float(d2[np.arange(len(X)), assign].sum())
        if best is None or inertia < best[2]:
            best = (centres, assign, inertia)
    return best


class Extraction(NamedTuple):
    raw: Automaton  # one state per cluster (unreachable ones included)
    minimal: Automaton  # after minimisation
    centres: np.ndarray  # (k, H)
    assignment: list  # per string, (L + 1,) cluster of every state
    consistency: float  # fraction of observed transitions that agree with the majority


def extract(hidden, symbols, outputs, n_clusters, n_symbols, rng, n_init=4):
    """Omlin & Giles extraction from recorded network states.

    hidden: list of (L + 1, H) arrays, one per string: the state before any input, then
        after each symbol.
    symbols: list of (L,) int arrays, the symbols read.
    outputs: list of (L + 1,) int arrays, the network's output label at each state.
    """
    if not (len(hidden) == len(symbols) == len(outputs)) or not hidden:
        raise ValueError("hidden, symbols and outputs must be non-empty lists of the same length")
    for h, x, o in zip(hidden, symbols, outputs):
        if len(h) != len(x) + 1 or len(o) != len(h):
            raise ValueError("each string needs L + 1 hidden states and outputs for its L symbols")
    sizes = [len(h) for h in hidden]
    centres, flat, _ = kmeans(np.vstack(hidden), n_clusters, rng, n_init=n_init)
    assignment = np.split(flat, np.cumsum(sizes)[:-1])
    moves = Counter()
    for c, x in zip(assignment, symbols):
        moves.update(zip(c[:-1].tolist(), np.asarray(x).tolist(), c[1:].tolist()))
    best = {}
    for (p, a, q), count in moves.items():
        if count > best.get((p, a), (None, 0))[1]:
            best[p, a] = (q, count)
    delta = np.full((n_clusters, n_symbols), -1, dtype=np.int64)
    for (p, a), (q, _) in best.items():
        delta[p, a] = q
    consistency = sum(c for _, c in best.values()) / max(sum(moves.values()), 1)
    votes = [Counter() for _ in range(n_clusters)]
    for c, o in zip(assignment, outputs):
        for j, lab in zip(c.tolist(), np.asarray(o).tolist()):
            votes[j][lab] += 1
    labels = np.array([v.most_common(1)[0][0] if v else -1 for v in votes])
    start = Counter(int(c[0]) for c in assignment).most_common(1)[0][0]
    raw = Automaton(delta, labels, start=start)
    return Extraction(raw, minimize(raw), centres, assignment, consistency)
