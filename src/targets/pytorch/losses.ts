import type { Loss } from "../../ir/types.ts";
import type { CrossEntropyLoss } from "../../ops/cross-entropy.ts";
import type { MseLoss } from "../../ops/mse.ts";
import type { lossOpNames } from "../../ops/registry.ts";
import { pyString } from "./python-writer.ts";

/**
 * How a loss reads in PyTorch, split so that a mini-batch can be shared between processes: `sum` is the loss summed
 * over one share's terms, `count` the number of terms of the whole mini-batch. sum / count over the whole batch is
 * the spec's mean loss (nn.CrossEntropyLoss or nn.MSELoss with reduction='mean'), and the shares' sums add up to it.
 */
export interface PythonLoss<Node extends Loss> {
  /** What the loss computes, for the docstring. */
  readonly describe: (loss: Node) => string;
  /** The summed loss of `prediction` against `target` (a share of a mini-batch). */
  readonly sum: (loss: Node) => string;
  /** The number of terms in a mini-batch's mean, from its whole `target` (a CPU tensor). */
  readonly count: (loss: Node) => string;
  /** A classifier's (right, scored) targets of `prediction` against `target`, as src/runtime/accuracy.ts counts them. */
  readonly accuracy?: (loss: Node) => string;
}

const table: { readonly [Op in (typeof lossOpNames)[number]]: PythonLoss<never> } = {
  cross_entropy: {
    describe: (loss: CrossEntropyLoss) =>
      `nn.CrossEntropyLoss(ignore_index=${loss.ignoreIndex}): logits over ${loss.classes} classes${loss.steps > 1 ? ` at each of ${loss.steps} steps` : ""}, targets equal to ${loss.ignoreIndex} skipped`,
    sum: (loss: CrossEntropyLoss) => `F.cross_entropy(prediction.reshape(-1, ${loss.classes}), target.reshape(-1), ignore_index=${loss.ignoreIndex}, reduction="sum")`,
    // an all-ignored batch then has loss 0 and no gradient, as rnnc's trainer has (PyTorch's mean would be NaN)
    count: (loss: CrossEntropyLoss) => `max(int((target != ${loss.ignoreIndex}).sum()), 1)`,
    // the first class on ties, as torch.argmax and rnnc's scoreTargets pick it
    accuracy: (loss: CrossEntropyLoss) =>
      `(((prediction.reshape(-1, ${loss.classes}).argmax(1) == target.reshape(-1)) & (target.reshape(-1) != ${loss.ignoreIndex})).sum(), (target != ${loss.ignoreIndex}).sum())`,
  },
  mse: {
    describe: (loss: MseLoss) => `nn.MSELoss(): over ${loss.outputs} output${loss.outputs === 1 ? "" : "s"}${loss.steps > 1 ? ` at each of ${loss.steps} steps` : ""}`,
    sum: () => `F.mse_loss(prediction.reshape(-1), target.reshape(-1), reduction="sum")`,
    count: () => "target.numel()",
  },
};

/** The PyTorch form of the spec's loss (the cast as in layers.ts). */
export function pythonLoss(op: string): PythonLoss<Loss> {
  const entry = Object.hasOwn(table, op) ? (table as Readonly<Record<string, PythonLoss<never>>>)[op] : undefined;
  if (entry === undefined) throw new Error(`no PyTorch form for loss ${pyString(op)}`);
  return entry as unknown as PythonLoss<Loss>;
}
