#!/usr/bin/env python3
# Generated from models/simple-rnn.yaml (sha256 e78d493eb7fdf56b0a80b4bf354e7d4ae1055e4074936e5fda37a462b616ca3b) — do not edit.
# rnnc 0.1.0 --target pytorch: simple-rnn: rnn = rnn(x, 10→20, tanh); last = last_step(rnn); fc = linear(last, 20→5); loss cross_entropy(fc, y) over 5 classes; adam.
# Regenerate with `npx compile --target pytorch models/simple-rnn.yaml`. Needs only PyTorch.
"""simple-rnn, trained in PyTorch as `rnnc train` trains it: the same flags, output and checkpoints.

    python3 simple-rnn.py train [--init W.safetensors] [--data D.safetensors] [--epochs N]
                     [--log-format text|json] [--save S.safetensors] [--device auto|cpu|cuda]
    torchrun --nproc_per_node N simple-rnn.py train ...   # DistributedDataParallel, the same global batch
"""
import argparse
import ctypes
import decimal
import json
import math
import os
import struct
import sys

try:
    import torch
    import torch.distributed as dist
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as missing:
    sys.stderr.write(f"{sys.argv[0]}:1:1: error RNNC0190: this script needs PyTorch, but Python cannot import it ({missing})\n  hint: install PyTorch (pip install torch, or apt-get install python3-torch)\n")
    sys.exit(2)


SPEC_SHA256 = "e78d493eb7fdf56b0a80b4bf354e7d4ae1055e4074936e5fda37a462b616ca3b"
# What checkpoints are keyed to: every parameter's name, shape and dtype (as rnnc's src/runtime/fingerprint.ts).
ARCHITECTURE_SHA256 = "0355686eaef1630ec8231764bc4b294f825e6cc98f1ab5657d97299cad5583e5"
INIT_DRAWS = [("uniform", 200), ("uniform", 400), ("uniform", 20), ("uniform", 20), ("uniform", 100), ("uniform", 5)]
MODEL_NAME = "simple-rnn"
GENERATOR = "rnnc 0.1.0 --target pytorch"
# The spec's inputs: dtype, shape after the batch axis, and for integers (min, max, ignored value, what they are).
INPUTS = {
    "x": ("float32", [7, 10], None),
    "y": ("int32", [], (0, 4, -100, "class indices")),
}
FORWARD_INPUTS = ["x"]
LOSS_TARGET = "y"
TRAIN = {"epochs": 10, "batch_size": 16, "seed": 0, "shuffle": False, "patience": None, "warmup_epochs": 0, "divergence_factor": 10000}
SCHEDULE = None
# Parameters outside the loss's path get no gradient; DistributedDataParallel must be told.
UNUSED_PARAMETERS = False
# Diagnostic codes, as rnnc's (src/diagnostics/codes.ts).
CODES = {"unreadable": "RNNC0001", "unwritable": "RNNC0004", "corrupt": "RNNC0040", "tensor_mismatch": "RNNC0041", "out_of_range": "RNNC0042", "non_finite": "RNNC0043", "checkpoint_mismatch": "RNNC0044", "non_finite_weights": "RNNC0101", "output_is_input": "RNNC0102", "diverged": "RNNC0050", "data_section": "RNNC0192", "distributed": "RNNC0193"}


def recurrent(layer, x, lengths=None):
    """nn.RNN, nn.LSTM or nn.GRU (batch_first) from a zero state over x [batch, seq, features]; with lengths, over
    each sample's first lengths[b] steps (pack_padded_sequence, enforce_sorted=False), 0 past them."""
    if lengths is None:
        return layer(x)[0]
    packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
    return nn.utils.rnn.pad_packed_sequence(layer(packed)[0], batch_first=True, total_length=x.size(1))[0]


class Model(nn.Module):
    """simple-rnn in PyTorch: each layer with parameters is the submodule named by its id, so the state_dict
    names are rnnc's, and starts from PyTorch's default init."""

    def __init__(self):
        super().__init__()
        # rnn = rnn(x, 10→20, tanh)
        self.rnn = nn.RNN(10, 20, batch_first=True)
        # fc = linear(last, 20→5)
        self.fc = nn.Linear(20, 5)

    def forward(self, x):
        """x [batch, 7, 10] float32 -> fc [batch, 5] float32"""
        # rnn(x, 10→20, tanh): [batch, 7, 20]
        rnn = recurrent(self.rnn, x)
        # last_step(rnn): [batch, 20]
        last = rnn[:, -1, :]
        # linear(last, 20→5): [batch, 5]
        fc = self.fc(last)
        return fc


def loss_sum(prediction, target):
    """cross_entropy(fc, y) over 5 classes, summed: nn.CrossEntropyLoss(ignore_index=-100): logits over 5 classes, targets equal to -100 skipped."""
    return F.cross_entropy(prediction.reshape(-1, 5), target.reshape(-1), ignore_index=-100, reduction="sum")


def loss_count(target):
    """How many terms a mini-batch's mean loss divides by, from its whole target."""
    return max(int((target != -100).sum()), 1)


def accuracy_counts(prediction, target):
    """(right, scored): the scored targets, and those the logits rank first."""
    return (((prediction.reshape(-1, 5).argmax(1) == target.reshape(-1)) & (target.reshape(-1) != -100)).sum(), (target != -100).sum())


def make_optimizer(parameters):
    return torch.optim.Adam(parameters, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False)


def clip_gradients(parameters):
    """The spec clips nothing."""


DATA_SECTION = None


def spec_data(args):
    """The spec's data section: none; only here so every script has one."""
    raise UserError(CODES["data_section"], sys.argv[0], "this script cannot read the spec's data section", "train from --data D.safetensors (one tensor per spec input), or with rnnc train")


class UserError(Exception):
    """A problem with the run's input, printed as rnnc prints a diagnostic: exit 2, no traceback."""

    def __init__(self, code, file, message, hint, line=1, column=1):
        super().__init__(message)
        self.code, self.file, self.message, self.hint, self.line, self.column = code, file, message, hint, line, column

    def report(self):
        sys.stderr.write(f"{self.file}:{self.line}:{self.column}: error {self.code}: {self.message}\n  hint: {self.hint}\n")


SAFETENSORS_DTYPES = {"F32": (torch.float32, 4), "F64": (torch.float64, 8), "I32": (torch.int32, 4), "I64": (torch.int64, 8)}


def read_safetensors(path):
    """({name: tensor}, metadata) from a safetensors file; every length and offset is checked before use."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        raise UserError(CODES["unreadable"], path, f"cannot read {path}: {error.strerror}", "check the path") from None

    def corrupt(message):
        return UserError(CODES["corrupt"], path, message, "this is not a safetensors file, or it is damaged")

    if len(data) < 8:
        raise corrupt("the file is shorter than its 8-byte header length")
    (length,) = struct.unpack("<Q", data[:8])
    if 8 + length > len(data):
        raise corrupt(f"the header length {length} runs past the end of the file")
    try:
        header = json.loads(data[8:8 + length].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise corrupt("the header is not JSON") from None
    if not isinstance(header, dict):
        raise corrupt("the header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise corrupt("__metadata__ must map strings to strings")
    start, tensors = 8 + length, {}
    for name, entry in header.items():
        try:
            dtype, size = SAFETENSORS_DTYPES[entry["dtype"]]
            shape = [int(d) for d in entry["shape"]]
            begin, end = (int(o) for o in entry["data_offsets"])
        except (KeyError, TypeError, ValueError):
            raise corrupt(f"tensor '{name}' needs a dtype (F32, F64, I32 or I64), a shape and data_offsets") from None
        count = math.prod(shape)
        if min(shape, default=0) < 0 or begin < 0 or end != begin + count * size or start + end > len(data):
            raise corrupt(f"tensor '{name}' does not fit its data_offsets [{begin}, {end}]")
        raw = bytearray(data[start + begin:start + end])
        tensors[name] = torch.frombuffer(raw, dtype=dtype).reshape(shape) if count > 0 else torch.zeros(shape, dtype=dtype)
    return tensors, metadata


def write_safetensors(path, tensors, metadata):
    """F32 tensors [(name, tensor)] in order, the header padded so the data starts 8-byte aligned. Written to a
    temporary file beside path and renamed over it, so a failed write leaves any earlier file as it was."""
    header, chunks, offset = {"__metadata__": metadata}, [], 0
    for name, tensor in tensors:
        values = tensor.detach().to("cpu", torch.float32).contiguous()
        raw = ctypes.string_at(values.data_ptr(), values.numel() * 4) if values.numel() > 0 else b""
        header[name] = {"dtype": "F32", "shape": list(values.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)
    temporary = os.path.join(os.path.dirname(os.path.abspath(path)), f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as f:
            f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))
        os.replace(temporary, path)
    except OSError as error:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise UserError(CODES["unwritable"], path, f"cannot write {path}: {error.strerror}", "check that the folder exists and can be written; nothing was changed") from None


def check_save_path(path, inputs):
    """Refuses, before training, a --save path that cannot be written or that is one of the run's inputs."""
    if os.path.isdir(path):
        raise UserError(CODES["unwritable"], path, f"cannot write {path}: it is a directory", "name a file to save the weights in")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise UserError(CODES["unwritable"], path, f"cannot write {path}: the folder {folder} does not exist or cannot be written", "create the folder first")
    for role, other in inputs:
        if other is not None and os.path.exists(path) and os.path.samefile(path, other):
            raise UserError(CODES["output_is_input"], path, f"--save {path} is the {role}", "save the weights to a new file")


def js_number(value):
    """A float as JavaScript's JSON.stringify writes it (the shortest digits that read back, in JavaScript's layout),
    so that the JSON log reads exactly as rnnc's."""
    if not math.isfinite(value):
        return "null"
    if value == 0:
        return "0"
    sign, number = ("-" if value < 0 else ""), decimal.Decimal(repr(abs(value)))
    _, digit_tuple, exponent = number.as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exponent += len("".join(map(str, digit_tuple))) - len(digits)
    k, n = len(digits), exponent + len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"


def js_json(value):
    """JSON as JavaScript's JSON.stringify writes it (numbers included), so the checkpoint's metadata is rnnc's."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(key)}:{js_json(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(js_json(item) for item in value) + "]"
    if isinstance(value, float):
        return js_number(value)
    return json.dumps(value, ensure_ascii=False)


class Random:
    """rnnc's seeded generator (xoshiro128**, seeded through splitmix32): the same seed gives rnnc's dummy data and
    rnnc's shuffled order."""

    MASK = 0xFFFFFFFF

    def __init__(self, seed):
        state, words = seed & self.MASK, []
        for _ in range(4):
            state = (state + 0x9E3779B9) & self.MASK
            z = state
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & self.MASK
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & self.MASK
            words.append(z ^ (z >> 16))
        self.state, self.spare = words, None

    @classmethod
    def rotl(cls, x, k):
        return ((x << k) | (x >> (32 - k))) & cls.MASK

    def next_uint32(self):
        s0, s1, s2, s3 = self.state
        result = (self.rotl((s1 * 5) & self.MASK, 7) * 9) & self.MASK
        t = (s1 << 9) & self.MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        self.state = [s0, s1, s2, self.rotl(s3, 11)]
        return result

    def uniform(self):
        return self.next_uint32() / 4294967296

    def integer_below(self, n):
        return math.floor(self.uniform() * n)

    def normal(self):
        if self.spare is not None:
            spare, self.spare = self.spare, None
            return spare
        u, v = 1 - self.uniform(), self.uniform()
        radius = math.sqrt(-2 * math.log(u))
        self.spare = radius * math.sin(2 * math.pi * v)
        return radius * math.cos(2 * math.pi * v)


def skip_init_draws(random):
    """rnnc train draws its seeded init from this generator before anything else, whether or not --init replaces it:
    the same draws here put the dummy data and the shuffles at the same place in the stream."""
    for distribution, count in INIT_DRAWS:
        draw = random.uniform if distribution == "uniform" else random.normal
        for _ in range(count):
            draw()


def dummy_data(random):
    """The seed notebook's dummy data, drawn as rnnc draws it: one batch, floats ~ N(0, 1), integers uniform over
    what the model reads."""
    count, data = TRAIN["batch_size"], {}
    for name, (dtype, shape, valid) in INPUTS.items():
        size = count * math.prod(shape)
        if dtype == "int32":
            low, high = valid[0], valid[1]
            values = torch.tensor([low + random.integer_below(high - low + 1) for _ in range(size)], dtype=torch.int64)
        else:
            values = torch.tensor([random.normal() for _ in range(size)], dtype=torch.float32)
        data[name] = values.reshape([count] + shape)
    return data


def load_data(path):
    """One tensor per spec input, [N, ...]: floats as F32 or F64, integers as I64 or I32 within the model's range."""
    tensors, _ = read_safetensors(path)
    data, count = {}, None
    for name, (dtype, shape, valid) in INPUTS.items():
        expected = "[N" + "".join(f", {d}" for d in shape) + "]"
        tensor = tensors.get(name)
        if tensor is None:
            raise UserError(CODES["tensor_mismatch"], path, f"the data has no tensor '{name}'", f"store the spec input '{name}' as a tensor of shape {expected}")
        if tensor.dim() != len(shape) + 1 or list(tensor.shape[1:]) != shape or tensor.shape[0] == 0:
            raise UserError(CODES["tensor_mismatch"], path, f"'{name}' has shape {list(tensor.shape)}, but the spec says {expected}", "the data must match the spec's input shapes")
        if count is not None and tensor.shape[0] != count:
            raise UserError(CODES["tensor_mismatch"], path, f"'{name}' has {tensor.shape[0]} samples, but another input has {count}", "every input needs one entry per sample")
        count = tensor.shape[0]
        if dtype == "int32":
            if tensor.is_floating_point():
                raise UserError(CODES["tensor_mismatch"], path, f"'{name}' holds floats, but the spec says int32", "store it as I64 (PyTorch's default) or I32")
            tensor = tensor.to(torch.int64)
            low, high, ignore, what = valid
            allowed = (tensor >= low) & (tensor <= high)
            if ignore is not None:
                allowed |= tensor == ignore
            if not bool(allowed.all()):
                index = int((~allowed).reshape(-1).nonzero()[0])
                value = int(tensor.reshape(-1)[index])
                raise UserError(CODES["out_of_range"], path, f"'{name}' holds {value} at element {index}, out of range for {what}", f"{what} must be integers in [{low}, {high}]")
            if name == LOSS_TARGET and ignore is not None and bool((tensor == ignore).all()):
                raise UserError(CODES["tensor_mismatch"], path, f"every value of '{name}' is {ignore}, the loss's ignore_index: there is nothing to learn from", "store the class indices, the ignore_index only for padding")
        else:
            if not tensor.is_floating_point():
                raise UserError(CODES["tensor_mismatch"], path, f"'{name}' is an integer tensor, but the spec says float32", "store it as F32 (or F64)")
            tensor = tensor.to(torch.float32)
            if not bool(torch.isfinite(tensor).all()):
                raise UserError(CODES["non_finite"], path, f"'{name}' holds a value that is not finite as float32", "remove or repair the sample")
        data[name] = tensor
    return data


class Shuffler:
    """rnnc's shuffle: a fresh permutation before each epoch (Fisher-Yates over 0..n-1 with the seeded generator)."""

    def __init__(self, data, random):
        self.data, self.random = data, random
        self.count = len(next(iter(data.values())))

    def shuffled(self):
        order = list(range(self.count))
        for i in range(len(order) - 1, 0, -1):
            j = self.random.integer_below(i + 1)
            order[i], order[j] = order[j], order[i]
        index = torch.tensor(order, dtype=torch.int64)
        return {name: values[index] for name, values in self.data.items()}


class Schedule:
    """lr_after(completed, watched): the learning rate after 'completed' epochs, given the loss watched after the
    last one (ReduceLROnPlateau only). A warmup of w epochs trains at lr0 * e / (w + 1) first."""

    def __init__(self, config, lr0, warmup):
        self.config, self.lr0, self.warmup = config, lr0, warmup
        self.lr = lr0 / (warmup + 1) if warmup > 0 else lr0
        self.best, self.bad_epochs = math.inf, 0

    def scheduled(self, epochs):
        config, lr0 = self.config, self.lr0
        if config is None:
            return lr0
        if config["op"] == "step":
            return lr0 * config["gamma"] ** math.floor(epochs / config["step_size"])
        if config["op"] == "exponential":
            return lr0 * config["gamma"] ** epochs
        if config["op"] == "cosine":
            return config["eta_min"] + (lr0 - config["eta_min"]) * (1 + math.cos(math.pi * epochs / config["t_max"])) / 2
        return self.lr

    def lr_after(self, completed, watched):
        if completed < self.warmup:
            self.lr = self.lr0 * (completed + 1) / (self.warmup + 1)
        elif self.config is not None and self.config["op"] == "reduce_on_plateau":
            if completed == self.warmup:
                self.lr = self.lr0
            else:
                self.plateau(watched)
        else:
            self.lr = self.scheduled(completed - self.warmup)
        return self.lr

    def plateau(self, loss):
        config = self.config
        if loss < self.best * (1 - config["threshold"]):
            self.best, self.bad_epochs = loss, 0
            return
        self.bad_epochs += 1
        if self.bad_epochs > config["patience"]:
            reduced = max(self.lr * config["factor"], config["min_lr"])
            if self.lr - reduced > 1e-8:
                self.lr = reduced
            self.bad_epochs = 0


class Run:
    """Where this process trains: its rank among 'world' processes (1 without torchrun) and its device."""

    def __init__(self, device_choice):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        local = int(os.environ.get("LOCAL_RANK", "0"))
        cuda = device_choice == "cuda" or (device_choice == "auto" and torch.cuda.is_available())
        if cuda and not torch.cuda.is_available():
            raise UserError(CODES["distributed"], sys.argv[0], "--device cuda, but PyTorch sees no CUDA device", "use --device cpu, or run where a GPU is visible")
        self.device = torch.device("cuda", local) if cuda else torch.device("cpu")
        if cuda:
            torch.cuda.set_device(self.device)
        if self.world > 1:
            # one process per device: NCCL between GPUs, gloo between CPU processes
            dist.init_process_group("nccl" if cuda else "gloo")
            # every sum is reduced in this one tensor, which lives until finish(): see there
            self.reduced = torch.zeros(1, dtype=torch.float64, device=self.device)

    def share(self, start, size):
        """This process's contiguous part of the global mini-batch [start, start + size)."""
        base, extra = divmod(size, self.world)
        begin = start + self.rank * base + min(self.rank, extra)
        return begin, begin + base + (1 if self.rank < extra else 0)

    def sum(self, value):
        """A float summed over every process."""
        if self.world == 1:
            return value
        self.reduced.fill_(value)
        dist.all_reduce(self.reduced)
        return float(self.reduced[0])

    def finish(self):
        """Ends the process group, once the DistributedDataParallel wrapper is gone. Ending it joins gloo's worker
        threads while this thread holds the GIL (PyTorch 1.13); a worker that then released the last reference to a
        tensor Python had made (a temporary passed to all_reduce) would wait for the GIL, and both processes hung at
        exit. Python keeps its one reduction tensor alive until after the join, so no worker ever needs the GIL."""
        if self.world > 1:
            dist.destroy_process_group()

    def forward(self, model, data, begin, end):
        inputs = {name: data[name][begin:end].to(self.device) for name in INPUTS}
        return model(*[inputs[name] for name in FORWARD_INPUTS]), inputs[LOSS_TARGET]


def train_step(run, model, optimizer, data, start, size, tally=None):
    """One optimizer step on the global mini-batch [start, start + size); returns its mean loss. A classifier's
    targets the forward pass ranks right are counted into tally, as rnnc counts its training accuracy."""
    count = loss_count(data[LOSS_TARGET][start:start + size])
    begin, end = run.share(start, size)
    # DDP averages gradients over the processes, so each one's summed loss is scaled by world / count
    weight = run.world / count
    if begin == end:
        # more processes than samples: a sample weighted 0 keeps this process in step with the others
        begin, end, weight = start, start + 1, 0.0
    optimizer.zero_grad()
    prediction, target = run.forward(model, data, begin, end)
    total = loss_sum(prediction, target)
    if tally is not None and weight > 0:
        tally.add(prediction, target)
    (total * weight).backward()
    clip_gradients(model.parameters())
    optimizer.step()
    return run.sum(float(total.detach()) * weight / run.world)


def dataset_loss(run, model, data, tally=None):
    """The mean loss over every sample, each mini-batch's mean weighted by its size (evaluation mode)."""
    samples = len(data[LOSS_TARGET])
    model.eval()
    total = 0.0
    with torch.no_grad():
        for start in range(0, samples, TRAIN["batch_size"]):
            size = min(TRAIN["batch_size"], samples - start)
            count = loss_count(data[LOSS_TARGET][start:start + size])
            begin, end = run.share(start, size)
            if begin < end:
                prediction, target = run.forward(model, data, begin, end)
                total += float(loss_sum(prediction, target)) / count * size
                if tally is not None:
                    tally.add(prediction, target)
    model.train()
    return run.sum(total) / samples


def first_non_finite(model):
    for name, parameter in model.named_parameters():
        finite = torch.isfinite(parameter.detach()).reshape(-1)
        if not bool(finite.all()):
            return f"parameter '{name}' (element {int((~finite).nonzero()[0])})"
    return None


def train(run, model, trainer, optimizer, data, epochs, on_epoch, validation=None, shuffler=None):
    """Returns (records, kept epoch, stopped early, divergence or None); the model then holds the kept weights."""
    schedule = Schedule(SCHEDULE, optimizer.param_groups[0]["lr"], TRAIN["warmup_epochs"])
    set_lr(optimizer, schedule.lr)
    samples = len(data[LOSS_TARGET])
    records, bound, best = [], None, {"loss": math.inf, "epoch": 0, "weights": None}
    for epoch in range(1, epochs + 1):
        lr = optimizer.param_groups[0]["lr"]
        batches = data if shuffler is None else shuffler.shuffled()
        losses, tally, val_tally = [], Tally(), Tally()
        for step, start in enumerate(range(0, samples, TRAIN["batch_size"]), 1):
            before = [p.detach().clone() for p in model.parameters()]
            loss = train_step(run, trainer, optimizer, batches, start, min(TRAIN["batch_size"], samples - start), tally)
            what = None
            if bound is not None and loss > bound:
                what = f"the loss grew to {loss:.4g}, over {TRAIN['divergence_factor']:g} x the first epoch's {records[0]['loss']:.4g}"
            elif not math.isfinite(loss):
                what = "the loss is not finite"
            else:
                bad = first_non_finite(model)
                what = None if bad is None else f"{bad} is not finite"
            if what is not None:
                with torch.no_grad():
                    for parameter, saved in zip(model.parameters(), before):
                        parameter.copy_(saved)
                return records, epoch - 1, False, (epoch, step, what)
            losses.append(loss)
        record = {"epoch": epoch, "loss": sum(losses) / len(losses), "lr": lr}
        if validation is not None:
            record["val_loss"] = dataset_loss(run, model, validation, val_tally)
        for key, counts in (("accuracy", tally), ("val_accuracy", val_tally)):
            value = counts.value(run)
            if value is not None:
                record[key] = value
        records.append(record)
        if epoch == 1 and record["loss"] > 0:
            bound = record["loss"] * TRAIN["divergence_factor"]
        on_epoch(record)
        set_lr(optimizer, schedule.lr_after(epoch, record.get("val_loss", record["loss"])))
        if validation is None:
            continue
        if record["val_loss"] < best["loss"]:
            best = {"loss": record["val_loss"], "epoch": epoch, "weights": [p.detach().clone() for p in model.parameters()]}
        elif TRAIN["patience"] is not None and epoch - best["epoch"] >= TRAIN["patience"]:
            restore(model, best["weights"])
            return records, best["epoch"], True, None
    if validation is not None and best["epoch"] > 0:
        restore(model, best["weights"])
        return records, best["epoch"], False, None
    return records, len(records), False, None


def set_lr(optimizer, lr):
    for group in optimizer.param_groups:
        group["lr"] = lr


def restore(model, weights):
    with torch.no_grad():
        for parameter, saved in zip(model.parameters(), weights):
            parameter.copy_(saved)


class Tally:
    """A classifier's scored targets and how many of them the logits rank first (accuracy_counts); nothing for
    regression. Summed over the processes when read."""

    def __init__(self):
        self.right, self.scored = 0, 0

    def add(self, prediction, target):
        counts = accuracy_counts(prediction.detach(), target)
        if counts is not None:
            self.right += int(counts[0])
            self.scored += int(counts[1])

    def value(self, run):
        scored = run.sum(float(self.scored))
        return None if scored == 0 else run.sum(float(self.right)) / scored


def format_epoch(record, epochs, log_format, real_data):
    """An epoch's line, as rnnc train prints it: accuracies for real data only (the seed's dummy-data lines stay)."""
    accuracy = record.get("accuracy") if real_data else None
    val_accuracy = record.get("val_accuracy") if real_data else None
    if log_format == "json":
        val = "" if "val_loss" not in record else f',"val_loss":{js_number(record["val_loss"])}'
        scores = ("" if accuracy is None else f',"accuracy":{js_number(accuracy)}') + ("" if val_accuracy is None else f',"val_accuracy":{js_number(val_accuracy)}')
        return f'{{"epoch":{record["epoch"]},"epochs":{epochs},"loss":{js_number(record["loss"])}{val},"lr":{js_number(record["lr"])}{scores}}}'
    line = f"Epoch [{record['epoch']}/{epochs}], Loss: {record['loss']:.4f}"
    line = line if "val_loss" not in record else f"{line}, Val Loss: {record['val_loss']:.4f}"
    line = line if accuracy is None else f"{line}, Acc: {accuracy:.4f}"
    return line if val_accuracy is None else f"{line}, Val Acc: {val_accuracy:.4f}"


def load_init(model, path):
    """Weights by state_dict name, checked by names and shapes; rnnc's resume state (resume/...) is not weights."""
    tensors, metadata = read_safetensors(path)
    tensors = {name: tensor for name, tensor in tensors.items() if not name.startswith("resume/")}
    expected = model.state_dict()
    for name, value in expected.items():
        tensor = tensors.get(name)
        if tensor is None:
            raise UserError(CODES["checkpoint_mismatch"], path, f"the weights have no tensor '{name}'", f"expected: {', '.join(expected)}")
        if list(tensor.shape) != list(value.shape) or not tensor.is_floating_point():
            raise UserError(CODES["checkpoint_mismatch"], path, f"'{name}' has shape {list(tensor.shape)} ({tensor.dtype}), but the spec needs {list(value.shape)} floats", "the weights were saved from a different model")
        if not bool(torch.isfinite(tensor.to(torch.float32)).all()):
            raise UserError(CODES["non_finite_weights"], path, f"'{name}' holds a value that is not finite as float32", "these weights cannot be trained from")
    extra = [name for name in tensors if name not in expected]
    if extra:
        raise UserError(CODES["checkpoint_mismatch"], path, f"the weights hold {', '.join(extra[:5])}, which this model does not have", f"expected: {', '.join(expected)}")
    model.load_state_dict({name: tensor.to(torch.float32) for name, tensor in tensors.items()})
    return metadata


def train_command(args):
    run = Run(args.device)
    inputs = [("spec's script", sys.argv[0]), ("--data file", args.data), ("--init file", args.init)]
    if DATA_SECTION == "csv" and args.data is None:
        inputs.append(("CSV", spec_csv(args.csv)[0]))
    if args.save is not None:
        check_save_path(args.save, inputs)
    torch.manual_seed(TRAIN["seed"])
    model = Model()
    if args.init is not None:
        load_init(model, args.init)
    random = Random(TRAIN["seed"])
    skip_init_draws(random)
    validation, preprocessing = None, None
    if args.data is not None:
        data = load_data(args.data)
    elif DATA_SECTION is not None:
        data, validation, preprocessing = spec_data(args)
    else:
        data = dummy_data(random)
    model.to(run.device)
    # dropout draws differ between processes (each its own seed), as they would in any data-parallel run
    torch.manual_seed(TRAIN["seed"] + run.rank)
    trainer = model
    if run.world > 1:
        trainer = nn.parallel.DistributedDataParallel(model, device_ids=[run.device.index] if run.device.type == "cuda" else None, find_unused_parameters=UNUSED_PARAMETERS)
    optimizer = make_optimizer(model.parameters())
    epochs = args.epochs or TRAIN["epochs"]
    shuffler = Shuffler(data, random) if TRAIN["shuffle"] else None
    log = (lambda line: print(line, flush=True)) if run.rank == 0 else (lambda line: None)
    records, kept, stopped, divergence = train(run, model, trainer, optimizer, data, epochs, lambda record: log(format_epoch(record, epochs, args.log_format, args.data is not None or DATA_SECTION == "csv")), validation, shuffler)
    if stopped:
        log(f'{{"event":"early_stop","best_epoch":{kept}}}' if args.log_format == "json" else f"Stopped early; keeping the weights of epoch {kept} (best validation loss)")
    if args.save is not None and run.rank == 0:
        metadata = {"format": "pt", "generator": GENERATOR, "model": MODEL_NAME, "architecture_sha256": ARCHITECTURE_SHA256, "spec_sha256": SPEC_SHA256, "epoch": str(kept)}
        if preprocessing is not None:
            metadata["preprocessing"] = js_json(preprocessing)
        write_safetensors(args.save, list(model.state_dict().items()), metadata)
    # the wrapper first (it holds the process group), then the group, while run's tensors are alive: Run.finish
    del trainer
    run.finish()
    if divergence is not None:
        epoch, step, what = divergence
        raise UserError(CODES["diverged"], sys.argv[0], f"training diverged at epoch {epoch}, step {step}: {what}", "lower the learning rate, clip the gradients (train.clip_grad_norm) or normalise the data; --save keeps the last good weights")
    return 0


def positive_integer(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("expected a positive integer")
    return int(text)


def main(argv):
    parser = argparse.ArgumentParser(prog=os.path.basename(sys.argv[0]), description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    train_parser = commands.add_parser("train", help="train, printing a line per epoch as rnnc train does")
    train_parser.add_argument("--init", metavar="W.safetensors", help="start from these weights (state_dict names) instead of PyTorch's default init")
    train_parser.add_argument("--data", metavar="D.safetensors", help="training data: one tensor per spec input, [N, ...]; default: the spec's data section, else the seed's dummy data")
    if DATA_SECTION == "csv":
        train_parser.add_argument("--csv", metavar="FILE.csv", help="read the spec's data section from this CSV instead of its data.csv")
    train_parser.add_argument("--epochs", type=positive_integer, help="override the spec's epoch count")
    train_parser.add_argument("--save", metavar="W.safetensors", help="write the trained weights (atomically), with rnnc's metadata")
    train_parser.add_argument("--log-format", choices=["text", "json"], default="text", help="per-epoch log lines")
    train_parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto", help="where to train (auto: a GPU when PyTorch sees one)")
    args = parser.parse_args(argv)
    try:
        return train_command(args)
    except UserError as error:
        error.report()
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
