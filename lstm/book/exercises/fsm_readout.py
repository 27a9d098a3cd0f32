"""Checker for chapter 6's exercise: the network of random state machines and its linear readout.

The reader runs N machines over a batch of symbol strings and reads them out linearly
(the chapter's equations of the machines and of the readout), then computes the loss
and its gradients, the forum's recipe for training the readout::

    def fsm_network(table, values, symbols, W, b, targets):
        # table (N, S, A) ints: next state of machine i in state s on symbol x;
        # values (N, S): the output of machine i in state s; symbols (T, B) ints;
        # W (N, K), b (K,); targets (T, B, K)
        ...
        return {"states": ..., "o": ..., "y": ..., "L": ..., "dW": ..., "db": ...}
        # states (T, B, N), o (T, B, N), y (T, B, K), L a number, dW (N, K), db (K,)

`check_fsm_network` compares it with `lstm.fsm.FSMNetwork.run`, `.features`,
`readout_forward` and `readout_loss`, and names the slip.

Needs numpy and the core package only, so it runs in JupyterLite.
"""
from __future__ import annotations

import numbers

import numpy as np

from lstm.fsm import FSMNetwork, readout_forward, readout_loss

from . import Report
from .catalogue import Slip, check, parse_dict

__all__ = ["check_fsm_network", "random_fsm_problem", "CATALOGUE"]

RESULTS = ("states", "o", "y", "L", "dW", "db")
FSM = "chapter 6's equation of the machines"
READ = "chapter 6's equation of the readout"

CATALOGUE = {
    "table_axes_swapped": Slip("the table indexed [i, x, s] instead of [i, s, x]",
                               "s_t = tau_i(s_{t-1}, x_t) = table[i, s_{t-1}, x_t]", FSM),
    "from_start_state": Slip("every step taken from the start state (the state never carried over)",
                             "s_t = tau_i(s_{t-1}, x_t), with s_0 = 0 only at the start", FSM),
    "states_shifted": Slip("the states before each symbol stored (s_0 .. s_{T-1}) instead of after it",
                           "s_t = tau_i(s_{t-1}, x_t): states[t] is the state after symbol t", FSM),
    "first_symbol_skipped": Slip("states[0] left at the start state and the loop begun at t = 1, so the first "
                                 "symbol is never read (states[t] = tau(states[t-1], x_t) from t = 1 on)",
                                 "s_t = tau_i(s_{t-1}, x_t) for t = 1 .. T: states[0] = s_1, the state after "
                                 "symbol 1", FSM),
    "start_state_1": Slip("the machines started in state 1 instead of 0", "s_0 = 0", FSM),
    "output_of_machine_0": Slip("every machine read out with machine 0's output values",
                                "o^i_t = v_i(s^i_t) = values[i, s^i_t]: each machine has its own values", FSM),
    "no_bias": Slip("the readout's bias b left out", "y_t = W^T o_t + b", READ),
    "loss_mean": Slip("the loss averaged instead of summed", "L = sum over t of ||y_t - yhat_t||^2", READ),
    "loss_no_square": Slip("the loss as a sum of absolute errors", "L = sum over t of ||y_t - yhat_t||^2", READ),
    "grad_no_2": Slip("the factor 2 of the square's derivative left out of dW and db",
                      "dL/dW = 2 sum_t o_t (y_t - yhat_t)^T;  dL/db = 2 sum_t (y_t - yhat_t)", READ),
    "grad_sign": Slip("the residual taken as yhat - y (target minus output)",
                      "dL/dW = 2 sum_t o_t (y_t - yhat_t)^T", READ),
    "db_mean": Slip("db averaged over the steps instead of summed", "dL/db = 2 sum_t (y_t - yhat_t)", READ),
}


def random_fsm_problem(seed: int = 0, N: int = 5, S: int = 4, A: int = 4, T: int = 6, B: int = 3, K: int = 2):
    """Random float64 inputs: table (N, S, A) int64, values (N, S), symbols (T, B) int64, W (N, K), b (K,),
    targets (T, B, K)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    rng = np.random.default_rng(seed)
    return {"table": rng.integers(S, size=(N, S, A)), "values": rng.standard_normal((N, S)),
            "symbols": rng.integers(A, size=(T, B)), "W": rng.standard_normal((N, K)), "b": rng.standard_normal(K),
            "targets": rng.standard_normal((T, B, K))}


def _with_slips(p, slips):
    table, values, symbols = p["table"], p["values"], p["symbols"]
    T, B = symbols.shape
    N = table.shape[0]
    start = np.full((B, N), 1 if "start_state_1" in slips else 0)
    state, states, before = start, [], []
    machines = np.arange(N)[None, :]
    for t in range(T):
        prev = start if "from_start_state" in slips else state
        before.append(prev)
        x = symbols[t][:, None]
        state = table[machines, x, prev] if "table_axes_swapped" in slips else table[machines, prev, x]
        if "first_symbol_skipped" in slips and t == 0:
            state = prev  # no transition: states[0] is the start state
        states.append(state)
    states = np.stack(before if "states_shifted" in slips else states)
    vals = np.broadcast_to(values[0], values.shape) if "output_of_machine_0" in slips else values
    o = vals[np.arange(N), states]
    y = o @ p["W"] + (0.0 if "no_bias" in slips else p["b"])
    r = y - p["targets"]
    L = np.sum(np.abs(r)) if "loss_no_square" in slips else np.sum(r ** 2)
    if "loss_mean" in slips:
        L = np.mean(r ** 2)
    r_grad = -r if "grad_sign" in slips else r
    two = 1.0 if "grad_no_2" in slips else 2.0
    dW = two * o.reshape(T * B, N).T @ r_grad.reshape(T * B, -1)
    db = two * r_grad.reshape(T * B, -1).sum(axis=0) / (T * B if "db_mean" in slips else 1)
    return {"states": states, "o": o, "y": y, "L": L, "dW": dW, "db": db}


def check_fsm_network(fsm_network, seed: int = 0) -> Report:
    """Run ``fsm_network(table, values, symbols, W, b, targets)`` and the package on a random problem
    (N = 5 machines, S = 4 states, A = 4 symbols, T = 6, B = 3, K = 2); a Report that names the slip."""
    if not callable(fsm_network):
        raise TypeError(f"fsm_network must be your function (table, values, symbols, W, b, targets) -> dict, "
                        f"got {fsm_network!r}")
    p = random_fsm_problem(seed)
    net = FSMNetwork(p["table"].astype(np.uint8), p["values"].copy())
    states = net.run(p["symbols"])  # (T, B, N)
    o = net.features(states)
    T, B, N = o.shape
    K = p["W"].shape[1]
    y = readout_forward(o.reshape(T * B, N), p["W"], p["b"]).reshape(T, B, K)
    L, dW, db = readout_loss(o.reshape(T * B, N), p["targets"].reshape(T * B, K), p["W"], p["b"])
    reference = {"states": states.astype(np.int64), "o": o, "y": y, "L": np.float64(L), "dW": dW, "db": db}
    order = ("table", "values", "symbols", "W", "b", "targets")
    return check(lambda: fsm_network(*(p[k].copy() for k in order)),
                 parse_dict(RESULTS, "it should return a dict with 'states', 'o', 'y', 'L', 'dW', 'db'"),
                 reference, CATALOGUE, lambda slips: _with_slips(p, slips))
