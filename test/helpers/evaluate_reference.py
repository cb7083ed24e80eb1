"""PyTorch's numbers for `rnnc evaluate --data` on models/simple-rnn.yaml, for test/evaluate.test.ts.

Usage: python3 evaluate_reference.py WEIGHTS.safetensors DATA.safetensors
Builds the seed notebook's model (nn.RNN(10, 20, batch_first=True), out[:, -1, :], nn.Linear(20, 5)), loads the
weights by state_dict name, runs every sample of the data forward and prints one JSON object: the mean
cross-entropy, the accuracy, the confusion matrix (rows true, columns predicted) and per-class precision and recall
(null for 0/0). Uses only torch and the standard library: safetensors is read by hand.
"""
import json
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "I64": torch.int64}


def read_safetensors(path):
    with open(path, "rb") as handle:
        raw = handle.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    body = raw[8 + length :]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        flat = torch.frombuffer(bytearray(body[start:end]), dtype=DTYPES[entry["dtype"]])
        tensors[name] = flat.reshape(entry["shape"])
    return tensors


class SimpleRnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.RNN(10, 20, batch_first=True)
        self.fc = torch.nn.Linear(20, 5)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[:, -1, :])


def main():
    weights = read_safetensors(sys.argv[1])
    data = read_safetensors(sys.argv[2])
    model = SimpleRnn()
    # an rnnc checkpoint also holds what `--resume` needs, under names no state_dict has (README: --resume)
    model.load_state_dict({name: tensor.float() for name, tensor in weights.items() if not name.startswith("resume/")})
    model.eval()
    with torch.no_grad():
        logits = model(data["x"].float())
    targets = data["y"].long()
    classes = logits.shape[1]
    predicted = logits.argmax(dim=1)
    confusion = torch.bincount(targets * classes + predicted, minlength=classes * classes).reshape(classes, classes)
    hits = confusion.diagonal().double()
    predicted_counts = confusion.sum(dim=0).double()
    support = confusion.sum(dim=1).double()
    print(
        json.dumps(
            {
                "loss": torch.nn.functional.cross_entropy(logits.double(), targets).item(),
                "accuracy": (predicted == targets).double().mean().item(),
                "confusion": confusion.tolist(),
                "precision": [None if n == 0 else (h / n).item() for h, n in zip(hits, predicted_counts)],
                "recall": [None if n == 0 else (h / n).item() for h, n in zip(hits, support)],
            }
        )
    )


main()
