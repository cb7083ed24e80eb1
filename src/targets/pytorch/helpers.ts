import type { PythonHelper } from "./layers.ts";

/** Python helpers that node code calls, each written once into a script that needs it. */
export const pyHelpers: Readonly<Record<PythonHelper, string>> = {
  recurrent: String.raw`
def recurrent(layer, x, lengths=None):
    """nn.RNN, nn.LSTM or nn.GRU (batch_first) from a zero state over x [batch, seq, features]; with lengths, over
    each sample's first lengths[b] steps (pack_padded_sequence, enforce_sorted=False), 0 past them."""
    if lengths is None:
        return layer(x)[0]
    packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
    return nn.utils.rnn.pad_packed_sequence(layer(packed)[0], batch_first=True, total_length=x.size(1))[0]
`,
  counted: String.raw`
def counted(lengths, steps):
    """[batch, steps, 1]: True at the steps within each sample's length."""
    return (torch.arange(steps, device=lengths.device)[None, :] < lengths[:, None])[:, :, None]
`,
  gelu: String.raw`
class ContiguousGradient(torch.autograd.Function):
    """The identity, handing its gradient on contiguous."""

    @staticmethod
    def forward(ctx, x):
        return x.view_as(x)

    @staticmethod
    def backward(ctx, gradient):
        return gradient.contiguous()


def gelu(x):
    """nn.GELU() (the exact erf form). PyTorch before 2.1 computes GELU's CPU backward wrongly when the incoming
    gradient is strided (pytorch/pytorch#112006), as it is in front of a recurrent layer: it is made contiguous."""
    return ContiguousGradient.apply(F.gelu(x))
`,
};
