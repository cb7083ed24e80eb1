import type { GeneratedModule, Model } from "./generated-module.ts";
import type { Random } from "./prng.ts";

/** PyTorch's default init, distribution for distribution: every parameter ~ U(−initBound, initBound), in PARAMETERS order. */
export function initialiseParameters(module: GeneratedModule, model: Model, random: Random): void {
  for (const parameter of module.PARAMETERS) {
    for (let i = 0; i < parameter.size; i++) {
      model.parameters[parameter.offset + i] = random.uniformIn(-parameter.initBound, parameter.initBound);
    }
  }
}
