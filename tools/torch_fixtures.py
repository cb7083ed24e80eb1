"""Write the PyTorch parity fixtures that rnnc's tests compare against.

Run from the repository root with the interpreter that has PyTorch:

    /usr/bin/python3 tools/torch_fixtures.py

For every case in CASES below this (re)writes test/fixtures/<case>/:

    model.yaml          the rnnc spec for the case
    init.safetensors    PyTorch's initial weights (state_dict names, F32)
    data.safetensors    x: F32 [N, seq, input] from torch.randn, y: I64 [N] from torch.randint
    expected.json       per-epoch losses (mean of the epoch's mini-batch mean losses)
    final.safetensors   the weights after the last epoch

The model is the seed notebook's: nn.RNN(batch_first=True, h0 = zeros) -> last step ->
nn.Linear, trained with nn.CrossEntropyLoss and torch.optim.Adam over in-order,
unshuffled mini-batches (the last one may be partial). Two variants widen the coverage:
"stacked" feeds a second nn.RNN (module rnn2) with the first one's output sequence, and
"mse-regression" trains with nn.MSELoss on float targets y: F32 [N, outputs]. The tests never run python:
they load init/data, train with rnnc and compare against expected.json and final.safetensors.
Uses only torch and the standard library (safetensors and YAML are written by hand).
"""
import json
import math
import os
import struct

import torch
import torch.nn as nn

GENERATOR = "tools/torch_fixtures.py"
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
DEFAULT_ADAM = {"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0}
# Case options besides Adam's: "stack" (hidden size of a second RNN layer) and "loss" ("mse").
CASE_OPTIONS = ("stack", "loss")

# Seeds are arbitrary but chosen so that every class occurs among each case's targets.
# name: (seed, input, hidden, classes, seq, batch, N, epochs, lr, nonlinearity, bias, adam overrides)
CASES = {
    "seed":     (1, 10, 20, 5,  7, 16, 16,  10, 0.001, "tanh", True,  {}),
    "stacked":  (9,  6, 12, 4,  9,  8, 20,   5, 0.004, "tanh", True,  {"stack": 7}),
    "mse-regression": (11, 5, 16, 2, 8, 8, 28, 6, 0.003, "tanh", True, {"loss": "mse"}),
    "odd-relu": (7,  3,  5, 3,  4,  4, 10,   6, 0.01,  "relu", True,
                 {"betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.01}),
    "long-seq": (3,  2,  8, 4, 60,  8, 24,   4, 0.005, "tanh", True,  {}),
    "no-bias":  (4,  4,  6, 2,  5,  3,  9,   5, 0.003, "tanh", False, {}),
    "long-run": (5, 10, 20, 5,  7, 16, 48, 150, 0.001, "tanh", True,  {}),
    "wide":     (8, 17, 33, 7, 11, 12, 30,   3, 0.002, "tanh", True,  {}),
}


class SimpleRNN(nn.Module):
    def __init__(self, input_size, hidden_size, classes, nonlinearity, bias, stack=None):
        super().__init__()
        self.rnn = nn.RNN(input_size, hidden_size, nonlinearity=nonlinearity, bias=bias, batch_first=True)
        self.rnn2 = None if stack is None else nn.RNN(hidden_size, stack, nonlinearity=nonlinearity, bias=bias, batch_first=True)
        self.fc = nn.Linear(hidden_size if stack is None else stack, classes, bias=bias)

    def forward(self, x):
        out, _ = self.rnn(x, torch.zeros(1, x.size(0), self.rnn.hidden_size))
        if self.rnn2 is not None:
            out, _ = self.rnn2(out, torch.zeros(1, x.size(0), self.rnn2.hidden_size))
        return self.fc(out[:, -1, :])


def write_safetensors(path, tensors):
    """tensors: list of (name, tensor); F32 or I64, laid out in the given order."""
    dtypes = {torch.float32: ("F32", "<f4"), torch.int64: ("I64", "<i8")}
    header, chunks, offset = {}, [], 0
    for name, tensor in tensors:
        dtype, np_dtype = dtypes[tensor.dtype]
        data = tensor.detach().contiguous().numpy().astype(np_dtype).tobytes()
        header[name] = {"dtype": dtype, "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    header["__metadata__"] = {"generator": GENERATOR}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # 8 + len(text) is then a multiple of 8
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def yaml_float(value):
    text = repr(float(value))
    assert float(text) == value and not math.isinf(value)
    return text


def model_yaml(name, input_size, hidden, classes, seq, batch, epochs, lr, nonlinearity, bias, adam, options):
    b = "true" if bias else "false"
    b1, b2 = adam["betas"]
    mse = options.get("loss") == "mse"
    target = f"{{ shape: [batch, {classes}], dtype: float32 }}" if mse else "{ shape: [batch], dtype: int32 }"
    stack = "" if "stack" not in options else f"""
  - id: rnn2
    op: rnn
    hidden_size: {options["stack"]}
    nonlinearity: {nonlinearity}
    bias: {b}"""
    return f"""# Written by {GENERATOR} — do not edit.
version: 1
name: {name}
input:
  x: {{ shape: [batch, {seq}, {input_size}], dtype: float32 }}
  y: {target}
graph:
  - id: rnn
    op: rnn
    input: x
    hidden_size: {hidden}
    nonlinearity: {nonlinearity}
    bias: {b}{stack}
  - id: last
    op: last_step
  - id: fc
    op: linear
    out_features: {classes}
    bias: {b}
loss: {{ op: {"mse" if mse else "cross_entropy"}, input: fc, target: y }}
optimizer: {{ op: adam, lr: {yaml_float(lr)}, betas: [{yaml_float(b1)}, {yaml_float(b2)}], \
eps: {yaml_float(adam["eps"])}, weight_decay: {yaml_float(adam["weight_decay"])} }}
train: {{ epochs: {epochs}, batch_size: {batch}, seed: 0 }}
"""


def run_case(name, params):
    seed, input_size, hidden, classes, seq, batch, n, epochs, lr, nonlinearity, bias, overrides = params
    options = {k: v for k, v in overrides.items() if k in CASE_OPTIONS}
    adam = {**DEFAULT_ADAM, **{k: v for k, v in overrides.items() if k not in CASE_OPTIONS}}
    mse = options.get("loss") == "mse"
    torch.manual_seed(seed)
    model = SimpleRNN(input_size, hidden, classes, nonlinearity, bias, options.get("stack"))
    x = torch.randn(n, seq, input_size)
    y = torch.randn(n, classes) if mse else torch.randint(0, classes, (n,))

    folder = os.path.join(OUT_DIR, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "model.yaml"), "w", encoding="utf-8") as f:
        f.write(model_yaml(name, input_size, hidden, classes, seq, batch, epochs, lr, nonlinearity, bias, adam, options))
    write_safetensors(os.path.join(folder, "init.safetensors"), list(model.state_dict().items()))
    write_safetensors(os.path.join(folder, "data.safetensors"), [("x", x), ("y", y)])

    criterion = nn.MSELoss() if mse else nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, betas=adam["betas"], eps=adam["eps"],
                                 weight_decay=adam["weight_decay"])
    losses = []
    for _ in range(epochs):
        batch_losses = []
        for i in range(0, n, batch):
            loss = criterion(model(x[i:i + batch]), y[i:i + batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.item())
        losses.append(sum(batch_losses) / len(batch_losses))

    write_safetensors(os.path.join(folder, "final.safetensors"), list(model.state_dict().items()))
    expected = {"case": name, "seed": seed, "torch_version": torch.__version__, "epochs": epochs,
                "losses": losses, "generator": GENERATOR}
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(expected, indent=2) + "\n")
    return losses


def main():
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    for name, params in CASES.items():
        losses = run_case(name, params)
        print(f"{name:14s} epochs={len(losses):3d} first={losses[0]!r} last={losses[-1]!r}")


if __name__ == "__main__":
    main()
