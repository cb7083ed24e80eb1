import { createHash } from "node:crypto";
import type { GeneratedModule } from "./generated-module.ts";

/**
 * What a checkpoint is keyed to: the architecture as its weights see it — every parameter's state_dict name, shape and
 * stored dtype, in order. Comments, formatting, line endings, `epochs`, `lr` and the like leave it unchanged; a new
 * layer, a wider one or a renamed one change it. (Preprocessing is compared key by key, not hashed: checkpoint-metadata.ts.)
 */
export function architectureFingerprint(module: GeneratedModule): string {
  const parameters = module.PARAMETERS.map((p) => [p.name, p.shape, "F32"]);
  return createHash("sha256").update(JSON.stringify({ version: 1, parameters })).digest("hex");
}
