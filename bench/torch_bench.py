"""The benchmark model in PyTorch eager, one thread: nn.RNN(tanh) | nn.LSTM | nn.GRU (batch_first) -> out[:, -1, :] -> nn.Linear,
nn.CrossEntropyLoss, torch.optim.Adam(lr=0.001); one training step = zero_grad, forward, backward, step.

    /usr/bin/python3 bench/torch_bench.py --cell lstm --input 10 --hidden 20 --classes 5 --seq 7 --batch 16
        standalone: prints {"usPerStep": median, "samplesUs": [...], ...} as JSON for that shape
    /usr/bin/python3 bench/torch_bench.py --serve
        worker for bench/run.ts: JSON requests on stdin, one JSON response per line (see bench/protocol.ts)

Uses only torch and the standard library.
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn

# Compare like with like: rnnc and TF.js run on one thread.
torch.set_num_threads(1)


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
        self.criterion = nn.CrossEntropyLoss()
        self.x = torch.randn(shape["batch"], shape["seq"], shape["input"])
        self.y = torch.randint(0, shape["classes"], (shape["batch"],))

    def reset(self):
        """Initial weights and a fresh Adam (see the `time` request in bench/protocol.ts); Adam makes its moments
        on its first step, as TF.js's does."""
        self.model.load_state_dict(self.initial_state)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=0.001)

    def time(self, steps):
        self.reset()
        loss = None
        start = time.perf_counter_ns()
        for _ in range(steps):
            self.optimizer.zero_grad(set_to_none=True)
            loss = self.criterion(self.model(self.x), self.y)
            loss.backward()
            self.optimizer.step()
        elapsed = time.perf_counter_ns() - start
        # Eager CPU ops are synchronous, so the clock above already covers all the work; .item() is outside it.
        return {"ok": True, "usPerStep": elapsed / 1000 / steps, "loss": loss.item()}


def blas_library():
    """The BLAS actually mapped into this process: Debian's torch uses whatever libblas.so.3 the system's
    alternatives point to, and the reference (netlib) BLAS there is many times slower than OpenBLAS or MKL."""
    if torch.backends.mkl.is_available():
        return "MKL"
    torch.ones(2, 2) @ torch.ones(2, 2)  # make sure the BLAS is loaded
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.split()[-1]}
    except OSError:
        return "BLAS unknown"
    if not paths:
        return "BLAS unknown"
    path = sorted(paths)[0]
    if "openblas" in path:
        return "OpenBLAS"
    if "/blas/libblas.so" in path:
        return "reference BLAS"
    return f"BLAS {path}"


def version():
    return f"PyTorch {torch.__version__} (eager, {blas_library()}, {torch.get_num_threads()} thread)"


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
            elif op == "time":
                if trainer is None:
                    raise ValueError("time before setup")
                response = trainer.time(int(request["steps"]))
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
    parser.add_argument("--cell", choices=sorted(CELLS), default="rnn")
    for name, default in (("input", 10), ("hidden", 20), ("classes", 5), ("seq", 7), ("batch", 16)):
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--round-ms", type=float, default=300)
    parser.add_argument("--warmup-seconds", type=float, default=1.0)
    args = parser.parse_args()
    if args.serve:
        serve()
    else:
        standalone(args)


if __name__ == "__main__":
    main()
