/**
 * What a generated module is for. `training`: forward, backward, optimizer, the streaming API. `inference`: forward
 * and streaming only: no gradients, optimizer state, backward scratch or loss, so its memory holds parameters, the
 * inputs, layer outputs and the forward pass's own scratch.
 */
export type Target = "training" | "inference";

export const targets: readonly Target[] = ["training", "inference"];
