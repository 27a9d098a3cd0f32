"""Import another copy of the package (say an older commit checked out in /tmp/old) next to
this one, so a benchmark can time both in one process (its --baseline option)."""
import importlib.util
import os
import sys


def load_baseline(directory):
    """The package in directory/lstm, imported under the name lstm_baseline."""
    init = os.path.join(os.path.abspath(directory), "lstm", "__init__.py")
    if not os.path.exists(init):
        raise SystemExit(f"--baseline: no package at {init}")
    spec = importlib.util.spec_from_file_location("lstm_baseline", init,
                                                  submodule_search_locations=[os.path.dirname(init)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["lstm_baseline"] = module
    spec.loader.exec_module(module)
    return module
