"""Write the PyTorch parity fixtures that rnnc's tests compare against.

Run from the repository root with the interpreter that has PyTorch:

    /usr/bin/python3 tools/torch_fixtures.py                                  # rewrite test/fixtures
    /usr/bin/python3 tools/torch_fixtures.py --random 6 --seed 1 --out DIR   # 6 fresh random cases in DIR

Each case is a folder <case>/ holding:

    model.yaml          the rnnc spec for the case
    init.safetensors    PyTorch's initial weights (state_dict names, F32)
    data.safetensors    one tensor per spec input, drawn with torch right after the initial weights:
                          x        F32 [N, seq, input] from torch.randn, or
                          tokens   I64 [N, seq] when the graph starts with an embedding: ids from 1 up, 0 past each
                                   sample's length
                          lengths  I64 [N] in [1, seq], at least one sample of each extreme (when a node reads it)
                          y        I64 class indices [N] (cross_entropy), or [N, seq] on per-step logits with the
                                   ignore_index past each length; F32 [N, outputs] or [N, seq(, outputs)] (mse)
    expected.json       per-epoch losses (mean of the epoch's mini-batch mean losses)
    final.safetensors   the weights after the last epoch

A case's graph is written once, as the spec's nodes; both model.yaml and the PyTorch model are derived from it.
Recurrent nodes (rnn | lstm | gru) become nn.RNN / nn.LSTM / nn.GRU with batch_first=True, h0 = c0 = 0 and no
dropout; with `lengths: lengths` they run on pack_padded_sequence(x, lengths, batch_first=True,
enforce_sorted=False) and pad_packed_sequence(..., total_length=seq). embedding is nn.Embedding (padding_idx as
given). last_step is out[:, -1, :], or out[b, lengths[b] - 1, :] with lengths; mean_pool and max_pool reduce over
time (over each sample's first lengths[b] steps with lengths). linear is nn.Linear, on every step of a sequence;
relu | tanh | sigmoid | gelu are nn.ReLU, nn.Tanh, nn.Sigmoid and nn.GELU() (exact erf form; see GELU below for the
PyTorch 1.13 bug it works around). Every node with parameters is a submodule named by its id, so the state_dict
names are PyTorch's own (rnn.weight_ih_l0, rnn.bias_hh_l1_reverse, emb.weight, fc.weight, ...). Training is
nn.CrossEntropyLoss (per-step logits flattened to [N * seq, classes], ignore_index as the spec's) or nn.MSELoss with
torch.optim.Adam over in-order, unshuffled mini-batches (the last one may be partial). The tests never run python
for the committed cases: they load init/data, train with rnnc and compare against expected.json and
final.safetensors. Uses only torch and the standard library (safetensors and YAML are written by hand).
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


class ContiguousGradient(torch.autograd.Function):
    """The identity, handing its gradient on contiguous."""

    @staticmethod
    def forward(ctx, x):
        return x.view_as(x)

    @staticmethod
    def backward(ctx, gradient):
        return gradient.contiguous()


class GELU(nn.GELU):
    """nn.GELU(), given a contiguous gradient: PyTorch before 2.1 computes GELU's CPU backward wrongly (zeros, NaN or
    1e35) when the incoming gradient is strided (pytorch/pytorch#112006), as it is when a recurrent layer's
    batch_first input gradient flows back into a per-step GELU. Unchanged when the gradient is contiguous already."""

    def forward(self, x):
        return ContiguousGradient.apply(super().forward(x))


ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": GELU}
REDUCTIONS = ("last_step", "mean_pool", "max_pool")  # [batch, seq, f] -> [batch, f]

# graph: the spec's nodes in order, each a dict {id, op, attributes...}; the first one reads the first spec input
# (x, or tokens when it is an embedding), a node with `lengths: lengths` also reads the lengths input, and the last
# one is the loss input. input_size: the features of x (None for tokens). loss: "cross_entropy" (int targets over
# the last node's classes) or "mse" (float targets). ignore_index: written into the spec when not None (PyTorch's
# -100 otherwise); it marks per-step targets past each sample's length. flat_target: a per-step mse with one output
# whose target is [batch, seq] rather than [batch, seq, 1].
# `optimizer`: None for Adam from `lr` and `adam`, else the spec's optimizer mapping ({"op": "sgd", "lr": …}).
# `train`: extra keys of the spec's train section (clip_grad_norm, clip_grad_value, lr_schedule, warmup_epochs).
Case = namedtuple("Case", "seed input_size seq batch n epochs lr graph loss adam ignore_index flat_target optimizer train",
                  defaults=("cross_entropy", DEFAULT_ADAM, None, False, None, None))


def recurrent(cell, hidden, layers=1, bidirectional=False, bias=True, nonlinearity=None, node_id="rnn",
              lengths=False):
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
    if lengths:
        node["lengths"] = "lengths"
    return [node]


def embedding(vocabulary, dim, padding_idx=0):
    node = {"id": "emb", "op": "embedding", "num_embeddings": vocabulary, "embedding_dim": dim}
    if padding_idx is not None:
        node["padding_idx"] = padding_idx
    return [node]


def head(outputs, hidden=None, activation=None, bias=True, reduce="last_step", lengths=False):
    """A reduction over time (none for per-step outputs), then Linear, or Linear -> activation -> Linear when an
    activation is given."""
    b = {} if bias else {"bias": False}
    nodes = []
    if reduce is not None:
        nodes.append({"id": "last" if reduce == "last_step" else "pool", "op": reduce,
                      **({"lengths": "lengths"} if lengths else {})})
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


def reads_tokens(graph):
    return graph[0]["op"] == "embedding"


def reads_lengths(graph):
    return any("lengths" in node for node in graph)


def per_step(graph):
    """Whether the last node is a sequence [batch, seq, outputs] (no node reduces over time)."""
    return not any(node["op"] in REDUCTIONS for node in graph)


# Seeds are arbitrary but chosen so that every class occurs among each case's targets.
# name: Case(seed, input, seq, batch, N, epochs, lr, graph[, loss, adam, ignore_index, flat_target])
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
# Sequences of different lengths: token ids padded with 0 past each length, packed recurrent layers, per-step
# heads and losses, pooling.
CASES.update({
    # the example: embedding (padding_idx 0) -> packed bidirectional GRU -> each sample's last step -> linear
    "packed-gru-bidir": Case(401, None, 9, 4, 14, 4, 0.01,
                             embedding(20, 8) + recurrent("gru", 12, bidirectional=True, lengths=True)
                             + head(3, lengths=True)),
    "packed-lstm-bidir-2layer": Case(402, None, 9, 4, 14, 4, 0.01,
                                     embedding(20, 8) + recurrent("lstm", 7, layers=2, bidirectional=True, lengths=True)
                                     + head(3, lengths=True)),
    "packed-rnn-relu-bidir": Case(403, None, 9, 4, 14, 4, 0.01,
                                  embedding(20, 8) + recurrent("rnn", 10, bidirectional=True, nonlinearity="relu",
                                                               lengths=True) + head(3, lengths=True)),
    # character language models: next-token targets (0, the padding token, ends each sample), ignored past its end
    "char-lm": Case(411, None, 8, 4, 14, 4, 0.01, embedding(10, 6) + recurrent("lstm", 9) + head(10, reduce=None)),
    "char-lm-packed-ignore-1": Case(412, None, 8, 4, 14, 4, 0.01,
                                    embedding(10, 6) + recurrent("lstm", 9, layers=2, lengths=True)
                                    + head(10, 8, "tanh", reduce=None), ignore_index=-1),
    # pooling over time, with and without lengths, over float and embedded inputs
    "mean-pool-gru-bidir": Case(421, 4, 7, 4, 13, 4, 0.01,
                                recurrent("gru", 8, bidirectional=True) + head(3, reduce="mean_pool")),
    "mean-pool-gru-bidir-lengths": Case(422, 4, 7, 4, 13, 4, 0.01, recurrent("gru", 8, bidirectional=True, lengths=True)
                                        + head(3, reduce="mean_pool", lengths=True)),
    "max-pool-rnn-tokens": Case(423, None, 7, 4, 13, 4, 0.01, embedding(12, 5) + recurrent("rnn", 8, bidirectional=True)
                                + head(3, reduce="max_pool")),
    "max-pool-rnn-tokens-lengths": Case(424, None, 7, 4, 13, 4, 0.01,
                                        embedding(12, 5) + recurrent("rnn", 8, bidirectional=True, lengths=True)
                                        + head(3, reduce="max_pool", lengths=True)),
    # per-step regression: a linear layer on every step against [N, seq, 2], and one output against [N, seq]
    "per-step-mse": Case(431, 3, 6, 4, 11, 4, 0.01, recurrent("gru", 8) + head(2, reduce=None), "mse"),
    "per-step-mse-1-packed": Case(432, 3, 6, 4, 11, 4, 0.01, recurrent("gru", 8, lengths=True) + head(1, reduce=None),
                                  "mse", flat_target=True),
    # per-step layers before a recurrent one: PyTorch's GELU gets a strided gradient there (see GELU above)
    "per-step-gelu-gru": Case(433, 3, 6, 4, 11, 4, 0.01,
                              [{"id": "proj", "op": "linear", "out_features": 5}, {"id": "proj_act", "op": "gelu"}]
                              + recurrent("gru", 6, bidirectional=True) + head(3, reduce="mean_pool", lengths=True)),
})

# Optimizers, clipping and learning-rate schedules, each over several epochs of several mini-batches.
OPTIMIZED = recurrent("gru", 7) + head(3)
CASES.update({
    "optim-sgd": Case(501, 4, 5, 4, 14, 5, 0.1, OPTIMIZED, optimizer={"op": "sgd", "lr": 0.1}),
    "optim-sgd-momentum-wd": Case(502, 4, 5, 4, 14, 5, 0.05, OPTIMIZED,
                                  optimizer={"op": "sgd", "lr": 0.05, "momentum": 0.9, "dampening": 0.1,
                                             "weight_decay": 0.01}),
    "optim-sgd-nesterov": Case(503, 4, 5, 4, 14, 5, 0.05, OPTIMIZED,
                               optimizer={"op": "sgd", "lr": 0.05, "momentum": 0.8, "nesterov": True}),
    "optim-adam-amsgrad": Case(504, 4, 5, 4, 14, 5, 0.01, OPTIMIZED,
                               optimizer={"op": "adam", "lr": 0.01, "weight_decay": 0.01, "amsgrad": True}),
    "optim-adamw": Case(505, 4, 5, 4, 14, 5, 0.01, OPTIMIZED, optimizer={"op": "adamw", "lr": 0.01}),
    "optim-adamw-amsgrad": Case(506, 4, 5, 4, 14, 5, 0.01, OPTIMIZED,
                                optimizer={"op": "adamw", "lr": 0.01, "betas": [0.8, 0.99], "weight_decay": 0.1,
                                           "amsgrad": True}),
    "optim-rmsprop": Case(507, 4, 5, 4, 14, 5, 0.01, OPTIMIZED, optimizer={"op": "rmsprop", "lr": 0.01}),
    "optim-rmsprop-centered-momentum": Case(508, 4, 5, 4, 14, 5, 0.005, OPTIMIZED,
                                            optimizer={"op": "rmsprop", "lr": 0.005, "alpha": 0.9, "momentum": 0.5,
                                                       "centered": True, "weight_decay": 0.01}),
    "optim-adagrad": Case(509, 4, 5, 4, 14, 5, 0.05, OPTIMIZED,
                          optimizer={"op": "adagrad", "lr": 0.05, "lr_decay": 0.01, "weight_decay": 0.01}),
    "clip-grad-norm": Case(511, 4, 5, 4, 14, 5, 0.1, OPTIMIZED, optimizer={"op": "sgd", "lr": 0.1, "momentum": 0.5},
                           train={"clip_grad_norm": 0.3}),
    "clip-grad-value": Case(512, 4, 5, 4, 14, 5, 0.01, OPTIMIZED, train={"clip_grad_value": 0.02}),
    "clip-both": Case(513, 4, 5, 4, 14, 5, 0.01, OPTIMIZED, train={"clip_grad_value": 0.05, "clip_grad_norm": 0.2}),
    "schedule-step": Case(521, 4, 5, 4, 14, 7, 0.05, OPTIMIZED, optimizer={"op": "sgd", "lr": 0.05},
                          train={"lr_schedule": {"op": "step", "step_size": 2, "gamma": 0.5}}),
    "schedule-exponential": Case(532, 4, 5, 4, 14, 6, 0.01, OPTIMIZED,
                                 train={"lr_schedule": {"op": "exponential", "gamma": 0.7}}),
    "schedule-cosine-warmup": Case(523, 4, 5, 4, 14, 8, 0.02, OPTIMIZED,
                                   train={"lr_schedule": {"op": "cosine", "t_max": 4, "eta_min": 0.001},
                                          "warmup_epochs": 2}),
    "schedule-warmup-only": Case(524, 4, 5, 4, 14, 5, 0.02, OPTIMIZED, train={"warmup_epochs": 3}),
    "schedule-plateau": Case(525, 4, 5, 4, 14, 12, 0.3, OPTIMIZED, optimizer={"op": "sgd", "lr": 0.3},
                             train={"lr_schedule": {"op": "reduce_on_plateau", "factor": 0.5, "patience": 1,
                                                    "threshold": 0.1}}),
})


class SpecModel(nn.Module):
    """The PyTorch model a spec graph describes; each node with parameters is the submodule named by its id."""

    def __init__(self, graph, input_size):
        super().__init__()
        self.steps = []  # (node, module or None) in graph order
        features = input_size
        for node in graph:
            op = node["op"]
            if op == "embedding":
                module = nn.Embedding(node["num_embeddings"], node["embedding_dim"],
                                      padding_idx=node.get("padding_idx"))
                features = node["embedding_dim"]
            elif op in CELLS:
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
                assert op in REDUCTIONS, op
                module = None
            if module is not None:
                self.add_module(node["id"], module)
            self.steps.append((node, module))

    def forward(self, inputs):
        """inputs: the spec inputs by name (x or tokens, and lengths when a node reads it)."""
        x = inputs["tokens"] if "tokens" in inputs else inputs["x"]
        lengths = inputs.get("lengths")
        for node, module in self.steps:
            op, packed = node["op"], "lengths" in node
            if op in CELLS:
                x = run_recurrent(module, op, x, lengths if packed else None)
            elif op in REDUCTIONS:
                x = reduce_over_time(op, x, lengths if packed else None)
            else:
                x = module(x)
        return x


def run_recurrent(cell, op, x, lengths):
    """The cell from h0 = c0 = 0 over x [batch, seq, f], or over each sample's first lengths[b] steps."""
    h0 = torch.zeros(cell.num_layers * (2 if cell.bidirectional else 1), x.size(0), cell.hidden_size)
    state = (h0, torch.zeros_like(h0)) if op == "lstm" else h0
    if lengths is None:
        return cell(x, state)[0]
    packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    out, _ = nn.utils.rnn.pad_packed_sequence(cell(packed, state)[0], batch_first=True, total_length=x.size(1))
    return out


def reduce_over_time(op, x, lengths):
    """last_step, mean_pool or max_pool over x [batch, seq, f]: over every step, or each sample's first lengths[b]."""
    if lengths is None:
        return x[:, -1, :] if op == "last_step" else x.mean(1) if op == "mean_pool" else x.max(1).values
    if op == "last_step":
        return x[torch.arange(x.size(0)), lengths - 1]
    counted = (torch.arange(x.size(1))[None, :] < lengths[:, None])[:, :, None]  # [batch, seq, 1]
    if op == "mean_pool":
        return (x * counted).sum(1) / lengths[:, None]
    return x.masked_fill(~counted, -math.inf).max(1).values


def spec_parameters(graph, input_size):
    """The (name, shape) list, in state_dict order, that the spec implies: written from PyTorch's documentation,
    not from the module, so that comparing the two checks the model above."""
    parameters, features = [], input_size
    for node in graph:
        op, node_id, bias = node["op"], node["id"], node.get("bias", True)
        if op == "embedding":
            parameters.append((f"{node_id}.weight", [node["num_embeddings"], node["embedding_dim"]]))
            features = node["embedding_dim"]
        elif op in CELLS:
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
    if isinstance(value, float):
        return yaml_float(value)
    assert isinstance(value, (int, str)), value
    return str(value)


def target_shape(case):
    """y's dimensions after batch, and its dtype."""
    steps = [case.seq] if per_step(case.graph) else []
    if case.loss == "cross_entropy":
        return steps, "int32"
    return steps + ([] if case.flat_target else [case.graph[-1]["out_features"]]), "float32"


def spec_inputs(case):
    """(name, dimensions after batch, dtype) of each spec input, in the spec's order."""
    if reads_tokens(case.graph):
        first = ("tokens", [case.seq], "int32")
    else:
        first = ("x", [case.seq, case.input_size], "float32")
    lengths = [("lengths", [], "int32")] if reads_lengths(case.graph) else []
    return [first, *lengths, ("y", *target_shape(case))]


def model_yaml(name, case):
    lines = [f"# Written by {GENERATOR} — do not edit.", "version: 1", f"name: {name}", "input:"]
    for input_name, dims, dtype in spec_inputs(case):
        lines.append(f"  {input_name}: {{ shape: [{', '.join(['batch', *map(str, dims)])}], dtype: {dtype} }}")
    lines.append("graph:")
    first_input = spec_inputs(case)[0][0]
    for index, node in enumerate(case.graph):
        lines += [f"  - id: {node['id']}", f"    op: {node['op']}"]
        lines += [f"    input: {first_input}"] if index == 0 else []
        lines += [f"    {key}: {yaml_scalar(value)}" for key, value in node.items() if key not in ("id", "op")]
    b1, b2 = case.adam["betas"]
    ignore = "" if case.ignore_index is None else f", ignore_index: {case.ignore_index}"
    adam = (f"{{ op: adam, lr: {yaml_float(case.lr)}, betas: [{yaml_float(b1)}, {yaml_float(b2)}], "
            f"eps: {yaml_float(case.adam['eps'])}, weight_decay: {yaml_float(case.adam['weight_decay'])} }}")
    extra = "".join(f", {key}: {yaml_flow(value)}" for key, value in (case.train or {}).items())
    lines += [f"loss: {{ op: {case.loss}, input: {case.graph[-1]['id']}, target: y{ignore} }}",
              f"optimizer: {adam if case.optimizer is None else yaml_flow(case.optimizer)}",
              f"train: {{ epochs: {case.epochs}, batch_size: {case.batch}, seed: 0{extra} }}"]
    return "\n".join(lines) + "\n"


def yaml_flow(value):
    """A flow-style YAML value: mappings as { key: value }, lists as [a, b], scalars as yaml_scalar writes them."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key}: {yaml_flow(item)}" for key, item in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_flow(item) for item in value) + "]"
    return yaml_scalar(value)


def make_optimizer(case, parameters):
    """torch.optim's optimizer for the spec's: Adam from the case's lr and adam options, or the mapping it names."""
    spec = case.optimizer
    if spec is None:
        return torch.optim.Adam(parameters, lr=case.lr, betas=case.adam["betas"], eps=case.adam["eps"],
                                weight_decay=case.adam["weight_decay"])
    options = {key: value for key, value in spec.items() if key != "op"}
    if "betas" in options:
        options["betas"] = tuple(options["betas"])
    if "initial_accumulator_value" not in options and spec["op"] == "adagrad":
        options["initial_accumulator_value"] = 0.0
    classes = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "sgd": torch.optim.SGD,
               "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad}
    return classes[spec["op"]](parameters, **options)


def make_scheduler(case, optimizer):
    """The spec's learning-rate schedule and warmup as torch.optim.lr_scheduler objects, or None."""
    train = case.train or {}
    spec = train.get("lr_schedule")
    warmup = train.get("warmup_epochs", 0)
    schedulers = torch.optim.lr_scheduler
    main = None
    if spec is not None:
        op = spec["op"]
        if op == "step":
            main = schedulers.StepLR(optimizer, step_size=spec["step_size"], gamma=spec.get("gamma", 0.1))
        elif op == "exponential":
            main = schedulers.ExponentialLR(optimizer, gamma=spec["gamma"])
        elif op == "cosine":
            main = schedulers.CosineAnnealingLR(optimizer, T_max=spec["t_max"], eta_min=spec.get("eta_min", 0.0))
        elif op == "reduce_on_plateau":
            assert warmup == 0, "ReduceLROnPlateau cannot follow a warmup in PyTorch's SequentialLR"
            main = schedulers.ReduceLROnPlateau(optimizer, mode="min", factor=spec.get("factor", 0.1),
                                                patience=spec.get("patience", 10), threshold=spec.get("threshold", 1e-4),
                                                threshold_mode="rel", cooldown=0, min_lr=spec.get("min_lr", 0.0))
    if warmup == 0:
        return main
    warm = schedulers.LinearLR(optimizer, start_factor=1 / (warmup + 1), end_factor=1.0, total_iters=warmup)
    return warm if main is None else schedulers.SequentialLR(optimizer, [warm, main], milestones=[warmup])


def ignore_index(case):
    return -100 if case.ignore_index is None else case.ignore_index


def padded(case):
    """Whether the data has lengths: token inputs always do (text is padded with 0), and so does a case that reads
    lengths or has per-step class targets (ignored past each length)."""
    return (reads_tokens(case.graph) or reads_lengths(case.graph)
            or (case.loss == "cross_entropy" and per_step(case.graph)))


def draw_lengths(n, seq):
    """Lengths in [1, seq], uniform, except that one sample has the full length and another length 1."""
    assert n >= 2, "a padded case needs two samples: one of full length and one of length 1"
    lengths = torch.randint(1, seq + 1, (n,))
    full, single = torch.randperm(n)[:2].tolist()
    lengths[full], lengths[single] = seq, 1
    return lengths


def draw_data(case):
    """The spec inputs by name, drawn right after the model's initial weights: x or tokens, the lengths (when the
    data is padded: then x is 0 and tokens are 0 past each length), and y."""
    outputs, tokens = case.graph[-1]["out_features"], reads_tokens(case.graph)
    if tokens:
        first = torch.randint(1, case.graph[0]["num_embeddings"], (case.n, case.seq))
    else:
        first = torch.randn(case.n, case.seq, case.input_size)
    lengths = draw_lengths(case.n, case.seq) if padded(case) else torch.full((case.n,), case.seq)
    counted = torch.arange(case.seq)[None, :] < lengths[:, None]  # [N, seq]: the steps each sample has
    first = first.masked_fill(~counted, 0) if tokens else first * counted[:, :, None]
    target_dims, _ = target_shape(case)
    if case.loss == "mse":
        y = torch.randn(case.n, *target_dims)
    elif not per_step(case.graph):
        y = torch.randint(0, outputs, (case.n,))
    else:
        if tokens and outputs == case.graph[0]["num_embeddings"]:
            # a language model: each step's target is the next token, and the padding token 0 ends the sample
            y = torch.cat([first[:, 1:], torch.zeros(case.n, 1, dtype=first.dtype)], dim=1)
        else:
            y = torch.randint(0, outputs, (case.n, case.seq))
        y = y.masked_fill(~counted, ignore_index(case))
    data = {"tokens" if tokens else "x": first}
    if reads_lengths(case.graph):
        data["lengths"] = lengths
    data["y"] = y
    return data


def classes_in_targets(case, y):
    """The distinct class indices among a cross-entropy case's targets (ignored ones left out)."""
    return sorted(set(y[y != ignore_index(case)].tolist()))


def model_and_data(case):
    torch.manual_seed(case.seed)
    model = SpecModel(case.graph, case.input_size)
    return model, draw_data(case)


def loss_of(criterion, out, y):
    """The mean loss of a batch; per-step logits [B, seq, C] are flattened to [B * seq, C] as PyTorch's docs do."""
    if isinstance(criterion, nn.CrossEntropyLoss):
        return criterion(out.reshape(-1, out.size(-1)), y.reshape(-1))
    return criterion(out.reshape(y.shape), y)


def run_case(name, case, out_dir):
    assert case.graph[-1]["op"] == "linear" and case.loss in ("cross_entropy", "mse"), name
    assert not case.flat_target or (case.loss == "mse" and per_step(case.graph)
                                     and case.graph[-1]["out_features"] == 1), name
    outputs = case.graph[-1]["out_features"]
    model, data = model_and_data(case)
    names_and_shapes = [(key, list(value.shape)) for key, value in model.state_dict().items()]
    assert names_and_shapes == spec_parameters(case.graph, case.input_size), (name, names_and_shapes)
    if case.loss == "cross_entropy":
        assert classes_in_targets(case, data["y"]) == list(range(outputs)), f"{name}: a class never occurs; pick a seed"

    folder = os.path.join(out_dir, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "model.yaml"), "w", encoding="utf-8") as f:
        f.write(model_yaml(name, case))
    write_safetensors(os.path.join(folder, "init.safetensors"), list(model.state_dict().items()))
    write_safetensors(os.path.join(folder, "data.safetensors"), list(data.items()))

    criterion = nn.MSELoss() if case.loss == "mse" else nn.CrossEntropyLoss(ignore_index=ignore_index(case))
    optimizer = make_optimizer(case, model.parameters())
    scheduler = make_scheduler(case, optimizer)
    train = case.train or {}
    losses, lrs = [], []
    for _ in range(case.epochs):
        lrs.append(optimizer.param_groups[0]["lr"])
        batch_losses = []
        for i in range(0, case.n, case.batch):
            batch = {key: value[i:i + case.batch] for key, value in data.items()}
            loss = loss_of(criterion, model(batch), batch["y"])
            optimizer.zero_grad()
            loss.backward()
            if "clip_grad_value" in train:
                nn.utils.clip_grad_value_(model.parameters(), train["clip_grad_value"])
            if "clip_grad_norm" in train:
                nn.utils.clip_grad_norm_(model.parameters(), train["clip_grad_norm"])
            optimizer.step()
            batch_losses.append(loss.item())
        losses.append(sum(batch_losses) / len(batch_losses))
        # stepped once after each epoch, as rnnc's runtime does; the plateau watches the training loss (no validation)
        if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
            scheduler.step(losses[-1])
        elif scheduler is not None:
            scheduler.step()
    assert all(math.isfinite(loss) for loss in losses), f"{name}: PyTorch's loss is not finite: {losses}"

    write_safetensors(os.path.join(folder, "final.safetensors"), list(model.state_dict().items()))
    expected = {"case": name, "seed": case.seed, "torch_version": torch.__version__, "epochs": case.epochs,
                "losses": losses, "lrs": lrs, "generator": GENERATOR}
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(expected, indent=2) + "\n")
    return losses


def random_case(rng):
    """One random case over whole float sequences: any cell, 1-3 layers, either direction, sizes 1-12, a last_step
    head, often a partial last batch."""
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
    lr = rng.choice([0.001, 0.003, 0.01, 0.03])
    optimizer, train = random_training(rng, lr)
    case = Case(rng.randrange(2 ** 31), rng.randint(1, 12), rng.randint(1, 10), batch, n, rng.randint(2, 5),
                lr, graph, loss, adam, optimizer=optimizer, train=train)
    name = (f"{cell}-{layers}layer" + ("-bidir" if bidirectional else "") + ("" if bias else "-nobias")
            + ("" if optimizer is None else f"-{optimizer['op']}") + ("-sched" if train else ""))
    return case, name


def random_training(rng, lr):
    """Half the time Adam as before; otherwise another optimizer with random options, sometimes clipping and a
    learning-rate schedule with or without warmup."""
    if rng.random() < 0.5:
        return None, None
    op = rng.choice(["sgd", "adam", "adamw", "rmsprop", "adagrad"])
    optimizer = {"op": op, "lr": lr * (10 if op == "sgd" else 1)}
    if op == "sgd":
        momentum = rng.choice([0.0, 0.5, 0.9])
        optimizer.update({"momentum": momentum, "weight_decay": rng.choice([0.0, 0.01])})
        if momentum > 0 and rng.random() < 0.5:
            optimizer["nesterov"] = True
        elif momentum > 0:
            optimizer["dampening"] = rng.choice([0.0, 0.2])
    elif op in ("adam", "adamw"):
        optimizer.update({"amsgrad": rng.random() < 0.5, "weight_decay": rng.choice([0.0, 0.01, 0.1])})
    elif op == "rmsprop":
        optimizer.update({"alpha": rng.choice([0.9, 0.99]), "centered": rng.random() < 0.5,
                          "momentum": rng.choice([0.0, 0.5])})
    else:
        optimizer.update({"lr_decay": rng.choice([0.0, 0.05]), "weight_decay": rng.choice([0.0, 0.01])})
    train = {}
    if rng.random() < 0.4:
        train["clip_grad_norm"] = rng.choice([0.05, 0.5])
    if rng.random() < 0.3:
        train["clip_grad_value"] = rng.choice([0.01, 0.1])
    schedule = rng.choice([None, "step", "exponential", "cosine", "reduce_on_plateau"])
    if schedule == "step":
        train["lr_schedule"] = {"op": "step", "step_size": rng.randint(1, 2), "gamma": 0.5}
    elif schedule == "exponential":
        train["lr_schedule"] = {"op": "exponential", "gamma": 0.8}
    elif schedule == "cosine":
        train["lr_schedule"] = {"op": "cosine", "t_max": rng.randint(1, 3), "eta_min": 0.0}
    elif schedule == "reduce_on_plateau":
        train["lr_schedule"] = {"op": "reduce_on_plateau", "factor": 0.5, "patience": 0, "threshold": 0.05}
    if schedule != "reduce_on_plateau" and rng.random() < 0.3:
        train["warmup_epochs"] = rng.randint(1, 2)
    return optimizer, train or None


def random_sequence_case(rng, reduce):
    """One random case over padded sequences: token ids through an embedding (padding_idx 0, another id or none) or
    floats, sometimes a per-step linear layer first, a packed or unpacked recurrent node (1-2 layers, either
    direction), then `reduce` (last_step, mean_pool or max_pool, each with or without lengths) or per-step outputs
    (None), and cross-entropy (per-step ones with ignore_index -100, -1 or past the classes; sometimes a language
    model) or mse."""
    seq, tokens = rng.randint(1, 10), rng.random() < 0.6
    vocabulary = rng.randint(2, 12)
    graph = []
    if tokens:
        dim, padding_idx = rng.randint(1, 8), rng.choice([None, 0, 0, rng.randrange(vocabulary)])
        graph = embedding(vocabulary, dim, padding_idx)
    if rng.random() < 0.2:
        graph += [{"id": "proj", "op": "linear", "out_features": rng.randint(1, 8)},
                  {"id": "proj_act", "op": rng.choice(sorted(ACTIVATIONS))}]
    cell = rng.choice(sorted(CELLS))
    layers, bidirectional, bias, packed = rng.randint(1, 2), rng.random() < 0.5, rng.random() < 0.75, rng.random() < 0.7
    nonlinearity = rng.choice(["tanh", "relu"]) if cell == "rnn" else None
    graph += recurrent(cell, rng.randint(1, 10), layers, bidirectional, bias, nonlinearity, lengths=packed)
    loss = rng.choice(["cross_entropy", "cross_entropy", "mse"] if reduce is None else ["cross_entropy", "mse"])
    language_model = tokens and reduce is None and loss == "cross_entropy" and seq >= 3 and rng.random() < 0.5
    if language_model:
        outputs = vocabulary
    else:
        outputs = rng.randint(2, 8) if loss == "cross_entropy" else rng.choice([1, rng.randint(1, 8)])
    graph += head(outputs, rng.randint(1, 10), rng.choice([None, *sorted(ACTIVATIONS)]), bias=rng.random() < 0.75,
                  reduce=reduce, lengths=reduce is not None and rng.random() < 0.7)
    ignore = None
    if loss == "cross_entropy":
        ignore = rng.choice([None, -100, -1, outputs + rng.randint(0, 5)] if reduce is None else [None, None, -1])
    flat_target = loss == "mse" and reduce is None and outputs == 1 and rng.random() < 0.5
    batch = rng.randint(1, 8)
    n = max(batch * rng.randint(1, 3) + rng.randint(0, batch - 1), 2, 3 * outputs if loss == "cross_entropy" else 2)
    adam = {**DEFAULT_ADAM, "weight_decay": rng.choice([0.0, 0.0, 0.01])}
    case = Case(rng.randrange(2 ** 31), None if tokens else rng.randint(1, 8), seq, batch, n, rng.randint(2, 4),
                rng.choice([0.001, 0.003, 0.01, 0.03]), graph, loss, adam, ignore, flat_target)
    name = ("tokens" if tokens else "floats") + f"-{cell}-{layers}layer" + ("-bidir" if bidirectional else "")
    name += ("-packed" if packed else "") + "-" + ("lm" if language_model else (reduce or "per_step").replace("_", "-"))
    return case, name + ("-ce" if loss == "cross_entropy" else "-mse")


def targets_cover_classes(case):
    """Whether every class occurs among a cross-entropy case's targets (always true for mse)."""
    if case.loss == "mse":
        return True
    _, data = model_and_data(case)  # the same random stream as run_case
    return classes_in_targets(case, data["y"]) == list(range(case.graph[-1]["out_features"]))


def random_cases(count, seed):
    """Every third case is over whole float sequences, the others over padded ones, whose outputs cycle through
    per-step, last_step, mean_pool and max_pool, so that even a short run has one of each."""
    rng = random.Random(seed)
    cases, digits = {}, max(2, len(str(count - 1)))
    kinds = [None, *REDUCTIONS]
    for index in range(count):
        if index % 3 == 0:
            case, name = random_case(rng)
        else:
            case, name = random_sequence_case(rng, kinds[(index - index // 3 - 1) % len(kinds)])
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
        print(f"{name:28s} epochs={len(losses):3d} first={losses[0]!r} last={losses[-1]!r}")


if __name__ == "__main__":
    main()
