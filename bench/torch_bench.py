"""The benchmark model in PyTorch eager: nn.RNN(tanh) | nn.LSTM | nn.GRU (batch_first) -> out[:, -1, :] -> nn.Linear,
nn.CrossEntropyLoss, torch.optim.Adam(lr=0.001); one training step = zero_grad, forward, backward, step.

    /usr/bin/python3 bench/torch_bench.py --cell lstm --input 10 --hidden 20 --classes 5 --seq 7 --batch 16
        standalone: prints {"usPerStep": median, "samplesUs": [...], ...} as JSON for that shape
    /usr/bin/python3 bench/torch_bench.py --serve [--threads N]
        worker for bench/run.ts: JSON requests on stdin, one JSON response per line (see bench/protocol.ts)

Threads: torch.set_num_threads(--threads, default 1). The BLAS's own threads are the environment's business:
bench/run.ts sets OPENBLAS_NUM_THREADS (1, or 2 for torch-2t), OMP_WAIT_POLICY=PASSIVE and the OPENBLAS_CORETYPE that
multiplied fastest here (bench/blas.ts, bench/systems.ts). In PyTorch 1.13 the CPU recurrent layers are aten::mm /
addmm per time step plus elementwise gate kernels, so the BLAS decides their speed.

Uses only torch and the standard library.
"""
import argparse
import copy
import ctypes
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn

CELLS = {"rnn": lambda i, h: nn.RNN(i, h, nonlinearity="tanh", batch_first=True), "lstm": lambda i, h: nn.LSTM(i, h, batch_first=True), "gru": lambda i, h: nn.GRU(i, h, batch_first=True)}


class Classifier(nn.Module):
    def __init__(self, cell, input_size, hidden_size, classes):
        super().__init__()
        self.rnn = CELLS[cell](input_size, hidden_size)
        self.fc = nn.Linear(hidden_size, classes)

    def forward(self, x):
        out, _ = self.rnn(x)  # h_0 = 0 (and c_0 = 0 for the LSTM)
        return self.fc(out[:, -1, :])


class Trainer:
    """One model, its optimizer and one fixed batch."""

    def __init__(self, shape):
        torch.manual_seed(0)
        self.model = Classifier(shape.get("cell", "rnn"), shape["input"], shape["hidden"], shape["classes"])
        self.initial_state = {name: value.clone() for name, value in self.model.state_dict().items()}
        self.optimizer = None
        self.snapshot_state = None
        self.criterion = nn.CrossEntropyLoss()
        self.x = torch.randn(shape["batch"], shape["seq"], shape["input"])
        self.y = torch.randint(0, shape["classes"], (shape["batch"],))

    def reset(self):
        """Initial weights and a fresh Adam (see the `time` request in bench/protocol.ts); Adam makes its moments
        on its first step, as TF.js's does."""
        self.model.load_state_dict(self.initial_state)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=0.001)

    def snapshot(self, steps):
        """Trains `steps` steps from the initial state, untimed, and keeps the weights and Adam's state they reach,
        for `time` requests from "snapshot": the steady-state measurement (bench/steady.ts)."""
        self.reset()
        self.train(steps)
        model = {name: value.clone() for name, value in self.model.state_dict().items()}
        self.snapshot_state = (model, copy.deepcopy(self.optimizer.state_dict()))
        return {"ok": True}

    def restore_snapshot(self):
        if self.snapshot_state is None:
            raise ValueError("time from a snapshot before any snapshot")
        model, optimizer = self.snapshot_state
        self.model.load_state_dict(model)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=0.001)
        self.optimizer.load_state_dict(copy.deepcopy(optimizer))  # 1.13 copies it too; never let steps write to the snapshot

    def train(self, steps):
        loss = None
        for _ in range(steps):
            self.optimizer.zero_grad(set_to_none=True)
            loss = self.criterion(self.model(self.x), self.y)
            loss.backward()
            self.optimizer.step()
        return loss

    def time(self, steps, start_from="init"):
        if start_from == "snapshot":
            self.restore_snapshot()
        else:
            self.reset()
        start = time.perf_counter_ns()
        loss = self.train(steps)
        elapsed = time.perf_counter_ns() - start
        # Eager CPU ops are synchronous, so the clock above already covers all the work; .item() is outside it.
        return {"ok": True, "usPerStep": elapsed / 1000 / steps, "loss": loss.item()}


def mapped_blas_paths():
    """The BLAS libraries actually mapped into this process: Debian's torch uses whatever libblas.so.3 the system's
    alternatives point to (OpenBLAS with libopenblas0-pthread installed, else the far slower reference BLAS)."""
    torch.ones(2, 2) @ torch.ones(2, 2)  # make sure the BLAS is loaded
    try:
        with open("/proc/self/maps") as maps:
            return sorted({line.split()[-1] for line in maps if "blas" in line.split()[-1]})
    except OSError:
        return []


def openblas():
    """OpenBLAS's own account of itself ({"config", "core", "threads"}), or None if it is not the mapped BLAS."""
    for path in mapped_blas_paths():
        try:
            library = ctypes.CDLL(path)
            library.openblas_get_corename.restype = ctypes.c_char_p
            library.openblas_get_config.restype = ctypes.c_char_p
        except (OSError, AttributeError):
            continue
        config = library.openblas_get_config().decode()
        return {"config": config, "core": library.openblas_get_corename().decode(), "threads": library.openblas_get_num_threads()}
    return None


def blas_library():
    if torch.backends.mkl.is_available():
        return "MKL"
    found = openblas()
    if found is not None:
        # The config starts "OpenBLAS 0.3.21 DYNAMIC_ARCH ..."; keep the name and version.
        name = " ".join(found["config"].split(" ")[:2])
        threads = found["threads"]
        return f"{name}, {found['core']} kernels, {threads} BLAS thread{'s' if threads > 1 else ''}"
    paths = mapped_blas_paths()
    if not paths:
        return "BLAS unknown"
    if any("/blas/libblas.so" in path for path in paths):
        return "reference BLAS"
    return f"BLAS {paths[0]}"


def matmul_gflops(size, seconds):
    """GFLOP/s of a size x size float32 matmul on this process's threads, timed for about `seconds` after a warm-up."""
    a, b = torch.randn(size, size), torch.randn(size, size)
    for _ in range(3):
        a @ b
    start = time.perf_counter()
    runs = 0
    while time.perf_counter() - start < seconds:
        a @ b
        runs += 1
    elapsed = time.perf_counter() - start
    return 2 * size**3 * runs / elapsed / 1e9


def blas_info(size, seconds):
    found = openblas()
    return {
        "ok": True,
        "library": blas_library(),
        "core": found["core"] if found else None,
        "config": found["config"] if found else None,
        "coreType": os.environ.get("OPENBLAS_CORETYPE"),
        "gflops": matmul_gflops(size, seconds),
    }


def version():
    threads = torch.get_num_threads()
    wait_policy = f", OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}" if "OMP_WAIT_POLICY" in os.environ else ""
    return f"PyTorch {torch.__version__} (eager, {blas_library()}, {threads} PyTorch thread{'s' if threads > 1 else ''}{wait_policy})"


def serve():
    trainer = None
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            op = request["op"]
            if op == "info":
                response = {"ok": True, "version": version()}
            elif op == "setup":
                trainer = Trainer(request["shape"])
                response = {"ok": True}
            elif op == "blas":
                response = blas_info(int(request["size"]), float(request["seconds"]))
            elif op == "time":
                if trainer is None:
                    raise ValueError("time before setup")
                response = trainer.time(int(request["steps"]), request.get("from", "init"))
            elif op == "snapshot":
                if trainer is None:
                    raise ValueError("snapshot before setup")
                response = trainer.snapshot(int(request["steps"]))
            else:
                raise ValueError(f"unknown op {op!r}")
        except Exception as error:  # report to the coordinator instead of dying mid-protocol
            response = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(response) + "\n")
        sys.stdout.flush()


def standalone(args):
    shape = {"cell": args.cell, "input": args.input, "hidden": args.hidden, "classes": args.classes, "seq": args.seq, "batch": args.batch}
    trainer = Trainer(shape)
    warmup_deadline = time.perf_counter() + args.warmup_seconds
    per_step = trainer.time(1)["usPerStep"]
    while time.perf_counter() < warmup_deadline:
        per_step = trainer.time(1)["usPerStep"]
    steps = min(1000, max(1, round(args.round_ms * 1000 / per_step)))  # the cap bench/measure.ts explains
    samples = [trainer.time(steps)["usPerStep"] for _ in range(args.repeats)]
    print(json.dumps({"system": version(), "shape": shape, "usPerStep": statistics.median(samples), "samplesUs": samples, "stepsPerRound": steps}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serve", action="store_true", help="speak the bench/protocol.ts line protocol on stdin/stdout")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1, like rnnc and TF.js)")
    parser.add_argument("--cell", choices=sorted(CELLS), default="rnn")
    for name, default in (("input", 10), ("hidden", 20), ("classes", 5), ("seq", 7), ("batch", 16)):
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--round-ms", type=float, default=300)
    parser.add_argument("--warmup-seconds", type=float, default=1.0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.serve:
        serve()
    else:
        standalone(args)


if __name__ == "__main__":
    main()
