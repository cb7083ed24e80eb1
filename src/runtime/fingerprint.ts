import { createHash } from "node:crypto";

/**
 * What a checkpoint is keyed to: the architecture as its weights see it — every parameter's state_dict name, shape and
 * stored dtype, in order. Comments, formatting, line endings, `epochs`, `lr` and the like leave it unchanged; a new
 * layer, a wider one or a renamed one change it. The PyTorch target embeds the same hash in its script. (Preprocessing is compared key by key, not hashed: checkpoint-metadata.ts.)
 */
export function architectureFingerprint(parameters: readonly { readonly name: string; readonly shape: readonly number[] }[]): string {
  const described = parameters.map((p) => [p.name, p.shape, "F32"]);
  return createHash("sha256").update(JSON.stringify({ version: 1, parameters: described })).digest("hex");
}
