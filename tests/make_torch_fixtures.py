"""Write fixtures/torch_reference.npz from live PyTorch runs.

    python tests/make_torch_fixtures.py

Run it again only when CASES in torch_reference.py change; the file is committed.
"""
from pathlib import Path

import numpy as np
import torch

from torch_reference import CASES, torch_record

if __name__ == "__main__":
    arrays = {f"{name}/{k}": v for name in CASES for k, v in torch_record(name).items()}
    out = Path(__file__).parent / "fixtures" / "torch_reference.npz"
    np.savez_compressed(out, torch_version=np.array(torch.__version__), **arrays)
    print(f"wrote {len(arrays)} arrays to {out}")
