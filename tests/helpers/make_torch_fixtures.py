"""Write fixtures/torch_reference.npz from live PyTorch runs.

    cd tests && python -m helpers.make_torch_fixtures

Run it again only when CASES in torch_reference.py change; the file is committed.
"""
from pathlib import Path

import numpy as np
import torch

from helpers.torch_reference import CASES, torch_record

if __name__ == "__main__":
    arrays = {f"{name}/{k}": v for name in CASES for k, v in torch_record(name).items()}
    out = Path(__file__).parents[1] / "fixtures" / "torch_reference.npz"
    np.savez_compressed(out, torch_version=np.array(torch.__version__), **arrays)
    print(f"wrote {len(arrays)} arrays to {out}")
