import { diag } from "../diagnostics/codes.ts";
import { comment, constant, forRange, type Writer } from "../emit/code.ts";
import { showType, staticSize, type Loss } from "../ir/types.ts";
import type { InputValue, LossBuffers, LossOp, LossPositions, LossSpecBase, ShapeRuleResult } from "./op.ts";

/**
 * cross_entropy — −log softmax(logits)[target], averaged over the targets that are not `ignore_index`, as
 * torch.nn.CrossEntropyLoss(ignore_index=…). Shape rule: logits [batch, classes] with an int32 target [batch], or
 * per-step logits [batch, seq, classes] with a target [batch, seq] (PyTorch's flattened [B·T, C]) → scalar.
 */
export interface CrossEntropySpec extends LossSpecBase {
  readonly ignore_index: number;
}

export interface CrossEntropyLoss extends Loss {
  readonly op: "cross_entropy";
  readonly classes: number;
  /** 1 for [batch, classes]; the sequence length for per-step logits. */
  readonly steps: number;
  readonly ignoreIndex: number;
}

export function lowerCrossEntropy(spec: CrossEntropySpec, logits: InputValue, target: InputValue, at: LossPositions): ShapeRuleResult<CrossEntropyLoss> {
  const dims = logits.type.dims;
  const classDim = dims[dims.length - 1];
  const classes = classDim === undefined ? undefined : staticSize(classDim);
  const steps = dims.length === 2 ? 1 : dims.length === 3 && dims[1] !== undefined ? staticSize(dims[1]) : undefined;
  if (dims[0]?.name !== "batch" || classes === undefined || steps === undefined || logits.type.dtype !== "float32") {
    return {
      diagnostics: [
        diag.lossTargetMismatch(
          at.input,
          `cross_entropy needs logits [batch, classes] or [batch, seq, classes], but \`${logits.id}\` has shape [${showType(logits.type).join(", ")}]`,
          "end the graph with a linear layer",
        ),
      ],
    };
  }
  const targetDims = target.type.dims;
  if (dims.length === 3 && targetDims.length === 1) {
    return {
      diagnostics: [
        diag.lossTargetMismatch(
          at.input,
          `\`${target.id}\` holds one class per sample, so cross_entropy needs logits [batch, classes], but \`${logits.id}\` is a sequence [${showType(logits.type).join(", ")}]`,
          "reduce the sequence first, e.g. with a last_step node before the last linear layer; or give a target per step, [batch, seq]",
        ),
      ],
    };
  }
  const expected = dims.length === 2 ? "[batch]" : `[batch, ${steps}]`;
  const targetFits =
    target.type.dtype === "int32" &&
    targetDims[0]?.name === "batch" &&
    targetDims.length === dims.length - 1 &&
    (dims.length === 2 || (targetDims[1] !== undefined && staticSize(targetDims[1]) === steps));
  if (!targetFits) {
    return {
      diagnostics: [
        diag.lossTargetMismatch(
          at.target,
          `cross_entropy on logits [${showType(logits.type).join(", ")}] needs an int32 target ${expected} of class indices, but \`${target.id}\` is ${target.type.dtype} [${showType(target.type).join(", ")}]`,
          `declare it as \`${target.id}: { shape: ${expected}, dtype: int32 }\``,
        ),
      ],
    };
  }
  if (classes < 2) {
    return {
      diagnostics: [
        diag.lossTargetMismatch(
          at.input,
          `cross_entropy over ${classes} class is always 0: \`${logits.id}\` must give at least 2 logits`,
          "set the last linear layer's `out_features` to the number of classes (at least 2), or use `mse` for a single output",
        ),
      ],
    };
  }
  if (spec.ignore_index >= 0 && spec.ignore_index < classes) {
    return {
      diagnostics: [
        diag.invalidValue(at.key("ignore_index"), "loss.ignore_index", String(spec.ignore_index), `it is a valid class (0…${classes - 1}): the loss would skip real targets; use a value outside [0, ${classes}), e.g. -100 (PyTorch's default)`),
      ],
    };
  }
  return { node: { op: "cross_entropy", input: spec.input, target: spec.target, classes, steps, ignoreIndex: spec.ignore_index, task: "classification", width: classes, at: at.input } };
}

/**
 * Writes statements that set `loss` (the mean over counted targets) and the logits' gradient (softmax − onehot) / count,
 * zero for ignored targets. The logits are time-major (row t·batchSize + b), the target batch-major ([b, t]). The
 * log-sum-exp subtracts the row maximum, so large logits do not overflow. A batch whose every target is ignored has
 * loss 0 and no gradient (PyTorch gives NaN there).
 */
export function emitCrossEntropy(loss: CrossEntropyLoss, { prediction: logits, target, dPrediction: dLogits }: LossBuffers, w: Writer): void {
  const { classes: C, steps: T } = loss;
  comment(w, `cross_entropy: loss = mean over targets ≠ ${loss.ignoreIndex} of (logsumexp(logits) − logits[target]); dLogits = (softmax − onehot) / count`);
  w.writeLine("let total = 0;");
  w.writeLine("let count = 0;");
  const eachTarget = (body: () => void) => {
    if (T === 1) {
      forRange(w, "b", "batchSize", () => {
        constant(w, "row", `b * ${C}`);
        constant(w, "label", `${target}[b]!`);
        body();
      });
      return;
    }
    forRange(w, "b", "batchSize", () =>
      forRange(w, "t", T, () => {
        constant(w, "row", `(t * batchSize + b) * ${C}`);
        constant(w, "label", `${target}[b * ${T} + t]!`);
        body();
      }),
    );
  };
  eachTarget(() => {
    w.write(`if (label === ${loss.ignoreIndex}) `).block(() => {
      forRange(w, "c", C, () => w.writeLine(`${dLogits}[row + c] = 0;`));
      w.writeLine("continue;");
    });
    w.writeLine(`let max = ${logits}[row]!;`);
    forRange(w, "c", C, () => w.writeLine(`if (${logits}[row + c]! > max) max = ${logits}[row + c]!;`));
    w.writeLine("let sumExp = 0;");
    forRange(w, "c", C, () => w.writeLine(`sumExp += Math.exp(${logits}[row + c]! - max);`));
    constant(w, "logSumExp", "max + Math.log(sumExp)");
    w.writeLine(`total += logSumExp - ${logits}[row + label]!;`);
    w.writeLine("count++;");
    forRange(w, "c", C, () => w.writeLine(`${dLogits}[row + c] = Math.exp(${logits}[row + c]! - logSumExp) - (c === label ? 1 : 0);`));
  });
  constant(w, "scale", "count > 0 ? 1 / count : 0");
  forRange(w, "i", `batchSize * ${T * C}`, () => w.writeLine(`${dLogits}[i]! *= scale;`));
  constant(w, "loss", "total * scale");
}

export const crossEntropyOp: LossOp<CrossEntropySpec, CrossEntropyLoss> = {
  schema: {
    description:
      "Mean cross-entropy of logits [batch, classes] against int32 class indices [batch], or of per-step logits [batch, seq, classes] against [batch, seq]; targets equal to `ignore_index` are skipped and the mean is over the rest. Same as torch.nn.CrossEntropyLoss(ignore_index=…).",
    required: ["input", "target"],
    properties: {
      input: { $ref: "#/$defs/identifier", description: "The node whose output holds the logits: the last node of the graph." },
      target: { $ref: "#/$defs/identifier", description: "The spec input that holds the class indices." },
      ignore_index: { description: "A target value that contributes nothing (e.g. padding); must not be a valid class.", type: "integer", minimum: -2147483648, maximum: 2147483647, default: -100 },
    },
  },
  lower: lowerCrossEntropy,
  summary: (loss) => `cross_entropy(${loss.input}, ${loss.target}) over ${loss.classes} classes${loss.steps === 1 ? "" : ` at each of ${loss.steps} steps`}`,
  targetRange: (loss) => ({ input: loss.target, min: 0, max: loss.classes - 1, ignore: loss.ignoreIndex, what: "class indices" }),
  emit: emitCrossEntropy,
};
