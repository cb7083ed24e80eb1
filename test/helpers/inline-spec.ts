import { compile } from "../../src/compile.ts";
import type { Precision } from "../../src/emit/module.ts";
import type { GeneratedModule } from "../../src/runtime/generated-module.ts";
import { loadGeneratedModule } from "../../src/runtime/load-module.ts";

/** Compiles spec text held in a test and loads the module, failing loudly on any diagnostic. */
export async function compileSpecText(source: string, precision: Precision = "float32"): Promise<GeneratedModule> {
  const result = compile(source, { specPath: "inline.yaml", precision });
  const file = result.files[0];
  if (file === undefined) throw new Error(`did not compile: ${JSON.stringify(result.diagnostics)}`);
  return loadGeneratedModule(file.content);
}

/** A spec: `x` [batch, seq, input], `y` class labels, the given graph lines, cross-entropy and Adam. */
export function sequenceClassifier(options: { seq: number; input: number; classes: number; batch: number; graph: string }): string {
  return `version: 1
name: inline
input:
  x: { shape: [batch, ${options.seq}, ${options.input}], dtype: float32 }
  y: { shape: [batch], dtype: int32 }
graph:
${options.graph}
  - { id: fc, op: linear, out_features: ${options.classes} }
loss: { op: cross_entropy, input: fc, target: y }
optimizer: { op: adam, lr: 0.01 }
train: { epochs: 2, batch_size: ${options.batch}, seed: 7 }
`;
}
