import type { Batch, GeneratedModule, ParameterInfo } from "../../src/runtime/generated-module.ts";
import { dummyDataset } from "../../src/runtime/dataset.ts";
import { initialiseParameters } from "../../src/runtime/init.ts";
import { Random } from "../../src/runtime/prng.ts";
import { miniBatches } from "../../src/runtime/train.ts";

export interface GradientMismatch {
  readonly parameter: string;
  readonly index: number;
  readonly analytic: number;
  readonly numeric: number;
}

/**
 * Compares every parameter's analytic gradient (the generated backward) with central finite differences
 * of the generated loss, on a float64 build. `batchSize` below MAX_BATCH also exercises partial batches.
 * Checks at most `maxPerParameter` elements of each parameter, spread evenly.
 */
export function gradientCheck(
  module: GeneratedModule,
  options: { seed: number; batchSize: number; maxPerParameter: number; prepare?: (batch: Batch, size: number) => void },
): {
  mismatches: GradientMismatch[];
  checked: number;
} {
  if (module.PRECISION !== "float64") throw new Error("gradient checks need a float64 build");
  const random = new Random(options.seed);
  const model = module.createModel();
  initialiseParameters(module, model, random);
  const data = dummyDataset(module, random);
  const first = miniBatches(module, data, options.batchSize)[0];
  if (first === undefined) throw new Error("no data");
  const batch: Batch = first.batch;
  const n = first.size;
  options.prepare?.(batch, n);

  // training mode, with the same dropout masks for every evaluation: restore the generator's state before each
  const randomState = model.randomState.slice();
  const trainingLoss = () => {
    model.randomState.set(randomState);
    return model.loss(batch, n, true);
  };
  model.randomState.set(randomState);
  model.lossAndGradients(batch, n);
  const analytic = Float64Array.from(model.gradients);
  const mismatches: GradientMismatch[] = [];
  let checked = 0;
  const h = 1e-6;
  for (const parameter of module.PARAMETERS) {
    const stride = Math.max(1, Math.floor(parameter.size / options.maxPerParameter));
    const frozen = frozenRow(parameter);
    for (let k = 0; k < parameter.size; k += stride) {
      const index = parameter.offset + k;
      if (frozen !== undefined && k >= frozen.from && k < frozen.to) {
        // an embedding's padding row: PyTorch defines its gradient as 0 whatever the loss does with it
        if (analytic[index] !== 0) mismatches.push({ parameter: parameter.name, index: k, analytic: analytic[index]!, numeric: 0 });
        checked++;
        continue;
      }
      const saved = model.parameters[index]!;
      model.parameters[index] = saved + h;
      const plus = trainingLoss();
      model.parameters[index] = saved - h;
      const minus = trainingLoss();
      model.parameters[index] = saved;
      const numeric = (plus - minus) / (2 * h);
      const expected = analytic[index]!;
      checked++;
      if (Math.abs(numeric - expected) > 1e-6 + 1e-5 * Math.abs(numeric)) mismatches.push({ parameter: parameter.name, index: k, analytic: expected, numeric });
    }
  }
  return { mismatches, checked };
}

/** The elements of a parameter that never get a gradient (an embedding's padding row), if any. */
function frozenRow(parameter: ParameterInfo): { from: number; to: number } | undefined {
  const init = parameter.init;
  if (init.distribution !== "normal" || init.zeroRow === undefined) return undefined;
  const width = parameter.shape[1] ?? 1;
  return { from: init.zeroRow * width, to: (init.zeroRow + 1) * width };
}
