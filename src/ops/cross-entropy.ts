import { diag } from "../diagnostics/codes.ts";
import { comment, constant, forRange, type Writer } from "../emit/code.ts";
import { showType, staticSize, type Loss } from "../ir/types.ts";
import type { InputValue, LossBuffers, LossOp, LossSpecBase, ShapeRuleResult, SourcePosition } from "./op.ts";

export interface CrossEntropyLoss extends Loss {
  readonly op: "cross_entropy";
  readonly classes: number;
}

/**
 * cross_entropy — mean over the batch of −log softmax(logits)[target], as torch.nn.CrossEntropyLoss().
 * Shape rule: logits [batch, classes] float32, target [batch] int32 → scalar.
 */
export function lowerCrossEntropy(
  spec: LossSpecBase,
  logits: InputValue,
  target: InputValue,
  at: { readonly input: SourcePosition; readonly target: SourcePosition },
): ShapeRuleResult<CrossEntropyLoss> {
  const [batch, classDim] = logits.type.dims;
  const classes = classDim === undefined ? undefined : staticSize(classDim);
  if (logits.type.dims.length !== 2 || batch?.name !== "batch" || classes === undefined || logits.type.dtype !== "float32") {
    return {
      diagnostics: [
        diag.lossTargetMismatch(
          at.input,
          `cross_entropy needs logits [batch, classes], but \`${logits.id}\` has shape [${showType(logits.type).join(", ")}]`,
          logits.type.dims.length === 3 ? `reduce the sequence first, e.g. with a last_step node` : "end the graph with a linear layer",
        ),
      ],
    };
  }
  if (target.type.dims.length !== 1 || target.type.dims[0]?.name !== "batch" || target.type.dtype !== "int32") {
    return {
      diagnostics: [
        diag.lossTargetMismatch(
          at.target,
          `cross_entropy needs an int32 target [batch] of class indices, but \`${target.id}\` is ${target.type.dtype} [${showType(target.type).join(", ")}]`,
          target.type.dims.length > 1
            ? "the target holds one class index per sample: add an input like `y: { shape: [batch], dtype: int32 }` and use it as the target"
            : `declare it as \`${target.id}: { shape: [batch], dtype: int32 }\``,
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
  return { node: { op: "cross_entropy", input: spec.input, target: spec.target, classes, task: "classification", width: classes, at: at.input } };
}

/**
 * Writes statements that set `loss` (the mean) and the logits' gradient (softmax − onehot) / batchSize.
 * The log-sum-exp subtracts the row maximum, so large logits do not overflow.
 */
export function emitCrossEntropy(loss: CrossEntropyLoss, { prediction: logits, target, dPrediction: dLogits }: LossBuffers, w: Writer): void {
  const C = loss.classes;
  comment(w, `cross_entropy: loss = mean_b(logsumexp(logits_b) − logits_b[target_b]); dLogits = (softmax − onehot) / batchSize`);
  constant(w, "scale", "1 / batchSize");
  w.writeLine("let total = 0;");
  forRange(w, "b", "batchSize", () => {
    constant(w, "row", `b * ${C}`);
    w.writeLine(`let max = ${logits}[row]!;`);
    forRange(w, "c", C, () => w.writeLine(`if (${logits}[row + c]! > max) max = ${logits}[row + c]!;`));
    w.writeLine("let sumExp = 0;");
    forRange(w, "c", C, () => w.writeLine(`sumExp += Math.exp(${logits}[row + c]! - max);`));
    constant(w, "logSumExp", "max + Math.log(sumExp)");
    constant(w, "label", `${target}[b]!`);
    w.writeLine(`total += logSumExp - ${logits}[row + label]!;`);
    forRange(w, "c", C, () => w.writeLine(`${dLogits}[row + c] = (Math.exp(${logits}[row + c]! - logSumExp) - (c === label ? 1 : 0)) * scale;`));
  });
  constant(w, "loss", "total * scale");
}

export const crossEntropyOp: LossOp<LossSpecBase, CrossEntropyLoss> = {
  schema: {
    description: "Mean cross-entropy of logits [batch, classes] against int32 class indices [batch]. Same as torch.nn.CrossEntropyLoss().",
    required: ["input", "target"],
    properties: {
      input: { $ref: "#/$defs/identifier", description: "The node whose output holds the logits: the last node of the graph." },
      target: { $ref: "#/$defs/identifier", description: "The spec input that holds the class indices." },
    },
  },
  lower: lowerCrossEntropy,
  summary: (loss) => `cross_entropy(${loss.input}, ${loss.target}) over ${loss.classes} classes`,
  emit: emitCrossEntropy,
};
