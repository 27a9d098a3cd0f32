"""Named properties of each character of a text, and the cells that track them.

Each feature is one number per character (the state *after* reading it), computed by
a tiny hand-written scanner, so a reader can check it against the text:

    in_string       1 inside a '...' or "..." literal (triple quotes included), else 0
    bracket_depth   how many (, [ or { are open
    indent          spaces at the start of the current line
    column          position in the current line (0 after a newline)

The scanner is deliberately simple: it knows nothing of comments or escapes beyond a
backslash before a quote, so it is a property of the characters, not of Python's grammar.
"""
import numpy as np

FEATURE_NAMES = ("in_string", "bracket_depth", "indent", "column")


def text_features(text):
    """A dict name -> (T,) float array, the value after each character of text."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    T = len(text)
    out = {name: np.zeros(T) for name in FEATURE_NAMES}
    quote, depth, indent, column, at_line_start, prev = None, 0, 0, 0, True, ""
    k = 0
    while k < T:
        c = text[k]
        width = 1
        if quote is None:
            if c in "'\"":
                quote = text[k:k + 3] if text[k:k + 3] in ("'''", '"""') else c
                width = len(quote)
            elif c in "([{":
                depth += 1
            elif c in ")]}":
                depth = max(0, depth - 1)
        elif text.startswith(quote, k) and prev != "\\":
            width, quote = len(quote), None
        elif c == "\n" and len(quote) == 1:  # an unclosed short string ends at the line's end
            quote = None
        for j in range(k, min(k + width, T)):
            ch = text[j]
            if ch == "\n":
                column, indent, at_line_start = 0, 0, True
            else:
                column += 1
                if at_line_start and ch == " ":
                    indent += 1
                else:
                    at_line_start = False
            out["in_string"][j] = 1.0 if (quote is not None or width > 1 and j < k + width - 1) else 0.0
            out["bracket_depth"][j] = depth
            out["indent"][j] = indent
            out["column"][j] = column
        prev = text[k + width - 1]
        k += width
    return out


def correlate_cells(states, features):
    """Pearson correlation of every cell with every feature.

    states (T, H); features: dict name -> (T,). Returns dict name -> (H,) correlations
    (0 for a constant cell or feature).
    """
    S = np.asarray(states, dtype=np.float64)
    if S.ndim != 2:
        raise ValueError(f"states must have shape (T, H), got {S.shape}")
    Sc = S - S.mean(0)
    s_norm = np.sqrt((Sc ** 2).sum(0))
    out = {}
    for name, f in features.items():
        f = np.asarray(f, dtype=np.float64)
        if f.shape != (S.shape[0],):
            raise ValueError(f"feature {name!r} must have shape ({S.shape[0]},), got {f.shape}")
        fc = f - f.mean()
        denom = s_norm * np.sqrt((fc ** 2).sum())
        out[name] = np.divide(Sc.T @ fc, denom, out=np.zeros(S.shape[1]), where=denom > 0)
    return out
