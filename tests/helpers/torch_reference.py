"""Run torch.nn.LSTM / torch.nn.RNN on random data and record every output and gradient.

Shared by the live parity tests and by make_torch_fixtures.py, which saves the same
records to fixtures/torch_reference.npz so parity is tested where torch is absent.
"""
import numpy as np

CASES = {  # name -> (module, nonlinearity, T, N, D, H)
    "lstm": ("LSTM", None, 7, 3, 4, 5),
    "lstm_T1_N1": ("LSTM", None, 1, 1, 3, 2),
    "rnn_tanh": ("RNN", "tanh", 7, 3, 4, 5),
    "rnn_relu": ("RNN", "relu", 6, 2, 3, 4),
}


def randomize_torch_net(net, rng):
    """Give every weight and both biases of a torch module random, non-zero values."""
    import torch

    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.from_numpy(rng.normal(0, 0.5, size=tuple(p.shape))))


def random_sequence_record(rng, T, N, D, H):
    """Random input, initial state and upstream gradients: the start of every record."""
    return {"X": rng.standard_normal((T, N, D)), "h0": rng.standard_normal((N, H)),
            "dY": rng.standard_normal((T, N, H)), "dhT": rng.standard_normal((N, H))}


def add_torch_params_and_grads(rec, net):
    """Copy the module's state dict and the gradient of every parameter into rec."""
    for key, p in net.state_dict().items():
        rec[key] = p.numpy().copy()
    for key, p in net.named_parameters():
        rec["grad_" + key] = p.grad.numpy().copy()
    return rec


def torch_record(name, seed=0):
    """Inputs, parameters, outputs and gradients of one torch run, as numpy arrays."""
    import torch

    module, nonlinearity, T, N, D, H = CASES[name]
    rng = np.random.default_rng(seed)
    if module == "LSTM":
        net = torch.nn.LSTM(D, H).double()
    else:
        net = torch.nn.RNN(D, H, nonlinearity=nonlinearity).double()
    randomize_torch_net(net, rng)
    rec = random_sequence_record(rng, T, N, D, H)
    X = torch.tensor(rec["X"], requires_grad=True)
    h0 = torch.tensor(rec["h0"][None], requires_grad=True)
    if module == "LSTM":
        rec["c0"], rec["dcT"] = rng.standard_normal((N, H)), rng.standard_normal((N, H))
        c0 = torch.tensor(rec["c0"][None], requires_grad=True)
        Y, (hT, cT) = net(X, (h0, c0))
        loss = (cT[0] * torch.from_numpy(rec["dcT"])).sum()
        rec["cT"] = cT[0].detach().numpy()
    else:
        Y, hT = net(X, h0)
        loss = 0
    loss = loss + (Y * torch.from_numpy(rec["dY"])).sum() + (hT[0] * torch.from_numpy(rec["dhT"])).sum()
    loss.backward()
    rec.update(Y=Y.detach().numpy(), hT=hT[0].detach().numpy(), dX=X.grad.numpy(), dh0=h0.grad[0].numpy())
    if module == "LSTM":
        rec["dc0"] = c0.grad[0].numpy()
    return add_torch_params_and_grads(rec, net)
