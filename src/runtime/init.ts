import type { GeneratedModule, Model } from "./generated-module.ts";
import type { Random } from "./prng.ts";

/**
 * PyTorch's default init, by the module's own `initParameters` (the one implementation of it, which
 * `createModel({ seed })` also uses), drawing from the runtime's generator so that its stream goes on from there
 * into dummy data and shuffling exactly as before.
 */
export function initialiseParameters(module: GeneratedModule, model: Model, random: Random): void {
  module.initParameters(model.parameters, random);
}
