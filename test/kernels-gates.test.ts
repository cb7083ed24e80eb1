import { describe, expect, it, vi } from "vitest";
import type { compile as Compile } from "../src/compile.ts";
import type { GeneratedModule, Model } from "../src/runtime/generated-module.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { sequenceClassifier } from "./helpers/inline-spec.ts";
import { uniform } from "./helpers/uniform.ts";

/**
 * The gate kernels (src/emit/wasm/gates.ts, called from src/ops/recurrent/gate-kernels.ts) replace the float32 LSTM and
 * GRU gate loops bit for bit: the same spec compiled with them and with the JavaScript loops (the kernels switched off
 * by mocking `usesGateKernels`) trains to the same bits: every loss, every parameter and gradient after several Adam
 * steps, and the streaming API's outputs. The loops themselves are held to PyTorch by test/parity.test.ts.
 */

async function compiler(withKernels: boolean): Promise<typeof Compile> {
  vi.resetModules();
  if (withKernels) vi.doUnmock("../src/ops/recurrent/gate-kernels.ts");
  else {
    vi.doMock("../src/ops/recurrent/gate-kernels.ts", async (original) => ({
      ...(await original<typeof import("../src/ops/recurrent/gate-kernels.ts")>()),
      usesGateKernels: () => false,
      gateHelpers: () => ["sigmoid", "tanh", "flush"],
    }));
  }
  return (await import("../src/compile.ts")).compile;
}

async function build(source: string, withKernels: boolean): Promise<{ module: GeneratedModule; content: string }> {
  const result = (await compiler(withKernels))(source, { specPath: "inline.yaml", precision: "float32" });
  const file = result.files[0];
  if (file === undefined) throw new Error(`did not compile: ${JSON.stringify(result.diagnostics)}`);
  return { module: await loadGeneratedModule(file.content), content: file.content };
}

const bits = (values: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(values).buffer));

const SEQ = 6;
const INPUT = 5;
const CLASSES = 3;

/** Trains `steps` steps of batches of `batchSize` (inputs scaled by 4, so that gates saturate too) and records every bit. */
function trace(model: Model, steps: number, batchSize: number): { losses: number[]; parameters: number[]; gradients: number[]; stream: number[] } {
  const random = uniform(3);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const x = Float32Array.from({ length: batchSize * SEQ * INPUT }, () => (random() - 0.5) * 8);
    const y = Int32Array.from({ length: batchSize }, () => Math.floor(random() * CLASSES));
    losses.push(model.trainStep({ x, y }, batchSize));
  }
  const stream: number[] = [];
  if (model.stream !== undefined) {
    for (let t = 0; t < 3; t++) stream.push(...bits(model.stream.step({ x: Float32Array.from({ length: batchSize * INPUT }, () => random() - 0.5) }, batchSize).subarray(0, batchSize * CLASSES)));
  }
  return { losses, parameters: bits(model.parameters), gradients: bits(model.gradients), stream };
}

// hidden 6 keeps the JavaScript loops (the kernels go four values at a time): the same numbers either way
const cases = [
  { op: "lstm", hidden: 8, layers: 1 },
  { op: "lstm", hidden: 12, layers: 2 },
  { op: "lstm", hidden: 6, layers: 2 },
  { op: "gru", hidden: 8, layers: 1 },
  { op: "gru", hidden: 12, layers: 2 },
  { op: "gru", hidden: 6, layers: 2 },
] as const;

describe.each(cases)("$op, hidden $hidden, $layers layer(s): gate kernels against the JavaScript loops", ({ op, hidden, layers }) => {
  const graph = `  - { id: rnn, op: ${op}, input: x, hidden_size: ${hidden}, num_layers: ${layers} }\n  - { id: last, op: last_step }`;
  const source = sequenceClassifier({ seq: SEQ, input: INPUT, classes: CLASSES, batch: 4, graph });

  it("trains to the same bits, and streams the same outputs", async () => {
    const kernels = await build(source, true);
    const loops = await build(source, false);
    for (const pass of ["forward", "backward"]) {
      if (hidden % 4 === 0) expect(kernels.content).toContain(`${op}_${pass}_f32(`);
      else expect(kernels.content).not.toContain(`${op}_${pass}_f32(`);
    }
    expect(loops.content).not.toContain(`${op}_forward_f32(`);
    for (const batchSize of [4, 3]) {
      const withKernels = trace(kernels.module.createModel({ seed: 5 }), 6, batchSize);
      const withLoops = trace(loops.module.createModel({ seed: 5 }), 6, batchSize);
      expect(withKernels.stream.length).toBeGreaterThan(0);
      expect(withKernels.losses.every(Number.isFinite)).toBe(true);
      expect(withKernels).toEqual(withLoops);
    }
  });
});

describe("where the gate kernels do not apply", () => {
  it("a hidden size not a multiple of 4, a bidirectional layer and float64 keep the JavaScript loops", async () => {
    const spec = (rnn: string) => sequenceClassifier({ seq: SEQ, input: INPUT, classes: CLASSES, batch: 4, graph: `  - { id: rnn, op: lstm, input: x, ${rnn} }\n  - { id: last, op: last_step }` });
    const compile = await compiler(true);
    const content = (source: string, precision: "float32" | "float64" = "float32") => compile(source, { specPath: "inline.yaml", precision }).files[0]?.content ?? "";
    expect(content(spec("hidden_size: 8"))).toContain("lstm_forward_f32(");
    expect(content(spec("hidden_size: 7"))).not.toContain("lstm_forward_f32(");
    expect(content(spec("hidden_size: 6"))).not.toContain("lstm_forward_f32(");
    expect(content(spec("hidden_size: 8, bidirectional: true"))).not.toContain("lstm_forward_f32(");
    expect(content(spec("hidden_size: 8"), "float64")).not.toContain("LSTM_WASM");
  });
});
