"""Run torch.nn.GRU on random data and record every output and gradient.

Shared by the live GRU parity tests and, run as a script, writes the same records to
fixtures/torch_gru_reference.npz so parity is tested where torch is absent:

    cd tests && python -m helpers.torch_gru_reference

Run it again only when CASES change; the file is committed.
"""
from pathlib import Path

import numpy as np

from helpers.torch_reference import add_torch_params_and_grads, random_sequence_record, randomize_torch_net

CASES = {  # name -> (T, N, D, H)
    "gru": (7, 3, 4, 5),
    "gru_T1_N1": (1, 1, 3, 2),
    "gru_long": (20, 2, 2, 3),
}
FIXTURE = Path(__file__).parents[1] / "fixtures" / "torch_gru_reference.npz"


def torch_gru_record(name, seed=0):
    """Inputs, parameters, outputs and gradients of one torch.nn.GRU run, as numpy arrays."""
    import torch

    T, N, D, H = CASES[name]
    rng = np.random.default_rng(seed)
    net = torch.nn.GRU(D, H).double()
    randomize_torch_net(net, rng)
    rec = random_sequence_record(rng, T, N, D, H)
    X = torch.tensor(rec["X"], requires_grad=True)
    h0 = torch.tensor(rec["h0"][None], requires_grad=True)
    Y, hT = net(X, h0)
    loss = (Y * torch.from_numpy(rec["dY"])).sum() + (hT[0] * torch.from_numpy(rec["dhT"])).sum()
    loss.backward()
    rec.update(Y=Y.detach().numpy(), hT=hT[0].detach().numpy(), dX=X.grad.numpy(), dh0=h0.grad[0].numpy())
    return add_torch_params_and_grads(rec, net)


if __name__ == "__main__":
    import torch

    arrays = {f"{name}/{k}": v for name in CASES for k, v in torch_gru_record(name).items()}
    np.savez_compressed(FIXTURE, torch_version=np.array(torch.__version__), **arrays)
    print(f"wrote {len(arrays)} arrays to {FIXTURE}")
