/**
 * The script's fixed parts for data: rnnc's seeded generator (so dummy data and shuffling follow rnnc's), the
 * seed's dummy data, and --data read and checked as rnnc checks it. Python source, written into every script as is.
 */
export const pyData = String.raw`
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
`;
