"""Writes safetensors files from PyTorch for test/standalone-safetensors.test.ts.

The seed model of models/simple-rnn.yaml in PyTorch (nn.RNN(10, 20, batch_first=True) as `rnn`, nn.Linear(20, 5)
as `fc`, PyTorch's own default init from torch.manual_seed(0)), its state_dict saved as safetensors in F32 and in
F64, and a check file holding an input batch `x` [3, 7, 10] and PyTorch's logits for it. Debian's python3-torch has
no `safetensors` package, so the format (an 8-byte little-endian header length, a JSON header, the raw
little-endian data) is written here, as safetensors.torch.save_file writes it.

    /usr/bin/python3 tools/torch_safetensors.py OUT_DIR
"""
import json
import struct
import sys
from pathlib import Path

import torch


class SimpleRnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.RNN(10, 20, batch_first=True)
        self.fc = torch.nn.Linear(20, 5)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[:, -1, :])


def save_file(tensors, path, metadata=None):
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        data = tensor.detach().contiguous().numpy().tobytes()  # native order, little-endian (checked in main)
        dtype = {torch.float32: "F32", torch.float64: "F64"}[tensor.dtype]
        header[name] = {"dtype": dtype, "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    assert sys.byteorder == "little", "safetensors data is little-endian"
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    model = SimpleRnn()
    state = model.state_dict()
    save_file(state, out / "weights.safetensors", {"format": "pt"})
    save_file({name: t.double() for name, t in state.items()}, out / "weights-f64.safetensors")
    x = torch.randn(3, 7, 10)
    with torch.no_grad():
        logits = model(x)
    save_file({"x": x, "logits": logits}, out / "check.safetensors")


if __name__ == "__main__":
    main()
