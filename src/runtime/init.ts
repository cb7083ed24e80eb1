import type { GeneratedModule, Model } from "./generated-module.ts";
import type { Random } from "./prng.ts";

/** PyTorch's default init, distribution for distribution, in PARAMETERS order: U(−bound, bound), or N(0, std²) with a zeroed padding row. */
export function initialiseParameters(module: GeneratedModule, model: Model, random: Random): void {
  for (const parameter of module.PARAMETERS) {
    const init = parameter.init;
    for (let i = 0; i < parameter.size; i++) {
      model.parameters[parameter.offset + i] = init.distribution === "uniform" ? random.uniformIn(-init.bound, init.bound) : random.normal() * init.std;
    }
    if (init.distribution === "normal" && init.zeroRow !== undefined) {
      const width = parameter.shape[1] ?? 1;
      model.parameters.fill(0, parameter.offset + init.zeroRow * width, parameter.offset + (init.zeroRow + 1) * width);
    }
  }
}
