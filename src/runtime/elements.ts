import { bytesPerElement, type StoredTensor } from "./safetensors.ts";

/** Naming one element of a tensor in a diagnostic: `[3, 2, 1]` is clearer than flat index 61 in a [16, 7, 10] tensor. */
export function elementIndex(shape: readonly number[], flat: number): string {
  if (shape.length === 0) return "element []";
  const index: number[] = [];
  let rest = flat;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const size = shape[axis] ?? 1;
    index.unshift(size > 0 ? rest % size : 0);
    rest = size > 0 ? Math.floor(rest / size) : 0;
  }
  return `element [${index.join(", ")}]`;
}

/** The largest |a[i] − b[i]|: Infinity when the lengths differ or any difference is NaN (two outputs compared). */
export function worstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const difference = Math.abs(a[i]! - b[i]!);
    if (!(difference <= worst)) worst = Number.isNaN(difference) ? Infinity : difference;
  }
  return worst;
}

export type Precision = "float32" | "float64";

/**
 * Copies values into the model's float type and finds the first one that is not finite there: NaN and ±Infinity,
 * and also a finite float64 such as 1e300 that becomes Infinity as a float32. Checking before the conversion would
 * miss those.
 */
export function toPrecision(values: ArrayLike<number>, precision: Precision): { values: Float32Array | Float64Array } | { bad: { index: number; value: number } } {
  const out = precision === "float32" ? new Float32Array(values.length) : new Float64Array(values.length);
  for (let i = 0; i < out.length; i++) {
    const value = values[i] ?? 0;
    out[i] = value;
    if (!Number.isFinite(out[i] ?? NaN)) return { bad: { index: i, value } };
  }
  return { values: out };
}

/** Where an element's bytes are in its file: line 1, column = byte offset + 1, as for every safetensors diagnostic. */
export function elementPosition(file: string, tensor: StoredTensor, index: number): { file: string; line: number; column: number } {
  return { file, line: 1, column: tensor.fileOffset + index * bytesPerElement(tensor.dtype) + 1 };
}
