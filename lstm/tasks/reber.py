"""The Reber grammar, the embedded Reber grammar and its continual stream.

The Reber grammar (Reber 1967; used as an RNN benchmark by Cleeremans, Servan-Schreiber
& McClelland 1989 and Fahlman 1991) is a finite automaton over 7 symbols B, T, P, S, X,
V, E. Every string starts with B and ends with E; in between, each state offers two
symbols, each taken with probability 1/2:

    state 0 --B--> 1
    state 1 --T--> 2    state 1 --P--> 3
    state 2 --S--> 2    state 2 --X--> 4
    state 3 --T--> 3    state 3 --V--> 5
    state 4 --X--> 3    state 4 --S--> 6
    state 5 --P--> 4    state 5 --V--> 6
    state 6 --E--> 7    (7 accepts)

e.g. BTSSXXTVVE, BPVVE, BTXSE. The embedded grammar (Hochreiter & Schmidhuber 1997,
experiment 1) wraps a Reber string as B T <reber> T E or B P <reber> P E: the
second-to-last symbol repeats the second one, across the whole inner string - the
long-lag part. The continual version (Gers, Schmidhuber & Cummins 2000) puts embedded
strings back to back with no reset between them.

Next-symbol prediction is scored against the set of legal next symbols: after each
symbol the target is the multi-hot vector of the symbols that may follow (one or two of
them), and a prediction is right when the set of outputs above a threshold equals it.

    rng = np.random.default_rng(0)
    s = generate(EMBEDDED_REBER, rng)          # e.g. 'BTBPVVETE'
    X = one_hot(s)                             # (T, 7)
    legal = legal_next(EMBEDDED_REBER, s)      # (T, 7) bool; row t: what may follow s[t]
"""
from typing import Dict, NamedTuple, Tuple

import numpy as np

from ..validate import check_rng

SYMBOLS = "BTPSXVE"
SYMBOL_INDEX = {s: k for k, s in enumerate(SYMBOLS)}
N_SYMBOLS = len(SYMBOLS)


class Grammar(NamedTuple):
    """A deterministic finite automaton over SYMBOLS with no dead state.

    transitions: {(state, symbol): next state}; a missing pair means the symbol is
    illegal in that state. A string is in the language if it leads from `start` to
    `accept` with every step defined.
    """
    n_states: int
    start: int
    accept: int
    transitions: Dict[Tuple[int, str], int]

    def options(self, state):
        """The (symbol, next state) pairs leaving `state`, in SYMBOLS order."""
        return [(s, self.transitions[state, s]) for s in SYMBOLS if (state, s) in self.transitions]


REBER = Grammar(
    n_states=8, start=0, accept=7,
    transitions={
        (0, "B"): 1,
        (1, "T"): 2, (1, "P"): 3,
        (2, "S"): 2, (2, "X"): 4,
        (3, "T"): 3, (3, "V"): 5,
        (4, "X"): 3, (4, "S"): 6,
        (5, "P"): 4, (5, "V"): 6,
        (6, "E"): 7,
    },
)


def _embedded(inner):
    """B T <inner> T E | B P <inner> P E as one automaton: two copies of the inner
    automaton, one per branch, so the state remembers the second symbol."""
    t_off, p_off = 2, 2 + inner.n_states
    merge = 2 + 2 * inner.n_states  # after the repeated T or P; only E may follow
    trans = {(0, "B"): 1, (1, "T"): t_off + inner.start, (1, "P"): p_off + inner.start}
    for (q, s), r in inner.transitions.items():
        trans[t_off + q, s] = t_off + r
        trans[p_off + q, s] = p_off + r
    trans[t_off + inner.accept, "T"] = merge
    trans[p_off + inner.accept, "P"] = merge
    trans[merge, "E"] = merge + 1
    return Grammar(n_states=merge + 2, start=0, accept=merge + 1, transitions=trans)


EMBEDDED_REBER = _embedded(REBER)


def _check_grammar(grammar):
    if not isinstance(grammar, Grammar):
        raise TypeError(f"grammar must be a Grammar (e.g. REBER or EMBEDDED_REBER), got {type(grammar).__name__}")


def _check_string(string):
    if not isinstance(string, str):
        raise TypeError(f"string must be a str over {SYMBOLS!r}, got {type(string).__name__}")
    bad = sorted(set(string) - set(SYMBOLS))
    if bad:
        raise ValueError(f"string must use only the symbols {SYMBOLS!r}, found {''.join(bad)!r}")


def generate(grammar, rng, max_length=None):
    """One random string of the grammar: a walk from start to accept, each legal symbol
    equally likely.

    max_length: if given, draw again until the string has at most this many symbols
    (Reber strings have a geometric tail; this keeps batches short).
    """
    _check_grammar(grammar)
    check_rng(rng)
    if max_length is not None and (isinstance(max_length, bool) or not isinstance(max_length, (int, np.integer))
                                   or max_length < shortest_length(grammar)):
        raise ValueError(f"max_length must be None or an int >= {shortest_length(grammar)} "
                         f"(the shortest string), got {max_length!r}")
    while True:
        state, out = grammar.start, []
        while state != grammar.accept:
            choices = grammar.options(state)
            symbol, state = choices[rng.integers(len(choices))]
            out.append(symbol)
        if max_length is None or len(out) <= max_length:
            return "".join(out)


def shortest_length(grammar):
    """Length of the shortest string in the language (breadth-first search)."""
    _check_grammar(grammar)
    frontier, seen, depth = {grammar.start}, {grammar.start}, 0
    while grammar.accept not in frontier:
        frontier = {r for q in frontier for _, r in grammar.options(q)} - seen
        seen |= frontier
        depth += 1
    return depth


def generate_many(grammar, rng, count, max_length=None):
    """A list of `count` random strings (duplicates possible, as in the papers)."""
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
        raise ValueError(f"count must be a non-negative integer, got {count!r}")
    return [generate(grammar, rng, max_length) for _ in range(count)]


def states(grammar, string):
    """The state after each symbol: a list of len(string) ints, or None if the string
    leaves the automaton (an illegal symbol)."""
    _check_grammar(grammar)
    _check_string(string)
    q, out = grammar.start, []
    for s in string:
        if (q, s) not in grammar.transitions:
            return None
        q = grammar.transitions[q, s]
        out.append(q)
    return out


def accepts(grammar, string):
    """Membership test: True iff `string` is a complete string of the grammar."""
    path = states(grammar, string)
    return path is not None and len(path) > 0 and path[-1] == grammar.accept


def is_prefix(grammar, string):
    """True iff `string` can be continued to a string of the grammar."""
    return states(grammar, string) is not None


def legal_set(grammar, state):
    """Boolean (7,) mask of the symbols allowed in `state`."""
    _check_grammar(grammar)
    mask = np.zeros(N_SYMBOLS, dtype=bool)
    for s, _ in grammar.options(state):
        mask[SYMBOL_INDEX[s]] = True
    return mask


def legal_next(grammar, string):
    """Boolean (T, 7): row t marks the symbols that may follow string[:t+1].

    The row after the final E is all False (nothing follows a complete string).
    Raises ValueError if the string is not a prefix of the language.
    """
    path = states(grammar, string)
    if path is None:
        raise ValueError(f"string {string!r} is not a prefix of the grammar's language")
    return np.array([legal_set(grammar, q) for q in path], dtype=bool).reshape(len(string), N_SYMBOLS)


def one_hot(string, dtype=np.float64):
    """One-hot encoding (T, 7) of a string, columns in SYMBOLS order B T P S X V E."""
    _check_string(string)
    X = np.zeros((len(string), N_SYMBOLS), dtype=dtype)
    X[np.arange(len(string)), [SYMBOL_INDEX[s] for s in string]] = 1.0
    return X


def decode(X):
    """Inverse of one_hot: the symbol of the largest entry in each row of X (T, 7)."""
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != N_SYMBOLS:
        raise ValueError(f"X must have shape (T, {N_SYMBOLS}), got {X.shape}")
    return "".join(SYMBOLS[k] for k in np.argmax(X, axis=1))


class ReberBatch(NamedTuple):
    X: np.ndarray  # (T, N, 7) one-hot inputs, the string without its final E, zero-padded
    targets: np.ndarray  # (T, N, 7) multi-hot legal next symbols (0/1), zero on padding
    mask: np.ndarray  # (T, N) bool, True on real (scored) steps
    lengths: np.ndarray  # (N,) number of real steps, len(string) - 1


def encode_batch(grammar, strings, dtype=np.float64):
    """Inputs and next-symbol targets for a batch of strings, padded to the longest.

    Step t feeds string[t] and asks for the legal set after it, for t = 0..len-2 (the
    final E is a target, never an input). Padding steps have zero input, zero target and
    mask False: score with the mask, or give padded steps zero gradient.
    """
    if len(strings) == 0:
        raise ValueError("strings must hold at least one string")
    for s in strings:
        if not accepts(grammar, s):
            raise ValueError(f"every string must belong to the grammar, got {s!r}")
    lengths = np.array([len(s) - 1 for s in strings])
    T, N = int(lengths.max()), len(strings)
    X = np.zeros((T, N, N_SYMBOLS), dtype=dtype)
    targets = np.zeros((T, N, N_SYMBOLS), dtype=dtype)
    mask = np.zeros((T, N), dtype=bool)
    for n, s in enumerate(strings):
        L = lengths[n]
        X[:L, n] = one_hot(s[:-1], dtype)
        targets[:L, n] = legal_next(grammar, s)[:-1]
        mask[:L, n] = True
    return ReberBatch(X, targets, mask, lengths)


def predicted_sets(outputs, threshold=0.5):
    """Boolean (..., 7): the symbols a network predicts, outputs above `threshold`
    (outputs are probabilities, e.g. sigmoid of the readout)."""
    outputs = np.asarray(outputs)
    if outputs.shape[-1:] != (N_SYMBOLS,):
        raise ValueError(f"outputs must have {N_SYMBOLS} entries on the last axis, got shape {outputs.shape}")
    return outputs > threshold


def step_correct(outputs, legal, threshold=0.5):
    """Boolean (...): True where the predicted set equals the legal set exactly."""
    legal = np.asarray(legal).astype(bool)
    pred = predicted_sets(outputs, threshold)
    if pred.shape != legal.shape:
        raise ValueError(f"outputs and legal must have the same shape, got {pred.shape} and {legal.shape}")
    return np.all(pred == legal, axis=-1)


def strings_correct(outputs, targets, mask, threshold=0.5):
    """Boolean (N,): a string counts as right when every one of its real steps is right
    (the 1997 paper's criterion). outputs, targets (T, N, 7); mask (T, N)."""
    ok = step_correct(outputs, targets, threshold)
    mask = np.asarray(mask, dtype=bool)
    if mask.shape != ok.shape:
        raise ValueError(f"mask must have shape {ok.shape}, got {mask.shape}")
    return np.all(ok | ~mask, axis=0)


def continual_embedded_reber(rng, n_strings, max_length=None):
    """A stream of `n_strings` embedded Reber strings back to back, with no reset
    (Gers, Schmidhuber & Cummins 2000).

    Returns (stream, legal, starts): the stream as one str (length T); legal (T, 7)
    bool, the symbols that may follow each position, where after every final E the next
    string's B is the only legal symbol; starts (n_strings,) the index of each B.
    """
    check_rng(rng)
    strings = generate_many(EMBEDDED_REBER, rng, n_strings, max_length)
    if n_strings == 0:
        return "", np.zeros((0, N_SYMBOLS), dtype=bool), np.zeros(0, dtype=int)
    legal = np.concatenate([legal_next(EMBEDDED_REBER, s) for s in strings])
    starts = np.cumsum([0] + [len(s) for s in strings[:-1]])
    ends = starts + np.array([len(s) for s in strings]) - 1
    legal[ends, SYMBOL_INDEX["B"]] = True
    return "".join(strings), legal, starts


def prediction_table(grammar):
    """The grammar as a next-symbol predictor: (delta, labels) for every state a
    predicting network passes through, i.e. all but the accept state (the final E is a
    target, never an input).

    delta: (Q - 1, 7) ints, next state or -1 (transitions into accept are left out);
    labels: (Q - 1,) ints, the legal next symbols as a bitmask (bit k = SYMBOLS[k]).
    Feed them to lstm.automata.Automaton(delta, labels, start=grammar.start).
    """
    _check_grammar(grammar)
    if grammar.accept != grammar.n_states - 1:
        raise ValueError("prediction_table expects the accept state to be the last state")
    Q = grammar.n_states - 1
    delta = np.full((Q, N_SYMBOLS), -1, dtype=np.int64)
    for (q, s), r in grammar.transitions.items():
        if r != grammar.accept:
            delta[q, SYMBOL_INDEX[s]] = r
    labels = np.array([int(np.sum(legal_set(grammar, q) * (1 << np.arange(N_SYMBOLS)))) for q in range(Q)])
    return delta, labels
