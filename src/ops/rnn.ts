import { diag } from "../diagnostics/codes.ts";
import { comment, constant, forRange, forRangeDown, gemm, offset, type Writer } from "../emit/code.ts";
import { showType, staticSize, type RnnNode } from "../ir/types.ts";
import type { RnnNodeSpec } from "../spec/types.ts";
import type { Buffers, InputValue, OpDefinition, ParameterShape, ScratchBuffer, ShapeRuleResult, SourcePosition } from "./op.ts";

/**
 * rnn — Elman RNN, one layer, batch-first, h_0 = 0:
 *   h_t = act(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh)
 * Shape rule: [batch, seq, input_size] → [batch, seq, hidden_size].
 */
export function lowerRnn(spec: RnnNodeSpec, input: InputValue, at: SourcePosition): ShapeRuleResult<RnnNode> {
  const [batch, seq, features] = input.type.dims;
  const seqLen = seq === undefined ? undefined : staticSize(seq);
  const inputSize = features === undefined ? undefined : staticSize(features);
  if (input.type.dims.length !== 3 || batch?.name !== "batch" || seqLen === undefined || inputSize === undefined) {
    return {
      diagnostics: [
        diag.rankMismatch(at, spec.id, "rnn", "a sequence [batch, seq, features]", showType(input.type), `\`${input.id}\` is not a batch-first sequence`),
      ],
    };
  }
  if (input.type.dtype !== "float32") return { diagnostics: [diag.dtypeMismatch(at, spec.id, "float32", input.type.dtype)] };
  return {
    node: {
      op: "rnn",
      id: spec.id,
      input: input.id,
      at,
      seqLen,
      inputSize,
      hiddenSize: spec.hidden_size,
      nonlinearity: spec.nonlinearity,
      bias: spec.bias,
      type: { dims: [{ name: "batch" }, { name: "seq", size: seqLen }, { name: "hidden", size: spec.hidden_size }], dtype: "float32" },
    },
  };
}

/** Every weight and bias ~ U(−1/√H, 1/√H), as nn.RNN.reset_parameters. */
export function rnnParameters(node: RnnNode): ParameterShape[] {
  const bound = 1 / Math.sqrt(node.hiddenSize);
  const weights = [
    { suffix: "weight_ih_l0", shape: [node.hiddenSize, node.inputSize], initBound: bound },
    { suffix: "weight_hh_l0", shape: [node.hiddenSize, node.hiddenSize], initBound: bound },
  ];
  if (!node.bias) return weights;
  return [...weights, { suffix: "bias_ih_l0", shape: [node.hiddenSize], initBound: bound }, { suffix: "bias_hh_l0", shape: [node.hiddenSize], initBound: bound }];
}

/** dL/d(pre-activation) for every (b, t): kept whole so the weight gradients become one product each. */
export function rnnScratch(node: RnnNode): ScratchBuffer[] {
  return [{ name: "dPre", perItem: node.seqLen * node.hiddenSize, fixed: 0 }];
}

/*
 * Layout: sequences are stored time-major inside a generated model, row (t, b) at t·batchSize + b, so that the rows of
 * one step are contiguous. Batch-first, the rows of one step lie seq·features apart (often a power of two, e.g. 32 KB,
 * which maps them all to the same cache sets); time-major, every product below is one call over contiguous rows.
 */

export function emitRnnForward(node: RnnNode, buffers: Buffers, w: Writer): void {
  const { seqLen: T, inputSize: I, hiddenSize: H } = node;
  const E = buffers.elementBytes;
  const out = buffers.output;
  const wIh = buffers.param("weight_ih_l0").value;
  const wHh = buffers.param("weight_hh_l0").value;
  comment(w, `rnn \`${node.id}\` forward: h_t = ${node.nonlinearity}(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh), [${T}, batch, ${I}] → [${T}, batch, ${H}] (time-major)`);
  if (node.bias) {
    const bIh = buffers.param("bias_ih_l0").value.view;
    const bHh = buffers.param("bias_hh_l0").value.view;
    forRange(w, "r", `${T} * batchSize`, () => {
      forRange(w, "j", H, () => w.writeLine(`${out.view}[r * ${H} + j] = ${bIh}[j]! + ${bHh}[j]!;`));
    });
  }
  gemm(
    w,
    "nt",
    { m: `${T} * batchSize`, n: H, k: I, a: buffers.input.at, lda: I, b: wIh.at, ldb: I, c: out.at, ldc: H, accumulate: node.bias },
    "the input projection of every step at once: out[t, b] (+)= x[t, b] W_ihᵀ",
  );
  forRange(w, "t", T, () => {
    constant(w, "rows", `t * batchSize * ${H}`);
    w.write("if (t > 0) ").block(() => {
      gemm(
        w,
        "nt",
        { m: "batchSize", n: H, k: H, a: offset(out.at, `rows - batchSize * ${H}`, E), lda: H, b: wHh.at, ldb: H, c: offset(out.at, "rows", E), ldc: H, accumulate: true },
        "out[t] += h_{t-1} W_hhᵀ",
      );
    });
    forRange(w, "i", `batchSize * ${H}`, () => {
      constant(w, "pre", `${out.view}[rows + i]!`);
      w.writeLine(`${out.view}[rows + i] = ${node.nonlinearity === "tanh" ? "tanh(pre)" : "pre > 0 ? pre : 0"};`);
    });
  });
}

export function emitRnnBackward(node: RnnNode, buffers: Buffers, w: Writer): void {
  const { seqLen: T, inputSize: I, hiddenSize: H } = node;
  const E = buffers.elementBytes;
  const out = buffers.output;
  const dOut = buffers.dOutput;
  const wIh = buffers.param("weight_ih_l0");
  const wHh = buffers.param("weight_hh_l0");
  const dPre = buffers.scratch("dPre");
  const derivative = node.nonlinearity === "tanh" ? "(1 - h * h)" : "(h > 0 ? 1 : 0)";
  comment(w, `rnn \`${node.id}\` backward through time`);
  forRangeDown(w, "t", T, () => {
    constant(w, "rows", `t * batchSize * ${H}`);
    w.write(`if (t < ${T - 1}) `).block(() => {
      gemm(
        w,
        "nn",
        { m: "batchSize", n: H, k: H, a: offset(dPre.at, `rows + batchSize * ${H}`, E), lda: H, b: wHh.value.at, ldb: H, c: offset(dOut.at, "rows", E), ldc: H, accumulate: true },
        "dL/dh_t += dL/dpre_{t+1} W_hh (the gradient carried back through the recurrence)",
      );
    });
    forRange(w, "i", `batchSize * ${H}`, () => {
      constant(w, "h", `${out.view}[rows + i]!`);
      w.writeLine(`${dPre.view}[rows + i] = ${dOut.view}[rows + i]! * ${derivative};`);
    });
  });
  gemm(
    w,
    "tn",
    { m: H, n: I, k: `${T} * batchSize`, a: dPre.at, lda: H, b: buffers.input.at, ldb: I, c: wIh.grad.at, ldc: I, accumulate: true },
    "dW_ih += Σ_{t,b} dpre[t, b]ᵀ x[t, b]",
  );
  if (T > 1) {
    gemm(
      w,
      "tn",
      { m: H, n: H, k: `${T - 1} * batchSize`, a: offset(dPre.at, `batchSize * ${H}`, E), lda: H, b: out.at, ldb: H, c: wHh.grad.at, ldc: H, accumulate: true },
      "dW_hh += Σ_{t≥1,b} dpre[t, b]ᵀ h[t-1, b]: rows t ≥ 1 of dpre pair with rows t-1 of h, one batch apart",
    );
  }
  if (node.bias) {
    comment(w, "db_ih = db_hh = Σ_{t,b} dpre[t, b]");
    forRange(w, "j", H, () => {
      w.writeLine("let sum = 0;");
      forRange(w, "r", `${T} * batchSize`, () => w.writeLine(`sum += ${dPre.view}[r * ${H} + j]!;`));
      w.writeLine(`${buffers.param("bias_ih_l0").grad.view}[j]! += sum;`);
      w.writeLine(`${buffers.param("bias_hh_l0").grad.view}[j]! += sum;`);
    });
  }
  if (buffers.dInput !== undefined) {
    gemm(
      w,
      "nn",
      { m: `${T} * batchSize`, n: I, k: H, a: dPre.at, lda: H, b: wIh.value.at, ldb: I, c: buffers.dInput.at, ldc: I, accumulate: true },
      "dL/dx[t, b] += dpre[t, b] W_ih",
    );
  }
}

export const rnnOp: OpDefinition<RnnNodeSpec, RnnNode> = {
  lower: lowerRnn,
  parameters: rnnParameters,
  scratch: rnnScratch,
  forward: emitRnnForward,
  backward: emitRnnBackward,
};
