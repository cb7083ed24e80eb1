"""Write the PyTorch parity fixtures that rnnc's tests compare against.

Run from the repository root with the interpreter that has PyTorch:

    /usr/bin/python3 tools/torch_fixtures.py                                  # rewrite test/fixtures
    /usr/bin/python3 tools/torch_fixtures.py --random 6 --seed 1 --out DIR   # 6 fresh random cases in DIR

Each case is a folder <case>/ holding:

    model.yaml          the rnnc spec for the case
    init.safetensors    PyTorch's initial weights (state_dict names, F32)
    data.safetensors    x: F32 [N, seq, input] from torch.randn; y: I64 [N] from torch.randint (cross_entropy)
                        or F32 [N, outputs] from torch.randn (mse)
    expected.json       per-epoch losses (mean of the epoch's mini-batch mean losses)
    final.safetensors   the weights after the last epoch

A case's graph is written once, as the spec's nodes; both model.yaml and the PyTorch model are derived from it.
Recurrent nodes (rnn | lstm | gru) become nn.RNN / nn.LSTM / nn.GRU with batch_first=True, h0 = c0 = 0 and no
dropout; last_step is out[:, -1, :]; linear is nn.Linear; relu | tanh | sigmoid | gelu are nn.ReLU, nn.Tanh,
nn.Sigmoid and nn.GELU() (exact erf form). Every node with parameters is a submodule named by its id, so the
state_dict names are PyTorch's own (rnn.weight_ih_l0, rnn.bias_hh_l1_reverse, fc.weight, ...). Training is
nn.CrossEntropyLoss or nn.MSELoss with torch.optim.Adam over in-order, unshuffled mini-batches (the last one may be
partial). The tests never run python for the committed cases: they load init/data, train with rnnc and compare
against expected.json and final.safetensors. Uses only torch and the standard library (safetensors and YAML are
written by hand).
"""
import argparse
import json
import math
import os
import random
import struct
from collections import namedtuple

# OpenBLAS chooses its matrix kernels by CPU, and different kernels round differently in the last bit. Pinning one
# (before torch loads OpenBLAS) makes the fixtures byte-identical from machine to machine; the committed ones were
# written with this kernel. Set OPENBLAS_CORETYPE yourself to override.
os.environ.setdefault("OPENBLAS_CORETYPE", "Sandybridge")

import torch  # noqa: E402 (after the environment is set)
import torch.nn as nn  # noqa: E402

GENERATOR = "tools/torch_fixtures.py"
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
DEFAULT_ADAM = {"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0}
CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
GATES = {"rnn": 1, "lstm": 4, "gru": 3}  # gate blocks stacked in weight_ih / weight_hh
ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU}

# graph: the spec's nodes in order, each a dict {id, op, attributes...}; the first one reads x, the last one is the
# loss input. loss: "cross_entropy" (int targets over the last node's classes) or "mse" (float targets).
Case = namedtuple("Case", "seed input_size seq batch n epochs lr graph loss adam",
                  defaults=("cross_entropy", DEFAULT_ADAM))


def recurrent(cell, hidden, layers=1, bidirectional=False, bias=True, nonlinearity=None, node_id="rnn"):
    """A recurrent node with only the non-default attributes spelled out."""
    node = {"id": node_id, "op": cell, "hidden_size": hidden}
    if layers != 1:
        node["num_layers"] = layers
    if bidirectional:
        node["bidirectional"] = True
    if nonlinearity is not None:
        node["nonlinearity"] = nonlinearity
    if not bias:
        node["bias"] = False
    return [node]


def head(outputs, hidden=None, activation=None, bias=True):
    """last_step, then Linear, or Linear -> activation -> Linear when an activation is given."""
    b = {} if bias else {"bias": False}
    nodes = [{"id": "last", "op": "last_step"}]
    if activation is not None:
        nodes += [{"id": "fc1", "op": "linear", "out_features": hidden, **b}, {"id": "act", "op": activation}]
    return nodes + [{"id": "fc", "op": "linear", "out_features": outputs, **b}]


def elman(hidden, classes, nonlinearity="tanh", bias=True, stack=None):
    """The seed notebook's graph with every attribute spelled out, as the first fixtures were written."""
    nodes = [{"id": "rnn", "op": "rnn", "hidden_size": hidden, "nonlinearity": nonlinearity, "bias": bias}]
    if stack is not None:
        nodes.append({"id": "rnn2", "op": "rnn", "hidden_size": stack, "nonlinearity": nonlinearity, "bias": bias})
    return nodes + [{"id": "last", "op": "last_step"},
                    {"id": "fc", "op": "linear", "out_features": classes, "bias": bias}]


# Seeds are arbitrary but chosen so that every class occurs among each case's targets.
# name: Case(seed, input, seq, batch, N, epochs, lr, graph[, loss, adam])
CASES = {
    "seed": Case(1, 10, 7, 16, 16, 10, 0.001, elman(20, 5)),
    "stacked": Case(9, 6, 9, 8, 20, 5, 0.004, elman(12, 4, stack=7)),
    "mse-regression": Case(11, 5, 8, 8, 28, 6, 0.003, elman(16, 2), "mse"),
    "odd-relu": Case(7, 3, 4, 4, 10, 6, 0.01, elman(5, 3, "relu"),
                     adam={"betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.01}),
    "long-seq": Case(3, 2, 60, 8, 24, 4, 0.005, elman(8, 4)),
    "no-bias": Case(4, 4, 5, 3, 9, 5, 0.003, elman(6, 2, bias=False)),
    "long-run": Case(5, 10, 7, 16, 48, 150, 0.001, elman(20, 5)),
    "wide": Case(8, 17, 11, 12, 30, 3, 0.002, elman(33, 7)),
}
for cell, seed in (("rnn", 100), ("lstm", 200), ("gru", 300)):
    CASES.update({
        f"{cell}-1": Case(seed + 1, 5, 6, 4, 10, 4, 0.01, recurrent(cell, 8) + head(3)),
        f"{cell}-2layer": Case(seed + 2, 4, 5, 4, 11, 4, 0.01, recurrent(cell, 7, layers=2) + head(3)),
        f"{cell}-bidir": Case(seed + 3, 4, 5, 5, 12, 4, 0.01, recurrent(cell, 6, bidirectional=True) + head(4)),
        f"{cell}-bidir-2layer": Case(seed + 4, 3, 6, 4, 10, 3, 0.01,
                                     recurrent(cell, 6, layers=2, bidirectional=True) + head(3)),
        f"{cell}-odd": Case(seed + 5, 3, 4, 4, 10, 5, 0.01, recurrent(cell, 5) + head(3)),
    })
CASES.update({
    "rnn-relu-bidir-2layer": Case(106, 4, 5, 4, 11, 4, 0.005,
                                  recurrent("rnn", 6, layers=2, bidirectional=True, nonlinearity="relu") + head(3)),
    "rnn-tanh-head": Case(107, 4, 5, 4, 10, 4, 0.01, recurrent("rnn", 6) + head(3, 8, "tanh")),
    "rnn-sigmoid-head": Case(108, 4, 5, 4, 10, 4, 0.01, recurrent("rnn", 6) + head(3, 8, "sigmoid")),
    "lstm-no-bias": Case(206, 4, 5, 4, 10, 4, 0.01,
                         recurrent("lstm", 6, layers=2, bidirectional=True, bias=False) + head(3, bias=False)),
    "lstm-gelu-head": Case(208, 4, 5, 4, 10, 4, 0.01, recurrent("lstm", 6) + head(3, 8, "gelu")),
    "gru-relu-head": Case(306, 4, 5, 4, 10, 4, 0.01, recurrent("gru", 6) + head(3, 8, "relu")),
    "gru-mse": Case(307, 4, 5, 4, 10, 4, 0.01, recurrent("gru", 6, layers=2) + head(2), "mse"),
})


class SpecModel(nn.Module):
    """The PyTorch model a spec graph describes; each node with parameters is the submodule named by its id."""

    def __init__(self, graph, input_size):
        super().__init__()
        self.steps = []  # (op, id) in graph order
        features = input_size
        for node in graph:
            op, node_id = node["op"], node["id"]
            if op in CELLS:
                extra = {"nonlinearity": node["nonlinearity"]} if "nonlinearity" in node else {}
                module = CELLS[op](features, node["hidden_size"], num_layers=node.get("num_layers", 1),
                                   bias=node.get("bias", True), batch_first=True,
                                   bidirectional=node.get("bidirectional", False), **extra)
                features = node["hidden_size"] * (2 if module.bidirectional else 1)
            elif op == "linear":
                module = nn.Linear(features, node["out_features"], bias=node.get("bias", True))
                features = node["out_features"]
            elif op in ACTIVATIONS:
                module = ACTIVATIONS[op]()
            else:
                assert op == "last_step", op
                module = None
            if module is not None:
                self.add_module(node_id, module)
            self.steps.append((op, node_id))

    def forward(self, x):
        for op, node_id in self.steps:
            if op == "last_step":
                x = x[:, -1, :]
            elif op in CELLS:
                cell = getattr(self, node_id)
                h0 = torch.zeros(cell.num_layers * (2 if cell.bidirectional else 1), x.size(0), cell.hidden_size)
                x, _ = cell(x, (h0, torch.zeros_like(h0)) if op == "lstm" else h0)
            else:
                x = getattr(self, node_id)(x)
        return x


def spec_parameters(graph, input_size):
    """The (name, shape) list, in state_dict order, that the spec implies: written from PyTorch's documentation,
    not from the module, so that comparing the two checks the model above."""
    parameters, features = [], input_size
    for node in graph:
        op, node_id, bias = node["op"], node["id"], node.get("bias", True)
        if op in CELLS:
            hidden, directions = node["hidden_size"], 2 if node.get("bidirectional", False) else 1
            rows = GATES[op] * hidden
            for layer in range(node.get("num_layers", 1)):
                for suffix in ("", "_reverse")[:directions]:
                    inputs = features if layer == 0 else hidden * directions
                    parameters += [(f"{node_id}.weight_ih_l{layer}{suffix}", [rows, inputs]),
                                   (f"{node_id}.weight_hh_l{layer}{suffix}", [rows, hidden])]
                    if bias:
                        parameters += [(f"{node_id}.bias_ih_l{layer}{suffix}", [rows]),
                                       (f"{node_id}.bias_hh_l{layer}{suffix}", [rows])]
            features = hidden * directions
        elif op == "linear":
            parameters.append((f"{node_id}.weight", [node["out_features"], features]))
            if bias:
                parameters.append((f"{node_id}.bias", [node["out_features"]]))
            features = node["out_features"]
    return parameters


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


def yaml_scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    assert isinstance(value, (int, str)), value
    return str(value)


def model_yaml(name, case):
    outputs = case.graph[-1]["out_features"]
    mse = case.loss == "mse"
    target = f"{{ shape: [batch, {outputs}], dtype: float32 }}" if mse else "{ shape: [batch], dtype: int32 }"
    lines = [f"# Written by {GENERATOR} — do not edit.", "version: 1", f"name: {name}", "input:",
             f"  x: {{ shape: [batch, {case.seq}, {case.input_size}], dtype: float32 }}", f"  y: {target}", "graph:"]
    for index, node in enumerate(case.graph):
        lines += [f"  - id: {node['id']}", f"    op: {node['op']}"] + (["    input: x"] if index == 0 else [])
        lines += [f"    {key}: {yaml_scalar(value)}" for key, value in node.items() if key not in ("id", "op")]
    b1, b2 = case.adam["betas"]
    lines += [f"loss: {{ op: {case.loss}, input: {case.graph[-1]['id']}, target: y }}",
              f"optimizer: {{ op: adam, lr: {yaml_float(case.lr)}, betas: [{yaml_float(b1)}, {yaml_float(b2)}], "
              f"eps: {yaml_float(case.adam['eps'])}, weight_decay: {yaml_float(case.adam['weight_decay'])} }}",
              f"train: {{ epochs: {case.epochs}, batch_size: {case.batch}, seed: 0 }}"]
    return "\n".join(lines) + "\n"


def draw_data(case, outputs):
    """x and y for a case, drawn right after the model's initial weights."""
    x = torch.randn(case.n, case.seq, case.input_size)
    if case.loss == "mse":
        return x, torch.randn(case.n, outputs)
    return x, torch.randint(0, outputs, (case.n,))


def run_case(name, case, out_dir):
    assert case.graph[-1]["op"] == "linear" and case.loss in ("cross_entropy", "mse"), name
    outputs = case.graph[-1]["out_features"]
    torch.manual_seed(case.seed)
    model = SpecModel(case.graph, case.input_size)
    names_and_shapes = [(key, list(value.shape)) for key, value in model.state_dict().items()]
    assert names_and_shapes == spec_parameters(case.graph, case.input_size), (name, names_and_shapes)
    x, y = draw_data(case, outputs)
    if case.loss == "cross_entropy":
        assert sorted(set(y.tolist())) == list(range(outputs)), f"{name}: some class never occurs; pick another seed"

    folder = os.path.join(out_dir, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "model.yaml"), "w", encoding="utf-8") as f:
        f.write(model_yaml(name, case))
    write_safetensors(os.path.join(folder, "init.safetensors"), list(model.state_dict().items()))
    write_safetensors(os.path.join(folder, "data.safetensors"), [("x", x), ("y", y)])

    criterion = nn.MSELoss() if case.loss == "mse" else nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=case.lr, betas=case.adam["betas"], eps=case.adam["eps"],
                                 weight_decay=case.adam["weight_decay"])
    losses = []
    for _ in range(case.epochs):
        batch_losses = []
        for i in range(0, case.n, case.batch):
            loss = criterion(model(x[i:i + case.batch]), y[i:i + case.batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.item())
        losses.append(sum(batch_losses) / len(batch_losses))

    write_safetensors(os.path.join(folder, "final.safetensors"), list(model.state_dict().items()))
    expected = {"case": name, "seed": case.seed, "torch_version": torch.__version__, "epochs": case.epochs,
                "losses": losses, "generator": GENERATOR}
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(expected, indent=2) + "\n")
    return losses


def random_case(rng):
    """One random case: any cell, 1-3 layers, either direction, sizes 1-12, often a partial last batch."""
    cell = rng.choice(sorted(CELLS))
    layers, bidirectional, bias = rng.randint(1, 3), rng.random() < 0.5, rng.random() < 0.75
    nonlinearity = rng.choice(["tanh", "relu"]) if cell == "rnn" else None
    loss = rng.choice(["cross_entropy", "mse"])
    outputs = rng.randint(2 if loss == "cross_entropy" else 1, 12)
    activation = rng.choice([None, *sorted(ACTIVATIONS)])
    graph = (recurrent(cell, rng.randint(1, 12), layers, bidirectional, bias, nonlinearity)
             + head(outputs, rng.randint(1, 12), activation, bias=rng.random() < 0.75))
    batch = rng.randint(1, 12)
    n = max(batch * rng.randint(1, 3) + rng.randint(0, batch - 1), outputs)  # room for every class
    adam = {**DEFAULT_ADAM, "weight_decay": rng.choice([0.0, 0.0, 0.01])}
    case = Case(rng.randrange(2 ** 31), rng.randint(1, 12), rng.randint(1, 10), batch, n, rng.randint(2, 4),
                rng.choice([0.001, 0.003, 0.01, 0.03]), graph, loss, adam)
    name = f"{cell}-{layers}layer" + ("-bidir" if bidirectional else "") + ("" if bias else "-nobias")
    return case, name


def targets_cover_classes(case):
    """Whether every class occurs among a cross-entropy case's targets (always true for mse)."""
    if case.loss == "mse":
        return True
    torch.manual_seed(case.seed)
    SpecModel(case.graph, case.input_size)  # consume the same random stream as run_case
    _, y = draw_data(case, case.graph[-1]["out_features"])
    return len(set(y.tolist())) == case.graph[-1]["out_features"]


def random_cases(count, seed):
    rng = random.Random(seed)
    cases, digits = {}, max(2, len(str(count - 1)))
    for index in range(count):
        case, name = random_case(rng)
        while not targets_cover_classes(case):  # a new torch seed until every class occurs
            case = case._replace(seed=rng.randrange(2 ** 31))
        cases[f"random-{index:0{digits}d}-{name}"] = case
    return cases


def main():
    parser = argparse.ArgumentParser(description="Write PyTorch parity fixtures for rnnc.")
    parser.add_argument("--random", type=int, metavar="N", help="write N random cases instead of the committed ones")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random cases (with --random)")
    parser.add_argument("--out", default=OUT_DIR, help="output folder (default: test/fixtures)")
    args = parser.parse_args()
    if args.random is not None and args.out == OUT_DIR:
        parser.error("--random needs --out (test/fixtures holds the committed cases)")
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    cases = CASES if args.random is None else random_cases(args.random, args.seed)
    for name, case in cases.items():
        losses = run_case(name, case, args.out)
        print(f"{name:24s} epochs={len(losses):3d} first={losses[0]!r} last={losses[-1]!r}")


if __name__ == "__main__":
    main()
