import type { CodeBlockWriter } from "ts-morph";
import type { BufferRef } from "../ops/op.ts";

/** Op emitters write statements through ts-morph's writer, with these helpers for the shapes that recur. */
export type Writer = CodeBlockWriter;

/** `for (let i = 0; i < bound; i++) { … }` */
export function forRange(w: Writer, index: string, bound: string | number, body: () => void): void {
  w.write(`for (let ${index} = 0; ${index} < ${bound}; ${index}++) `).block(body);
}

/** `for (let i = from - 1; i >= 0; i--) { … }` */
export function forRangeDown(w: Writer, index: string, count: string | number, body: () => void): void {
  w.write(`for (let ${index} = ${count} - 1; ${index} >= 0; ${index}--) `).block(body);
}

/** `// text` */
export function comment(w: Writer, text: string): void {
  w.writeLine(`// ${text}`);
}

/** `const name = value;` */
export function constant(w: Writer, name: string, value: string | number): void {
  w.writeLine(`const ${name} = ${value};`);
}

/** A number as a source literal that reads back as the same double. */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot emit non-finite number ${value}`);
  return Object.is(value, -0) ? "0" : String(value);
}

export type GemmKind = "nt" | "nn" | "tn";

export interface GemmCall {
  readonly m: string | number;
  readonly n: string | number;
  readonly k: string | number;
  readonly a: string;
  readonly lda: string | number;
  readonly b: string;
  readonly ldb: string | number;
  readonly c: string;
  readonly ldc: string | number;
  readonly accumulate: boolean;
}

/**
 * A call of a SIMD kernel, with the product it computes in a comment above it:
 * nt: C (+)= A·Bᵀ, nn: C (+)= A·B, tn: C (+)= Aᵀ·B (row-major, byte offsets, leading dimensions in elements).
 */
export function gemm(w: Writer, kind: GemmKind, call: GemmCall, what: string): void {
  comment(w, what);
  const args = [call.m, call.n, call.k, call.a, call.lda, call.b, call.ldb, call.c, call.ldc, call.accumulate ? 1 : 0];
  w.writeLine(`gemm_${kind}(${args.join(", ")});`);
}

/** The name of the view of the whole kernels' memory (declared only where the code uses it). */
export const HEAP = "heap";

/**
 * `to[toIndex + i] = from[fromIndex + i]` for i < count, both buffers in the kernels' memory: one `copyWithin` on the
 * whole-memory view (a memmove; a JavaScript loop costs about a nanosecond an element, a streaming step's state
 * copies most of its JavaScript time).
 */
export function copyElements(w: Writer, to: BufferRef, toIndex: string | number, from: BufferRef, fromIndex: string | number, count: string | number, elementBytes: number): void {
  const element = (ref: BufferRef, index: string | number): string => (index === 0 || index === "0" ? `${ref.at} / ${elementBytes}` : `${ref.at} / ${elementBytes} + ${index}`);
  const start = element(from, fromIndex);
  w.writeLine(`${HEAP}.copyWithin(${element(to, toIndex)}, ${start}, ${start} + ${count});`);
}

/** The byte offset of element `index` of a buffer: `at + index * elementBytes`, folded when index is 0. */
export function offset(at: string, index: string | number, elementBytes: number): string {
  if (index === 0 || index === "0") return at;
  if (typeof index === "number") return `${at} + ${index * elementBytes}`;
  return /^[A-Za-z_]\w*$/.test(index) ? `${at} + ${index} * ${elementBytes}` : `${at} + (${index}) * ${elementBytes}`;
}
