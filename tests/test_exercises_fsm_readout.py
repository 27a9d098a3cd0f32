"""Chapter 6's checker passes a right FSM network with readout and names every catalogued slip."""
import numpy as np

from lstm.book.exercises.fsm_readout import CATALOGUE, check_fsm_network

from helpers.slips import slip_tests


def learner(slip=None):
    def fsm_network(table, values, symbols, W, b, targets):
        T, B = symbols.shape
        N = table.shape[0]
        state = np.zeros((B, N), dtype=int)
        if slip == "start_state_1":
            state = np.ones((B, N), dtype=int)
        start = state.copy()
        states = np.zeros((T, B, N), dtype=int)
        steps = range(T)
        if slip == "first_symbol_skipped":
            states[0] = state  # left at the start state: the loop below begins at t = 1
            steps = range(1, T)
        for t in steps:
            old = state.copy()
            if slip == "from_start_state":
                old = start
            for n in range(B):
                for i in range(N):
                    if slip == "table_axes_swapped":
                        state[n, i] = table[i, symbols[t, n], old[n, i]]
                    else:
                        state[n, i] = table[i, old[n, i], symbols[t, n]]
            states[t] = state
            if slip == "states_shifted":
                states[t] = old
            state = state.copy()
        o = values[np.arange(N), states]
        if slip == "output_of_machine_0":
            o = values[0][states]
        y = o @ W + b
        if slip == "no_bias":
            y = o @ W
        r = y - targets
        L = np.sum(r ** 2)
        if slip == "loss_mean":
            L = np.mean(r ** 2)
        if slip == "loss_no_square":
            L = np.sum(np.abs(r))
        if slip == "grad_sign":
            r = targets - y
        dW = 2 * np.einsum("tbn,tbk->nk", o, r)
        db = 2 * r.sum(axis=(0, 1))
        if slip == "grad_no_2":
            dW, db = dW / 2, db / 2
        if slip == "db_mean":
            db = 2 * r.mean(axis=(0, 1))
        return {"states": states, "o": o, "y": y, "L": L, "dW": dW, "db": db}
    return fsm_network


test_every_slip_has_a_mutant_here, test_a_right_network_passes, test_each_slip_is_named = slip_tests(
    lambda slip, seed: check_fsm_network(learner(slip), seed), CATALOGUE, __file__,
    right_seeds=[0, 1, 2], slip_seeds=[0, 4])


def test_form_mistakes():
    def float_states(*args):
        out = learner()(*args)
        out["dW"] = out["dW"].T
        out["L"] = np.float32(out["L"])
        return out
    text = str(check_fsm_network(float_states))
    assert "dW is transposed" in text and "L has dtype float32" in text
