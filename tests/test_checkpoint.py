"""Checkpoints: an exact round trip, and a clear refusal of anything that is not one."""
import json
import os
import pickle
import zipfile

import numpy as np
import pytest

import lstm.checkpoint as ckpt
from helpers import randomize
import lstm
from lstm import LSTM, RNN, Linear, SequenceModel
from lstm.checkpoint import CONFIG_KEY, CheckpointError

D, H, K = 3, 4, 2


def models(rng):
    """One of every checkpointable thing, with random non-zero parameters."""
    made = [randomize(LSTM(D, H, cell=cell, dtype=dtype, rng=rng), rng)
            for cell in ("standard", "1997", "peephole") for dtype in (np.float32, np.float64)]
    # every other cell kind the package knows (the variants of chapter 7); "fgr" has its own layer
    made += [randomize(LSTM(D, H, cell=cell, rng=rng), rng)
             for cell in lstm.CELL_KINDS if cell not in ("standard", "1997", "peephole", "fgr")]
    made += [randomize(RNN(D, H, nonlinearity=phi, rng=rng), rng) for phi in ("tanh", "sigmoid", "relu", "identity")]
    made.append(randomize(Linear(D, K, rng=rng, dtype=np.float32), rng))
    for recurrent, shortcut in ((LSTM(D, H, cell="peephole", rng=rng), False),
                                (RNN(D, H, nonlinearity="relu", rng=rng, dtype=np.float32), False),
                                (LSTM(D, H, rng=rng), True)):
        model = SequenceModel(randomize(recurrent, rng), K, rng=rng, shortcut=shortcut)
        randomize(model.readout, rng)
        made.append(model)
    for name in ("GRU", "FGRLSTM"):  # the variants chapter's own layers
        if hasattr(lstm, name):
            made.append(randomize(getattr(lstm, name)(D, H, rng=rng), rng))
    # chapter 10's layers
    made += [randomize(cls(D, H, rng=rng, dtype=dtype), rng)
             for cls in (lstm.MinGRU, lstm.MinLSTM, lstm.SLSTM, lstm.MLSTM) for dtype in (np.float32, np.float64)]
    made.append(randomize(lstm.SelectiveSSM(D, 2, rng=rng), rng))
    made.append(SequenceModel(randomize(lstm.MinLSTM(D, H, rng=rng), rng), K, rng=rng))
    return made


def outputs(obj, X):
    X = X[..., :obj.in_features] if isinstance(obj, Linear) else X
    out = obj.forward(X)
    return out[0] if isinstance(out, tuple) else out


def test_round_trip_is_bit_identical_for_every_class(tmp_path, rng):
    X = rng.standard_normal((6, 2, D))
    for k, obj in enumerate(models(rng)):
        path = tmp_path / f"m{k}.npz"
        assert obj.save(path) == os.fspath(path)
        back = type(obj).load(path)
        assert type(back) is type(obj) and back.config() == obj.config()
        saved, loaded = obj.checkpoint_arrays(), back.checkpoint_arrays()
        assert saved.keys() == loaded.keys()
        for name in saved:
            assert loaded[name].dtype == saved[name].dtype, name
            np.testing.assert_array_equal(loaded[name], saved[name])
        np.testing.assert_array_equal(outputs(back, X), outputs(obj, X))
        assert back.checkpoint_arrays()[name] is not saved[name]  # a copy, not shared


def test_the_configuration_names_class_sizes_cell_dtype_and_version(tmp_path, rng):
    path = LSTM(D, H, cell="1997", dtype=np.float32, rng=rng).save(tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as data:
        header = json.loads(str(data[CONFIG_KEY][0]))
        assert sorted(data.files) == sorted([CONFIG_KEY, "weight_ih", "weight_hh", "bias"])
    assert header["format"] == "lstm-checkpoint" and header["format_version"] == ckpt.FORMAT_VERSION
    assert header["class"] == "LSTM"
    assert header["config"] == {"input_size": D, "hidden_size": H, "cell": "1997", "dtype": "float32"}


def test_saving_writes_exactly_the_given_name_and_leaves_no_temporary_file(tmp_path, rng):
    RNN(D, H, rng=rng).save(str(tmp_path / "weights"))
    assert sorted(os.listdir(tmp_path)) == ["weights"]
    assert RNN.load(tmp_path / "weights").hidden_size == H


def test_module_level_load_returns_whatever_class_was_saved(tmp_path, rng):
    model = SequenceModel(LSTM(D, H, rng=rng), K, rng=rng)
    model.save(tmp_path / "model.npz")
    back = ckpt.load(tmp_path / "model.npz")
    assert isinstance(back, SequenceModel) and isinstance(back.recurrent, LSTM) and back.out_features == K


def test_a_loaded_model_trains_on_like_the_original(tmp_path, rng):
    from lstm import SGD, train_step
    X, target = rng.standard_normal((5, 2, D)), rng.standard_normal((2, K))
    a = SequenceModel(LSTM(D, H, rng=rng), K, rng=rng)
    a.save(tmp_path / "a.npz")
    b = SequenceModel.load(tmp_path / "a.npz")
    for model in (a, b):
        opt = SGD(model.layers, lr=0.1)
        for _ in range(3):
            train_step(model, X, target, opt)
    for name, value in a.checkpoint_arrays().items():
        np.testing.assert_array_equal(b.checkpoint_arrays()[name], value)


# --- files that must be refused -------------------------------------------------

def write_npz(path, header=None, **arrays):
    """An .npz with the given header (a dict, JSON-encoded) and arrays, as save() would."""
    if header is not None:
        arrays[CONFIG_KEY] = np.array([json.dumps(header)])
    np.savez(path, **arrays)
    return path


def good(tmp_path, rng):
    """A valid LSTM checkpoint: (path, header, arrays) to tamper with."""
    path = LSTM(D, H, rng=rng).save(tmp_path / "good.npz")
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files if k != CONFIG_KEY}
        header = json.loads(str(data[CONFIG_KEY][0]))
    return path, header, arrays


def tampered(change):
    """A case: build a bad file from a good one with change(tmp_path, header, arrays) -> path."""
    def make(tmp_path, rng):
        _, header, arrays = good(tmp_path, rng)
        return change(tmp_path, header, arrays)
    return make


def _pickled(tmp_path, header, arrays):
    path = tmp_path / "pickled.npz"
    with open(path, "wb") as f:
        pickle.dump({"header": header, **arrays}, f)
    return path


def _truncated(tmp_path, header, arrays):
    data = (tmp_path / "good.npz").read_bytes()
    path = tmp_path / "truncated.npz"
    path.write_bytes(data[: len(data) // 2])
    return path


def _corrupted(tmp_path, header, arrays):
    """Flip bytes inside a stored array: the zip's CRC check catches it."""
    path = tmp_path / "corrupt.npz"
    with zipfile.ZipFile(tmp_path / "good.npz") as z:
        info = z.getinfo("weight_hh.npy")
    data = bytearray((tmp_path / "good.npz").read_bytes())
    start = info.header_offset + 30 + len(info.filename) + 200  # past the local header and the npy header
    data[start:start + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    return path


def _text(tmp_path, header, arrays):
    path = tmp_path / "notes.npz"
    path.write_text("weights: 1 2 3\n")
    return path


def _npy(tmp_path, header, arrays):
    path = tmp_path / "one.npy"
    np.save(path, arrays["bias"])
    return path


def _with_header(**changes):
    def change(tmp_path, header, arrays):
        return write_npz(tmp_path / "bad.npz", {**header, **changes}, **arrays)
    return change


def _with_config(**changes):
    def change(tmp_path, header, arrays):
        return write_npz(tmp_path / "bad.npz", {**header, "config": {**header["config"], **changes}}, **arrays)
    return change


def _with_arrays(drop=(), **changes):
    def change(tmp_path, header, arrays):
        arrays = {k: v for k, v in arrays.items() if k not in drop}
        return write_npz(tmp_path / "bad.npz", header, **{**arrays, **changes})
    return change


def _raw_header(raw):
    def change(tmp_path, header, arrays):
        return write_npz(tmp_path / "bad.npz", None, **arrays, **{CONFIG_KEY: raw})
    return change


def _object_array(tmp_path, header, arrays):
    path = tmp_path / "objects.npz"
    np.savez(path, **{CONFIG_KEY: np.array([json.dumps(header)])},
             **{**arrays, "bias": np.array([object()] * 16, dtype=object)})
    return path


def _nested_unknown(tmp_path, header, arrays):
    header = {**header, "class": "SequenceModel",
              "config": {"recurrent": {"class": "Transformer", "config": {}}, "out_features": 2}}
    return write_npz(tmp_path / "bad.npz", header, **arrays)


BAD_FILES = [  # (description, make file, class that loads it, message fragment)
    ("a pickle", tampered(_pickled), LSTM, "not a checkpoint written by save"),
    ("truncated", tampered(_truncated), LSTM, "not a checkpoint written by save"),
    ("corrupted bytes", tampered(_corrupted), LSTM, "'weight_hh' cannot be read safely"),
    ("not a zip", tampered(_text), LSTM, "not a checkpoint written by save"),
    ("a single .npy", tampered(_npy), LSTM, "single .npy array"),
    ("no header", lambda tmp_path, rng: write_npz(tmp_path / "plain.npz", None, bias=np.zeros(3)), LSTM,
     "has no '__checkpoint__' entry"),
    ("header not JSON", tampered(_raw_header(np.array(["{not json"]))), LSTM, "not valid JSON"),
    ("header of numbers", tampered(_raw_header(np.arange(3.0))), LSTM, "must be one JSON string"),
    ("another format", tampered(_with_header(format="keras")), LSTM, "does not describe an 'lstm-checkpoint'"),
    ("future format version", tampered(_with_header(format_version=ckpt.FORMAT_VERSION + 1)), LSTM,
     "newer than this package reads"),
    ("version not an int", tampered(_with_header(format_version="1")), LSTM, "format_version must be a positive"),
    ("wrong class", tampered(_with_header()), RNN, "holds the class LSTM, not RNN; load it with LSTM.load"),
    ("unknown class", tampered(_with_header(**{"class": "Transformer"})), None, "unknown class 'Transformer'"),
    ("unknown nested class", tampered(_nested_unknown), None, "unknown class 'Transformer'"),
    ("config with unknown key", tampered(_with_config(layers=2)), LSTM, "does not build a LSTM"),
    ("config with bad size", tampered(_with_config(hidden_size=0)), LSTM, "hidden_size must be a positive"),
    ("config with unknown cell", tampered(_with_config(cell="gru")), LSTM, "unknown cell kind 'gru'"),
    ("missing array", tampered(_with_arrays(drop=("bias",))), LSTM, r"missing \['bias'\], unexpected \[\]"),
    ("extra array", tampered(_with_arrays(weight_ci=np.zeros(H))), LSTM, r"missing \[\], unexpected \['weight_ci'\]"),
    ("wrong shape", tampered(_with_arrays(bias=np.zeros(4 * H + 4))), LSTM,
     r"array 'bias' must have shape \(16,\) and dtype float64, got shape \(20,\)"),
    ("wrong dtype", tampered(_with_arrays(bias=np.zeros(4 * H, np.float32))), LSTM,
     r"dtype float64, got shape \(16,\) and dtype float32"),
    ("integer array", tampered(_with_arrays(bias=np.zeros(4 * H, np.int64))), LSTM, "dtype int64"),
    ("NaN parameter", tampered(_with_arrays(bias=np.full(4 * H, np.nan))), LSTM, "'bias' contains NaN"),
    ("object array", tampered(_object_array), LSTM, "'bias' cannot be read safely"),
]


@pytest.mark.parametrize("what,make,cls,message", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_loading_refuses_a_bad_file_with_a_clear_error(what, make, cls, message, tmp_path, rng):
    path = make(tmp_path, rng)
    with pytest.raises(CheckpointError, match=message):
        cls.load(path) if cls is not None else ckpt.load(path)
    assert issubclass(CheckpointError, ValueError)


def test_loading_a_missing_file_says_so(tmp_path):
    with pytest.raises(FileNotFoundError):
        LSTM.load(tmp_path / "nowhere.npz")


def test_save_and_load_refuse_a_path_that_is_not_a_path(rng):
    with pytest.raises(TypeError, match="path must be a str or os.PathLike"):
        LSTM(D, H, rng=rng).save(42)
    with pytest.raises(TypeError, match="path must be a str or os.PathLike"):
        LSTM.load(None)


def test_save_refuses_what_is_not_a_package_object(tmp_path):
    with pytest.raises(TypeError, match="cannot save a dict"):
        ckpt.save({"weight": np.zeros(3)}, tmp_path / "x.npz")


# --- PyTorch files ----------------------------------------------------------------

def test_lstm_from_a_file_written_by_torch_matches_torch(tmp_path):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    net = torch.nn.LSTM(D, H)
    torch.save(net.state_dict(), tmp_path / "lstm.pt")
    layer = LSTM.from_torch_file(tmp_path / "lstm.pt")
    assert (layer.input_size, layer.hidden_size, layer.dtype) == (D, H, np.float32)
    X = np.random.default_rng(0).standard_normal((7, 2, D)).astype(np.float32)
    with torch.no_grad():
        Y_torch, (h_torch, c_torch) = net(torch.from_numpy(X))
    Y, (hT, cT) = layer.forward(X)
    np.testing.assert_allclose(Y, Y_torch.numpy(), rtol=0, atol=1e-6)
    np.testing.assert_allclose(cT, c_torch[0].numpy(), rtol=0, atol=1e-6)
    assert LSTM.from_torch_file(tmp_path / "lstm.pt", dtype=np.float64).dtype == np.float64


def test_rnn_from_a_file_written_by_torch_takes_its_nonlinearity_as_an_option(tmp_path):
    torch = pytest.importorskip("torch")
    torch.manual_seed(1)
    net = torch.nn.RNN(D, H, nonlinearity="relu")
    torch.save(net.state_dict(), tmp_path / "rnn.pt")
    layer = RNN.from_torch_file(tmp_path / "rnn.pt", nonlinearity="relu")
    X = np.random.default_rng(1).standard_normal((5, 3, D)).astype(np.float32)
    with torch.no_grad():
        Y_torch, _ = net(torch.from_numpy(X))
    np.testing.assert_allclose(layer.forward(X)[0], Y_torch.numpy(), rtol=0, atol=1e-6)


def test_a_layer_without_a_torch_counterpart_refuses_a_torch_file(tmp_path):
    with pytest.raises(TypeError, match="MinGRU has no PyTorch counterpart"):
        lstm.MinGRU.from_torch_file(tmp_path / "any.pt")


def test_torch_files_that_do_not_fit_are_refused(tmp_path):
    torch = pytest.importorskip("torch")
    torch.save(torch.nn.LSTM(D, H).state_dict(), tmp_path / "lstm.pt")
    with pytest.raises(ValueError, match=r"weight_ih must have shape \(4, 3\), got \(16, 3\)"):
        RNN.from_torch_file(tmp_path / "lstm.pt")
    torch.save(torch.nn.LSTM(D, H, num_layers=2).state_dict(), tmp_path / "two.pt")
    with pytest.raises(ValueError, match="unexpected"):
        LSTM.from_torch_file(tmp_path / "two.pt")
    torch.save(torch.nn.Linear(D, H).state_dict(), tmp_path / "linear.pt")
    with pytest.raises(ValueError, match="not the state dict of a one-layer"):
        LSTM.from_torch_file(tmp_path / "linear.pt")
    torch.save(torch.nn.LSTM(D, H), tmp_path / "module.pt")  # a whole pickled module, not a state dict
    with pytest.raises(CheckpointError, match="weights_only=True"):
        ckpt.load_torch_file(tmp_path / "module.pt")
    (tmp_path / "junk.pt").write_bytes(b"not a torch file")
    with pytest.raises(CheckpointError, match="could not be read"):
        ckpt.load_torch_file(tmp_path / "junk.pt")


def test_gru_from_a_file_written_by_torch_matches_torch(tmp_path):
    torch = pytest.importorskip("torch")
    torch.manual_seed(2)
    net = torch.nn.GRU(D, H)
    torch.save(net.state_dict(), tmp_path / "gru.pt")
    layer = lstm.GRU.from_torch_file(tmp_path / "gru.pt")
    X = np.random.default_rng(2).standard_normal((5, 2, D)).astype(np.float32)
    with torch.no_grad():
        Y_torch, _ = net(torch.from_numpy(X))
    np.testing.assert_allclose(layer.forward(X)[0], Y_torch.numpy(), rtol=0, atol=1e-6)


def test_saving_refuses_parameters_with_nan(tmp_path, rng):
    layer = LSTM(D, H, rng=rng)
    layer.params["weight_hh"][0, 0] = np.nan
    with pytest.raises(ValueError, match="array 'weight_hh' contains NaN or infinity"):
        layer.save(tmp_path / "nan.npz")
    assert not os.listdir(tmp_path)


def test_a_readers_class_of_the_same_name_does_not_replace_the_packages(tmp_path, rng):
    class LSTM(lstm.LSTM):  # as a reader might write in a notebook
        pass

    SequenceModel(lstm.LSTM(D, H, rng=rng), K, rng=rng).save(tmp_path / "m.npz")
    assert type(SequenceModel.load(tmp_path / "m.npz").recurrent) is lstm.LSTM
    LSTM(D, H, rng=rng).save(tmp_path / "own.npz")
    assert type(LSTM.load(tmp_path / "own.npz")) is LSTM  # loading through the class itself uses it
