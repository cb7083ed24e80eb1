import { diag } from "../diagnostics/codes.ts";
import { comment, constant, forRange, forRangeDown, type Writer } from "../emit/code.ts";
import { showType, staticSize, type RnnNode } from "../ir/types.ts";
import type { RnnNodeSpec } from "../spec/types.ts";
import type { Buffers, InputValue, OpDefinition, ParameterShape, ScratchBuffer, ShapeRuleResult, SourcePosition } from "./op.ts";

/**
 * rnn — Elman RNN, one layer, batch-first, h_0 = 0:
 *   h_t = act(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh)
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

export function rnnParameters(node: RnnNode): ParameterShape[] {
  const bound = 1 / Math.sqrt(node.hiddenSize);
  const weights = [
    { suffix: "weight_ih_l0", shape: [node.hiddenSize, node.inputSize], initBound: bound },
    { suffix: "weight_hh_l0", shape: [node.hiddenSize, node.hiddenSize], initBound: bound },
  ];
  if (!node.bias) return weights;
  return [...weights, { suffix: "bias_ih_l0", shape: [node.hiddenSize], initBound: bound }, { suffix: "bias_hh_l0", shape: [node.hiddenSize], initBound: bound }];
}

export function rnnScratch(node: RnnNode): ScratchBuffer[] {
  return [
    { name: "dPre", size: node.hiddenSize },
    { name: "dCarry", size: node.hiddenSize },
  ];
}

export function emitRnnForward(node: RnnNode, buffers: Buffers, w: Writer): void {
  const { seqLen: T, inputSize: I, hiddenSize: H } = node;
  const wIh = buffers.param("weight_ih_l0").value;
  const wHh = buffers.param("weight_hh_l0").value;
  comment(w, `rnn \`${node.id}\` forward: h_t = ${node.nonlinearity}(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), [batch, ${T}, ${I}] → [batch, ${T}, ${H}]`);
  forRange(w, "b", "batchSize", () => {
    forRange(w, "t", T, () => {
      constant(w, "xAt", `(b * ${T} + t) * ${I}`);
      constant(w, "hAt", `(b * ${T} + t) * ${H}`);
      forRange(w, "j", H, () => {
        w.writeLine(node.bias ? `let sum = ${buffers.param("bias_ih_l0").value}[j]! + ${buffers.param("bias_hh_l0").value}[j]!;` : "let sum = 0;");
        constant(w, "inputRow", `j * ${I}`);
        forRange(w, "i", I, () => w.writeLine(`sum += ${wIh}[inputRow + i]! * ${buffers.input}[xAt + i]!;`));
        w.write("if (t > 0) ").block(() => {
          constant(w, "hiddenRow", `j * ${H}`);
          constant(w, "previous", `hAt - ${H}`);
          forRange(w, "k", H, () => w.writeLine(`sum += ${wHh}[hiddenRow + k]! * ${buffers.output}[previous + k]!;`));
        });
        w.writeLine(`${buffers.output}[hAt + j] = ${node.nonlinearity === "tanh" ? "Math.tanh(sum)" : "sum > 0 ? sum : 0"};`);
      });
    });
  });
}

export function emitRnnBackward(node: RnnNode, buffers: Buffers, w: Writer): void {
  const { seqLen: T, inputSize: I, hiddenSize: H } = node;
  const wIh = buffers.param("weight_ih_l0");
  const wHh = buffers.param("weight_hh_l0");
  const dPre = buffers.scratch("dPre");
  const dCarry = buffers.scratch("dCarry");
  const derivative = node.nonlinearity === "tanh" ? "(1 - h * h)" : "(h > 0 ? 1 : 0)";
  comment(w, `rnn \`${node.id}\` backward through time; dCarry is dL/dh_t flowing back from step t+1`);
  forRange(w, "b", "batchSize", () => {
    w.writeLine(`${dCarry}.fill(0);`);
    forRangeDown(w, "t", T, () => {
      constant(w, "xAt", `(b * ${T} + t) * ${I}`);
      constant(w, "hAt", `(b * ${T} + t) * ${H}`);
      comment(w, `dL/d(pre-activation) = (dL/dh_t) · ${node.nonlinearity}'`);
      forRange(w, "j", H, () => {
        constant(w, "h", `${buffers.output}[hAt + j]!`);
        w.writeLine(`${dPre}[j] = (${buffers.dOutput}[hAt + j]! + ${dCarry}[j]!) * ${derivative};`);
      });
      forRange(w, "j", H, () => {
        constant(w, "d", `${dPre}[j]!`);
        if (node.bias) {
          w.writeLine(`${buffers.param("bias_ih_l0").grad}[j]! += d;`);
          w.writeLine(`${buffers.param("bias_hh_l0").grad}[j]! += d;`);
        }
        constant(w, "inputRow", `j * ${I}`);
        forRange(w, "i", I, () => {
          w.writeLine(`${wIh.grad}[inputRow + i]! += d * ${buffers.input}[xAt + i]!;`);
          if (buffers.dInput !== undefined) w.writeLine(`${buffers.dInput}[xAt + i]! += d * ${wIh.value}[inputRow + i]!;`);
        });
      });
      w.write("if (t > 0) ").block(() => {
        constant(w, "previous", `hAt - ${H}`);
        forRange(w, "j", H, () => {
          constant(w, "d", `${dPre}[j]!`);
          constant(w, "hiddenRow", `j * ${H}`);
          forRange(w, "k", H, () => w.writeLine(`${wHh.grad}[hiddenRow + k]! += d * ${buffers.output}[previous + k]!;`));
        });
        forRange(w, "k", H, () => {
          w.writeLine("let sum = 0;");
          forRange(w, "j", H, () => w.writeLine(`sum += ${wHh.value}[j * ${H} + k]! * ${dPre}[j]!;`));
          w.writeLine(`${dCarry}[k] = sum;`);
        });
      });
    });
  });
}

export const rnnOp: OpDefinition<RnnNodeSpec, RnnNode> = {
  lower: lowerRnn,
  parameters: rnnParameters,
  scratch: rnnScratch,
  forward: emitRnnForward,
  backward: emitRnnBackward,
};
