/**
 * The script's fixed parts for files: safetensors read and written by hand (Debian's PyTorch has no `safetensors`
 * package; the format is an 8-byte little-endian header length, a JSON header, raw little-endian data), atomically.
 * Python source, written into every script as is.
 */
export const pySafetensors = String.raw`
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
`;
