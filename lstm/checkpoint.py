"""Saving a layer or model to a `.npz` file and loading it back, without pickle.

    m.save("model.npz")                      # parameters + configuration
    m2 = LSTM.load("model.npz")              # the same class, sizes, cell, dtype, numbers

A checkpoint is an ordinary numpy `.npz` (zip) archive holding one array per parameter
and one string array, `__checkpoint__`, with a JSON document:

    {"format": "lstm-checkpoint", "format_version": 1, "class": "LSTM",
     "config": {"input_size": 3, "hidden_size": 4, "cell": "standard", "dtype": "float64"},
     "lstm_version": "0.1.0"}

`config` holds the constructor's arguments. Loading reads the file with
`np.load(path, allow_pickle=False)`, so it never runs code from the file; builds a new
object from `config`; then checks that the file has exactly that object's arrays,
each with its shape and dtype and finite, before copying them in. Anything else (a
pickle, a truncated or foreign file, another class, a missing or extra array, a wrong
shape or dtype, a newer format) stops with a ValueError that says what is wrong.

A class takes part by inheriting `Checkpointable`. By default its configuration is
read from the constructor's signature: every argument the object keeps as an
attribute of the same name (sizes, cell kind, nonlinearity, dtype). Arguments that
only shape the random initial values (`rng`, `init_range`, `forget_bias`) are not
needed, since the parameters are stored. A class whose constructor needs more
overrides `config` and `from_config`.
"""
import inspect
import json
import os
import pickle
import tempfile
import zipfile

import numpy as np

from .version import __version__

FORMAT = "lstm-checkpoint"
FORMAT_VERSION = 1
CONFIG_KEY = "__checkpoint__"
INIT_ONLY = ("self", "rng", "init_range", "forget_bias")  # not needed to rebuild an object

_CLASSES = {}  # class name -> class, every Checkpointable subclass


class CheckpointError(ValueError):
    """A file that is not a valid checkpoint for what is being loaded."""


def _config_value(name, value):
    """A configuration value as JSON: numbers, strings, booleans, None, dtypes by name,
    and a part that is itself Checkpointable (a model's layer) as {"class", "config"}."""
    if isinstance(value, Checkpointable):
        return {"class": type(value).__name__, "config": value.config()}
    if isinstance(value, np.dtype):
        return value.name
    if isinstance(value, np.integer):
        return int(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"configuration value {name}={value!r} cannot be stored as JSON; "
                    f"override config() to describe it")


class Checkpointable:
    """Mixin: `save(path)`, `load(path)` (classmethod) and the configuration they use."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A reader's own subclass (defined in a notebook) may be saved and loaded too,
        # but never takes the name of one of the package's classes.
        existing = _CLASSES.get(cls.__name__)
        if existing is None or not _in_package(existing) or _in_package(cls):
            _CLASSES[cls.__name__] = cls

    def config(self):
        """The constructor arguments that rebuild this object (JSON-friendly dict)."""
        config = {}
        for name in inspect.signature(type(self).__init__).parameters:
            if name in INIT_ONLY:
                continue
            if not hasattr(self, name):
                raise NotImplementedError(f"{type(self).__name__} keeps no attribute {name!r} for its "
                                          f"constructor argument {name!r}; override config()")
            config[name] = _config_value(name, getattr(self, name))
        return config

    @classmethod
    def from_config(cls, config):
        """A new object built from `config` (its parameters are then overwritten)."""
        kwargs = {name: build(value["class"], value["config"], where=f"part {name!r}") if _is_part(value) else value
                  for name, value in config.items()}
        if "rng" in inspect.signature(cls.__init__).parameters:
            kwargs["rng"] = np.random.default_rng(0)
        return cls(**kwargs)

    def _parts(self):
        """Attribute name -> Checkpointable part (e.g. a model's recurrent layer and readout)."""
        return {name: value for name, value in vars(self).items() if isinstance(value, Checkpointable)}

    def checkpoint_arrays(self):
        """Name -> array of everything a checkpoint stores; a part's arrays as "part.name"."""
        arrays = dict(getattr(self, "params", {}))
        for part_name, part in self._parts().items():
            arrays.update({f"{part_name}.{k}": v for k, v in part.checkpoint_arrays().items()})
        return arrays

    def load_checkpoint_arrays(self, arrays):
        """Take the (already checked) arrays of a checkpoint."""
        parts = self._parts()
        for part_name, part in parts.items():
            prefix = part_name + "."
            part.load_checkpoint_arrays({k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)})
        own = {k: v for k, v in arrays.items() if k.split(".", 1)[0] not in parts}
        if own:
            for name, value in own.items():
                self.params[name] = value.copy()
            self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def save(self, path):
        """Write parameters and configuration to `path` (.npz, no pickle). Returns path."""
        return save(self, path)

    @classmethod
    def load(cls, path):
        """Read a checkpoint written by `save` for this class, checking everything in it."""
        return load(path, expected=cls)


def _in_package(cls):
    return cls.__module__.split(".")[0] == __name__.split(".")[0]


def _is_part(value):
    return isinstance(value, dict) and set(value) == {"class", "config"} and isinstance(value["config"], dict)


def describe(obj):
    """The JSON header of a checkpoint of obj."""
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "class": type(obj).__name__,
            "config": obj.config(), "lstm_version": __version__}


def _check_path(path):
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
    return os.fspath(path)


def save(obj, path):
    """Write obj's arrays and configuration to `path`, exactly that name (.npz is usual).

    The file is written to a temporary name first and then renamed, so an interrupted
    save never leaves a truncated checkpoint under `path`.
    """
    if not isinstance(obj, Checkpointable):
        raise TypeError(f"cannot save a {type(obj).__name__}: expected a layer or model of the lstm package")
    path = _check_path(path)
    header = json.dumps(describe(obj))
    arrays = obj.checkpoint_arrays()
    if CONFIG_KEY in arrays:
        raise ValueError(f"an array may not be called {CONFIG_KEY!r}")
    for name, value in arrays.items():  # load() would refuse such a file: do not write it
        if not np.all(np.isfinite(value)):
            raise ValueError(f"cannot save {type(obj).__name__}: its array {name!r} contains NaN or infinity")
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".npz.tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **{CONFIG_KEY: np.array([header])}, **arrays)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path


def _open(f, path):
    """np.load(f, allow_pickle=False) as an NpzFile, or a CheckpointError saying why not.

    f is a file the caller opened (and closes), so a failure here leaks no handle."""
    try:
        data = np.load(f, allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, pickle.UnpicklingError) as err:
        raise CheckpointError(f"{path} is not a checkpoint written by save() (an .npz archive): {err}") from err
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise CheckpointError(f"{path} holds a single .npy array, not a checkpoint (.npz archive) written by save()")
    return data


def _read(data, name, path):
    try:
        return data[name]
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as err:  # pickled member, CRC error, ...
        raise CheckpointError(f"{path}: the array {name!r} cannot be read safely: {err}") from err


def _header(data, path):
    if CONFIG_KEY not in data.files:
        raise CheckpointError(f"{path} has no {CONFIG_KEY!r} entry: it is an .npz file but not a checkpoint "
                              f"written by save()")
    raw = _read(data, CONFIG_KEY, path)
    if raw.dtype.kind != "U" or raw.size != 1:
        raise CheckpointError(f"{path}: {CONFIG_KEY!r} must be one JSON string, got dtype {raw.dtype}, "
                              f"shape {raw.shape}")
    try:
        header = json.loads(str(raw.reshape(-1)[0]))
    except json.JSONDecodeError as err:
        raise CheckpointError(f"{path}: {CONFIG_KEY!r} is not valid JSON: {err}") from err
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CheckpointError(f"{path}: {CONFIG_KEY!r} does not describe an {FORMAT!r}")
    version = header.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise CheckpointError(f"{path}: format_version must be a positive integer, got {version!r}")
    if version > FORMAT_VERSION:
        raise CheckpointError(f"{path} has checkpoint format version {version}, newer than this package "
                              f"reads ({FORMAT_VERSION}); update the lstm package")
    if not isinstance(header.get("class"), str) or not isinstance(header.get("config"), dict):
        raise CheckpointError(f"{path}: the header needs a 'class' string and a 'config' object")
    return header


def build(class_name, config, expected=None, where="checkpoint"):
    """An object of the class called class_name, built from config, with a clear error."""
    if not isinstance(class_name, str):
        raise CheckpointError(f"{where}: the class name must be a string, got {class_name!r}")
    if expected is not None and class_name != expected.__name__:
        raise CheckpointError(f"{where} holds the class {class_name}, not {expected.__name__}; "
                              f"load it with {class_name}.load")
    cls = expected if expected is not None else _CLASSES.get(class_name)
    if cls is None:
        raise CheckpointError(f"{where} holds an unknown class {class_name!r}; expected one of {sorted(_CLASSES)}")
    try:
        return cls.from_config(config)
    except (TypeError, ValueError) as err:
        raise CheckpointError(f"{where}: the configuration {config} does not build a {class_name}: {err}") from err


def load(path, expected=None):
    """Read a checkpoint; expected: the class it must hold (None: any lstm class)."""
    path = _check_path(path)
    with open(path, "rb") as f, _open(f, path) as data:
        header = _header(data, path)
        obj = build(header["class"], header["config"], expected, where=path)
        want = obj.checkpoint_arrays()
        have = [k for k in data.files if k != CONFIG_KEY]
        missing, extra = sorted(set(want) - set(have)), sorted(set(have) - set(want))
        if missing or extra:
            raise CheckpointError(f"{path}: a {header['class']} with config {header['config']} has the arrays "
                                  f"{sorted(want)}; missing {missing}, unexpected {extra}")
        arrays = {}
        for name, ref in want.items():
            value = _read(data, name, path)
            if value.shape != ref.shape or value.dtype != ref.dtype:
                raise CheckpointError(f"{path}: array {name!r} must have shape {ref.shape} and dtype {ref.dtype}, "
                                      f"got shape {value.shape} and dtype {value.dtype}")
            if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
                raise CheckpointError(f"{path}: array {name!r} contains NaN or infinity")
            arrays[name] = value
    obj.load_checkpoint_arrays(arrays)
    return obj


def load_torch_file(path):
    """The state dict in a file written by torch.save, as name -> numpy array.

    Uses `torch.load(path, weights_only=True, map_location="cpu")`: only tensors and
    plain containers are read, never arbitrary pickled objects. Needs PyTorch.
    """
    path = _check_path(path)
    try:
        import torch
    except ImportError as err:
        raise ImportError("reading a PyTorch file needs PyTorch (pip install torch)") from err
    try:
        state = torch.load(path, weights_only=True, map_location="cpu")
    except FileNotFoundError:
        raise
    except Exception as err:  # torch raises UnpicklingError, RuntimeError, ... for unsafe or broken files
        raise CheckpointError(f"{path} could not be read as a PyTorch state dict with weights_only=True: "
                              f"{type(err).__name__}: {err}") from err
    if not isinstance(state, dict) or not all(hasattr(v, "detach") for v in state.values()):
        raise CheckpointError(f"{path} does not hold a state dict (a dict of tensors), "
                              f"got {type(state).__name__}")
    return {k: v.detach().cpu().numpy() for k, v in state.items()}
