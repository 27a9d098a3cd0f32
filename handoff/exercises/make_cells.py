"""Write handoff/exercises/NN.json: the coding exercise cells of every chapter.

Run from the repository root: `python handoff/exercises/make_cells.py`. Each file holds one
block, or a list of blocks, for tools/apply_exercise_cells.py:

    {"after_heading": "## Exercises",        # the cells go at the end of this heading's section
     "cells": [{"cell_type": ..., "source": ..., "tags": [...]}, ...],
     "replace_cells_containing": [...],      # existing cells (not ours) holding one of these go
     "truncate_cells_at": [...]}             # existing cells holding one of these lose the text from it on

In a markdown source, {next} becomes the next exercise number of the section.
Every exercise: the task (markdown), a skeleton cell that runs the checker (it reports
"Not written yet." while the skeleton is unfilled), and the answer in a hidden cell whose
output, inside the toggle, is the checker's report on it.
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

RUN = ("*To run it:* this page is static, so its code does not run here. Open the chapter's live "
       "copy with the launch button at the top of the page (the rocket: JupyterLite runs the notebook "
       "in your browser; run its first cell, which installs the book's package), or download the "
       "notebook with the download button and open it in the book's environment, or run `make lab` in "
       "a clone of the repository. The exercise's cells need nothing from the cells above them. Fill in "
       "the function in the cell below and run the cell: the checker runs your function and the "
       "package's on the same random inputs, and for a wrong result it names the slip and the line of "
       "the equation it breaks.")

ANSWER_NOTE = ("The answer is in the hidden cell below (click to show it), with the checker's report "
               "on it; try first.")


def md(text):
    return {"cell_type": "markdown", "source": text.strip("\n") + "\n", "tags": []}


def code(text, tags=()):
    return {"cell_type": "code", "source": text.strip("\n"), "tags": list(tags)}


def exercise(task, skeleton, answer):
    return [md(task + "\n\n" + RUN + "\n\n" + ANSWER_NOTE), code(skeleton, ["nbval-check-output"]),
            code(answer, ["hide-cell", "nbval-check-output"])]


CHAPTERS = {}

# ---------------------------------------------------------------- chapter 0
CHAPTERS["00"] = {
    "after_heading": "## Exercises",
    "truncate_cells_at": ["**5. Write the step yourself.**"],
    "replace_cells_containing": ["def slipped_step(", "One solution (the slices are the rows",
                                 "def my_step(x, h_prev"],
    "cells": exercise(r"""
**5. Write the step yourself.** Write one LSTM step for a batch: the pre-activations
{eq}`ch00-preact` in batch form, $a = x W_{ih}^\top + h_{\text{prev}} W_{hh}^\top + b$ of shape
$(N, 4H)$; the gates {eq}`ch00-gates`, with the four blocks of $a$ in the order $i, f, g, o$; and
the update {eq}`ch00-update`. Return all six results in a dict, so the checker can tell which
one goes wrong first.
""", r'''
import numpy as np
from lstm.book.exercises.step import check_step_forward


def lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias):
    """x (N, D), h_prev and c_prev (N, H); weight_ih (4H, D), weight_hh (4H, H), bias (4H,),
    rows stacked i, f, g, o. Returns {"i", "f", "g", "o", "c", "h"}, each (N, H)."""
    raise NotImplementedError  # your code here


print(check_step_forward(lstm_step))
''', r'''
# Answer: one solution, the checker's report on it, and on a slip (imports: the cell above)


def answer_lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias):
    H = h_prev.shape[1]
    a = x @ weight_ih.T + h_prev @ weight_hh.T + bias  # (N, 4H)
    i = 1 / (1 + np.exp(-a[:, 0:H]))  # input gate
    f = 1 / (1 + np.exp(-a[:, H:2 * H]))  # forget gate
    g = np.tanh(a[:, 2 * H:3 * H])  # candidate
    o = 1 / (1 + np.exp(-a[:, 3 * H:4 * H]))  # output gate
    c = f * c_prev + i * g  # keep + write
    h = o * np.tanh(c)  # read
    return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}


print(check_step_forward(answer_lstm_step))


def walkthrough_slip(x, h_prev, c_prev, weight_ih, weight_hh, bias):
    out = answer_lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias)
    out["c"] = out["f"] * c_prev + out["o"] * out["g"]  # the walkthrough's formula
    out["h"] = out["o"] * np.tanh(out["c"])
    return out


print("\nThe walkthrough's slip:")
print(check_step_forward(walkthrough_slip))
'''),
}

# ---------------------------------------------------------------- chapter 1
CHAPTERS["01"] = {
    "after_heading": "## Exercises",
    "cells": exercise(r"""
**{next}. Write the error flow.** Put the loss at the last step only, as in
{eq}`ch01-backstep`, and compute every $\delta_t = \partial L / \partial h_t$ of a tanh RNN,
from $\delta_T$ back to $\delta_1$. The package's arrays hold one row per sequence, so in
numpy the step reads `delta_t = (phi'(a_{t+1}) * delta_{t+1}) @ W_hh` with
$\phi'(a) = 1 - \tanh^2(a)$. Return the deltas in time order, `deltas[t]` $= \delta_{t+1}$, so
that `deltas[-1]` is $\delta_T$.
""", r'''
import numpy as np
from lstm.book.exercises.rnn_flow import check_error_flow


def error_flow(delta_T, a, W_hh):
    """delta_T (N, n): dL/dh_T. a (T, N, n): the pre-activations, a[t] = a_{t+1}.
    W_hh (n, n). Returns deltas (T, N, n), deltas[t] = dL/dh_{t+1}."""
    raise NotImplementedError  # your code here


print(check_error_flow(error_flow))
''', r'''
# Answer: one solution and the checker's report on it (imports: the cell above)


def answer_error_flow(delta_T, a, W_hh):
    T = len(a)
    deltas = np.empty_like(a)
    deltas[T - 1] = delta_T
    for t in range(T - 2, -1, -1):  # delta_{t+1} from delta_{t+2}, which passed a[t + 1]
        deltas[t] = ((1 - np.tanh(a[t + 1]) ** 2) * deltas[t + 1]) @ W_hh
    return deltas


print(check_error_flow(answer_error_flow))
'''),
}

# ---------------------------------------------------------------- chapter 2
CHAPTERS["02"] = {
    "after_heading": "## Exercises",
    "cells": exercise(r"""
**{next}. Write the naive unit and its error factor.** Run the logistic unit with a loop
{eq}`ch02-unit` over a sequence, $y_j(t) = \sigma(w_{jj}\, y_j(t-1) + x(t)\, w_{j,\text{in}}^\top + b_j)$
from $y_j(0) = y_0$, and return with its outputs the factor by which each step scales an error
on its way back, $f_j'(\mathrm{net}_j(t))\, w_{jj}$ {eq}`ch02-onestep`. For the logistic unit
$\sigma'(\mathrm{net}) = y\,(1 - y)$. Here the steps are
numbered $t = 1, \dots, T$ from the start state $y_j(0)$, as in the code's arrays; the text
above numbered them from $t = 0$ with start state $y_j(-1)$, so this exercise's $y_j(t)$ is the
text's $y_j(t-1)$.
""", r'''
import numpy as np
from lstm.book.exercises.rnn_flow import check_naive_unit


def naive_unit(x, w_in, w_jj, b, y0):
    """x (T, N, D); w_in (1, D); w_jj and b numbers; y0 (N, 1).
    Returns y and factor, each (T, N, 1): y_j(t) and f'(net_j(t)) * w_jj for t = 1..T."""
    raise NotImplementedError  # your code here


print(check_naive_unit(naive_unit))
''', r'''
# Answer: one solution and the checker's report on it (imports: the cell above)


def answer_naive_unit(x, w_in, w_jj, b, y0):
    y, ys, factors = y0, [], []
    for t in range(len(x)):
        net = w_jj * y + x[t] @ w_in.T + b
        y = 1 / (1 + np.exp(-net))
        ys.append(y)
        factors.append(y * (1 - y) * w_jj)  # sigma'(net) = y (1 - y)
    return np.stack(ys), np.stack(factors)


print(check_naive_unit(answer_naive_unit))
'''),
}

# ---------------------------------------------------------------- chapter 3
CHAPTERS["03"] = {
    "after_heading": "## Exercises",
    "replace_cells_containing": ["**5. Write the backward step of the 1997 cell.**",
                                 "from lstm.book.exercises.cell1997 import check_cell1997_backward",
                                 "A typical first attempt passes back", "def forgets_the_path_through_h("],
    "cells": exercise(r"""
**5. Write the backward step of the 1997 cell.** Chapter 5 derives the backward pass of the
LSTM in general; the 1997 cell is small enough to do now. Its forward step, given the
pre-activations, is $i = \sigma(a^i)$, $g = \tanh(a^g)$, $o = \sigma(a^o)$,
$c = c_{\text{prev}} + i \odot g$, $h = o \odot \tanh(c)$ ({eq}`ch03-cec` and {eq}`ch03-out`).
The backward step receives $\delta h = \partial L/\partial h$ and $\delta c_{\rm next}$, the
error arriving at $c$ from step $t+1$ along the carousel, and returns the errors of the three
pre-activations and the error passed back to $c_{\text{prev}}$. Two hints: $c$ is used twice,
by $h$ and by the next step, so its error is a sum of two paths; and
$\sigma' = \sigma(1 - \sigma)$, $\tanh' = 1 - \tanh^2$.
""", r'''
import numpy as np
from lstm.book.exercises.cell1997 import check_cell1997_backward


def cell1997_backward(dh, dc_next, cache):
    """dh, dc_next (N, H). cache: lstm.cells.CellCache of the forward step, with
    cache.i, cache.g, cache.o, cache.c_prev, cache.c, cache.tanh_c, each (N, H).
    Returns da_i, da_g, da_o, dc_prev, each (N, H)."""
    raise NotImplementedError  # your code here


print(check_cell1997_backward(cell1997_backward))
''', r'''
# Answer: one solution, the checker's report on it, and on a slip (imports: the cell above)


def answer_cell1997_backward(dh, dc_next, cache):
    i, g, o, tanh_c = cache.i, cache.g, cache.o, cache.tanh_c
    da_o = dh * tanh_c * o * (1 - o)  # through h = o tanh(c), into the output gate
    dc = dc_next + dh * o * (1 - tanh_c ** 2)  # two paths into c: from t+1, and through h
    da_i = dc * g * i * (1 - i)  # through i g, into the input gate
    da_g = dc * i * (1 - g ** 2)  # into the candidate
    return da_i, da_g, da_o, dc  # along the carousel: no forget gate, factor 1


print(check_cell1997_backward(answer_cell1997_backward))


def only_the_carousel(dh, dc_next, cache):  # the slip: c also feeds h, and that path is left out
    i, g, o, tanh_c = cache.i, cache.g, cache.o, cache.tanh_c
    dc = dc_next
    return dc * g * i * (1 - i), dc * i * (1 - g ** 2), dh * tanh_c * o * (1 - o), dc


print("\nA first attempt that passes back only the error from the carousel:")
print(check_cell1997_backward(only_the_carousel))
'''),
}

# ---------------------------------------------------------------- chapter 4
CHAPTERS["04"] = {
    "after_heading": "## Exercises",
    "cells": exercise(r"""
**{next}. Write the peephole cell's step.** Given the four pre-activation blocks (without the
peepholes), the old state and the three peephole weights, compute the step of the cell with a
forget gate and peepholes {eq}`ch04-peephole`: the input and forget gates look at $c_{t-1}$,
the output gate at the new $c_t$, each weight acting element-wise.
""", r'''
import numpy as np
from lstm.book.exercises.peephole import check_peephole_cell


def peephole_cell(a, c_prev, w_ci, w_cf, w_co):
    """a (N, 4H): a_i, a_f, a_g, a_o stacked i, f, g, o; c_prev (N, H); w_ci, w_cf, w_co (H,).
    Returns {"i", "f", "g", "o", "c", "h"}, each (N, H)."""
    raise NotImplementedError  # your code here


print(check_peephole_cell(peephole_cell))
''', r'''
# Answer: one solution and the checker's report on it (imports: the cell above)


def answer_peephole_cell(a, c_prev, w_ci, w_cf, w_co):
    a_i, a_f, a_g, a_o = np.split(a, 4, axis=1)
    sigma = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    i = sigma(a_i + w_ci * c_prev)  # the input gate sees the old state
    f = sigma(a_f + w_cf * c_prev)  # so does the forget gate
    g = np.tanh(a_g)
    c = f * c_prev + i * g
    o = sigma(a_o + w_co * c)  # the output gate sees the new state
    return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": o * np.tanh(c)}


print(check_peephole_cell(answer_peephole_cell))
'''),
}

# ---------------------------------------------------------------- chapter 5
WORKED = [
    md(r"""
### One backward step with numbers

Here is every line of {eq}`ch05-step-backward` and {eq}`ch05-weight-grads` for one cell
($N = D = H = 1$), with the numbers filled in. The forward quantities come from
`lstm.step_forward` on one input, one state and the weights whose rows the first four lines
show; the gradients arriving from the rest of the computation are
$\delta h =$ {glue:text}`worked_dh` and $\delta c_{\text{next}} =$ {glue:text}`worked_dc_next`.
Each line's arithmetic is checked against `lstm.step_backward` (the cell stops with an error
if one differs).
"""),
    code(r'''
from lstm.book.claims import glue
from lstm.book.exercises.worked import worked_backward_step

WORKED_DH, WORKED_DC_NEXT = 1.0, 0.3
worked_rows = worked_backward_step(dh=WORKED_DH, dc_next=WORKED_DC_NEXT)
worked = {r.name: r.value for r in worked_rows}
glue("worked_dh", WORKED_DH, "{:.1f}")
glue("worked_dc_next", WORKED_DC_NEXT, "{:.1f}")
glue("worked_dc_h", worked["dc"] - WORKED_DC_NEXT, "{:.2f}")
for worked_row in worked_rows:
    assert abs(worked_row.value - worked_row.package) < 1e-12, worked_row  # the arithmetic is the package's
    print(worked_row.line)
''', ["hide-input", "nbval-check-output"]),
    md(r"""
Three things to see in the numbers. $\delta c$ is a sum: {glue:text}`worked_dc_next` from the
next step plus {glue:text}`worked_dc_h` through $h$. The carousel passes back
$\delta c_{\text{prev}} = \delta c \cdot f$, scaled by the forget gate alone. And with one
sequence, each weight gradient is the error of its pre-activation times the input that weight
multiplies.
"""),
]

CHAPTERS["05"] = [
    {"after_heading": "## 1. One step backwards", "cells": WORKED},
    {"after_heading": "## Exercises",
     "replace_cells_containing": ["**5. Write one step of BPTT.**",
                                  "# Answer\nfrom lstm.book.exercises.bptt import check_lstm_step_backward",
                                  "A common slip is to leave the forget gate off the carousel",
                                  "def no_forget_gate_on_the_carousel("],
     "cells": exercise(r"""
**5. Write backpropagation through time.** Write the whole backward pass of an LSTM layer over
a sequence: run the backward step {eq}`ch05-step-backward` from $t = T$ down to $1$, carrying
$\delta h_{\text{prev}}$ and $\delta c_{\text{prev}}$ from each step to the one before as
{eq}`ch05-bptt` says, and summing the weight gradients {eq}`ch05-weight-grads` over the steps.
The function receives the loss's gradient at every output and the caches of
`lstm.step_forward`, one per step; it returns the gradients of the inputs, of the initial state
and of the three weight arrays. The worked step at the end of section 1 is the body of your loop; `dY[t]` goes
with `caches[t]`.
""", r'''
import numpy as np
from lstm.book.exercises.bptt import check_lstm_backward


def lstm_backward(dY, caches):
    """dY (T, N, H): dL/dh_t from the loss at every step. caches: T lstm.cells.StepCache of
    lstm.step_forward, caches[t] for step t+1, each with .x (N, D), .h_prev (N, H),
    .params (weight_ih (4H, D), weight_hh (4H, H), bias (4H,)) and
    .cell (i, f, g, o, c_prev, c, tanh_c, each (N, H)).
    Returns dX (T, N, D), dh0 (N, H), dc0 (N, H) and
    {"weight_ih": (4H, D), "weight_hh": (4H, H), "bias": (4H,)}; gate order in da: i, f, g, o."""
    raise NotImplementedError  # your code here


print(check_lstm_backward(lstm_backward))
''', r'''
# Answer: one solution, the checker's report on it, and on a slip (imports: the cell above)


def answer_lstm_backward(dY, caches):
    T = len(caches)
    dh_next, dc_next = np.zeros_like(dY[0]), np.zeros_like(dY[0])
    dX = np.zeros((T,) + caches[0].x.shape)
    grads = {k: np.zeros_like(v) for k, v in caches[0].params.items()}
    for t in reversed(range(T)):
        i, f, g, o, c_prev, c, tanh_c = caches[t].cell
        p = caches[t].params
        dh = dY[t] + dh_next  # from this step's output and from step t+1
        da_o = dh * tanh_c * o * (1 - o)
        dc = dc_next + dh * o * (1 - tanh_c ** 2)  # two paths into c
        da_i = dc * g * i * (1 - i)
        da_g = dc * i * (1 - g ** 2)
        da_f = dc * c_prev * f * (1 - f)
        da = np.concatenate([da_i, da_f, da_g, da_o], axis=1)  # (N, 4H), order i, f, g, o
        dX[t] = da @ p["weight_ih"]
        dh_next = da @ p["weight_hh"]  # to step t-1, through W_hh
        dc_next = dc * f  # to step t-1, along the carousel
        grads["weight_ih"] += da.T @ caches[t].x  # summed over steps
        grads["weight_hh"] += da.T @ caches[t].h_prev
        grads["bias"] += da.sum(axis=0)
    return dX, dh_next, dc_next, grads


print(check_lstm_backward(answer_lstm_backward))


def grads_of_the_last_step_only(dY, caches):  # the slip: = where += belongs
    T = len(caches)
    dh_next, dc_next = np.zeros_like(dY[0]), np.zeros_like(dY[0])
    dX = np.zeros((T,) + caches[0].x.shape)
    for t in reversed(range(T)):
        i, f, g, o, c_prev, c, tanh_c = caches[t].cell
        p = caches[t].params
        dh = dY[t] + dh_next
        dc = dc_next + dh * o * (1 - tanh_c ** 2)
        da = np.concatenate([dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g ** 2),
                             dh * tanh_c * o * (1 - o)], axis=1)
        dX[t], dh_next, dc_next = da @ p["weight_ih"], da @ p["weight_hh"], dc * f
        grads = {"weight_ih": da.T @ caches[t].x, "weight_hh": da.T @ caches[t].h_prev, "bias": da.sum(axis=0)}
    return dX, dh_next, dc_next, grads


print("\nThe weight gradients overwritten at every step instead of summed:")
print(check_lstm_backward(grads_of_the_last_step_only))
''')},
]

# ---------------------------------------------------------------- chapter 6
CHAPTERS["06"] = {
    "after_heading": "## Exercises",
    "cells": exercise(r"""
**{next}. Write the forum's network.** Run $N$ random machines over a batch of symbol strings
{eq}`ch06-fsm` (every machine starts in state 0, and `states[t]` is the state *after* reading
symbol $t$), read them out linearly {eq}`ch06-readout`, and compute the loss $L$ with its
gradients $\partial L/\partial W$ and $\partial L/\partial b$, all that gradient descent on the
readout needs.
""", r'''
import numpy as np
from lstm.book.exercises.fsm_readout import check_fsm_network


def fsm_network(table, values, symbols, W, b, targets):
    """table (N, S, A) ints: next state of machine i in state s on symbol x; values (N, S);
    symbols (T, B) ints; W (N, K); b (K,); targets (T, B, K).
    Returns {"states": (T, B, N) ints, "o": (T, B, N), "y": (T, B, K), "L": a number,
             "dW": (N, K), "db": (K,)}."""
    raise NotImplementedError  # your code here


print(check_fsm_network(fsm_network))
''', r'''
# Answer: one solution and the checker's report on it (imports: the cell above)


def answer_fsm_network(table, values, symbols, W, b, targets):
    T, B = symbols.shape
    N = table.shape[0]
    machine = np.arange(N)[None, :]  # (1, N)
    state = np.zeros((B, N), dtype=np.int64)  # s_0 = 0
    states = np.empty((T, B, N), dtype=np.int64)
    for t in range(T):
        state = table[machine, state, symbols[t][:, None]]  # s_t = tau_i(s_{t-1}, x_t)
        states[t] = state
    o = values[machine, states]  # o^i_t = v_i(s^i_t)
    y = o @ W + b
    r = y - targets  # (T, B, K)
    L = np.sum(r ** 2)
    dW = 2 * o.reshape(T * B, N).T @ r.reshape(T * B, -1)
    db = 2 * r.sum(axis=(0, 1))
    return {"states": states, "o": o, "y": y, "L": L, "dW": dW, "db": db}


print(check_fsm_network(answer_fsm_network))
'''),
}

# ---------------------------------------------------------------- chapter 8
CHAPTERS["08"] = {
    "after_heading": "## Exercises",
    "cells": exercise(r"""
**{next}. Write the adding problem.** Write the paper's adding problem as the section on the
tasks states it: given the random values of a sequence and its two marked positions, build the
input $x$ (one pair value, marker per step: marker $-1$ at the first and the last step, $1$ at
the two marked pairs, $0$ elsewhere; if the first pair is marked, its value is set to 0) and the
target $0.5 + (X_1 + X_2)/4$. Then write the test criterion: a sequence counts as right if the
absolute error of the output at its end is below 0.04.
""", r'''
import numpy as np
from lstm.book.exercises.adding import check_adding


def adding_example(values, p1, p2):
    """values (L,): uniform in [-1, 1]; p1, p2: the marked positions (0-based).
    Returns x (L, 2) and the target, a number."""
    raise NotImplementedError  # your code here


def adding_right(outputs, targets):
    """outputs, targets (M,): the output at each sequence's end, and its target.
    Returns (M,) bool: True where the sequence counts as right."""
    raise NotImplementedError  # your code here


print(check_adding(adding_example, adding_right))
''', r'''
# Answer: one solution and the checker's report on it (imports: the cell above)


def answer_adding_example(values, p1, p2):
    x = np.zeros((len(values), 2))
    x[:, 0] = values
    if 0 in (p1, p2):
        x[0, 0] = 0.0  # "X1 is set to zero", in the input as in the target
    x[0, 1] = x[-1, 1] = -1.0
    x[[p1, p2], 1] = 1.0
    return x, 0.5 + (x[p1, 0] + x[p2, 0]) / 4


def answer_adding_right(outputs, targets):
    return np.abs(outputs - targets) < 0.04


print(check_adding(answer_adding_example, answer_adding_right))
'''),
}

# ---------------------------------------------------------------- chapter 9
CHAPTERS["09"] = {
    "after_heading": "## Exercises",
    "cells": exercise(r"""
**{next}. Write bits per character.** A character model gives, at each position, a score for
every character of the alphabet. Turn each row of scores into probabilities with a softmax,
pick the probability the model gave to the character that actually came next, and average the
information of those characters in bits {eq}`ch09-bpc`.
""", r'''
import numpy as np
from lstm.book.exercises.bpc import check_bits_per_character


def bits_per_character(logits, ids):
    """logits (T, V): row t holds the scores for the character at position t+1.
    ids (T + 1,): the text as character ids.
    Returns p_true (T,), the probability given to ids[t + 1], and bpc, a number."""
    raise NotImplementedError  # your code here


print(check_bits_per_character(bits_per_character))
''', r'''
# Answer: one solution and the checker's report on it (imports: the cell above)


def answer_bits_per_character(logits, ids):
    z = logits - logits.max(axis=1, keepdims=True)  # the same softmax, without overflow
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)  # (T, V), each row sums to 1
    p_true = p[np.arange(len(p)), ids[1:]]  # row t predicts the character at t + 1
    return p_true, -np.mean(np.log2(p_true))


print(check_bits_per_character(answer_bits_per_character))
'''),
}

# ---------------------------------------------------------------- chapter 10
CHAPTERS["10"] = {
    "after_heading": "## Exercises",
    "cells": exercise(r"""
**{next}. Write the combination of two steps.** A step of the recurrence {eq}`ch10-linrec` is a
pair $(a_t, b_t)$. Write the pair of the single step that does step 1 and then step 2
{eq}`ch10-compose`. The checker also builds a parallel prefix scan from your function and
compares its $h_t$ with the package's scan, so you see what a slip does to the recurrence.
""", r'''
import numpy as np
from lstm.book.exercises.scan import check_compose


def compose(a1, b1, a2, b2):
    """Step 1 = (a1, b1), step 2 = (a2, b2), arrays of one shape.
    Returns (a, b): the one step h -> a * h + b that does step 1, then step 2."""
    raise NotImplementedError  # your code here


print(check_compose(compose))
''', r'''
# Answer: one solution and the checker's report on it (imports: the cell above)


def answer_compose(a1, b1, a2, b2):
    # a2 * (a1 * h + b1) + b2 = (a2 * a1) * h + (a2 * b1 + b2)
    return a2 * a1, a2 * b1 + b2


print(check_compose(answer_compose))
'''),
}

# ---------------------------------------------------------------- chapter 7
CHAPTERS["07"] = {
    "after_heading": "## Exercises",
    "replace_cells_containing": ["**Write the GRU's backward step.**", "Answer to exercise 6: the GRU step backward",
                                 "A typical slip: forgetting that the recurrent part",
                                 "def forgot_the_reset_gate("],
    "cells": exercise(r"""
6. **Write the GRU's backward step.** Using {eq}`ch07-gru-backward` and
   {eq}`ch07-gru-backward-h`, write the backward pass of one GRU step: the gradients of the
   input part $a_x$ and of the recurrent part $a_h$ of the three blocks (in the order
   $r, z, n$), and of $h_{t-1}$. Mind which path the reset gate scales and which one the
   update gate keeps.
""", r'''
import numpy as np
from lstm.book.exercises.gru import check_gru_backward


def gru_step_backward(dh, cache, weight_hh):
    """dh (N, H): dL/dh_t, every path summed. cache: lstm.gru.GRUCellCache with h_prev, r, z,
    n, hn, each (N, H) (hn = h_{t-1} W_hn^T + b_hn). weight_hh (3H, H), rows r, z, n.
    Returns da_x (N, 3H), da_h (N, 3H), dh_prev (N, H)."""
    raise NotImplementedError  # your code here


print(check_gru_backward(gru_step_backward))
''', r'''
# Answer: one solution, the checker's report on it, and on a slip (imports: the cell above)


def answer_gru_step_backward(dh, cache, weight_hh):
    h_prev, r, z, n, hn = cache
    da_n = dh * (1.0 - z) * (1.0 - n ** 2)  # through (1 - z) * n, then tanh
    da_z = dh * (h_prev - n) * z * (1.0 - z)  # through the interpolation, then sigmoid
    da_r = da_n * hn * r * (1.0 - r)  # the reset gate scales hn inside the candidate
    da_x = np.concatenate([da_r, da_z, da_n], axis=1)  # (N, 3H)
    da_h = np.concatenate([da_r, da_z, da_n * r], axis=1)  # hn reaches n through r
    dh_prev = dh * z + da_h @ weight_hh  # kept by the update gate, and through W_hh
    return da_x, da_h, dh_prev


print(check_gru_backward(answer_gru_step_backward))


def paper_convention(dh, cache, weight_hh):  # the slip: h = z n + (1 - z) h_prev, as in Cho et al.
    h_prev, r, z, n, hn = cache
    da_n = dh * z * (1.0 - n ** 2)
    da_z = dh * (h_prev - n) * z * (1.0 - z)
    da_r = da_n * hn * r * (1.0 - r)
    da_h = np.concatenate([da_r, da_z, da_n * r], axis=1)
    return np.concatenate([da_r, da_z, da_n], axis=1), da_h, dh * z + da_h @ weight_hh


print("\nz where 1 - z belongs:")
print(check_gru_backward(paper_convention))
'''),
}


def main():
    for nn, blocks in sorted(CHAPTERS.items()):
        path = HERE / f"{nn}.json"
        path.write_text(json.dumps(blocks, indent=1, ensure_ascii=False) + "\n")
        print("wrote", path.relative_to(HERE.parents[1]))


if __name__ == "__main__":
    main()
