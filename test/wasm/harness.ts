/**
 * Instantiates the kernel module the way the generated trainers will (one WebAssembly.Memory of fixed size, created up
 * front and passed in as `env.memory`) and runs one product on operands laid out in that memory.
 * The project's tsconfig has no DOM lib, so the few WebAssembly types used here are declared here.
 */
import type { Precision } from "../../src/emit/wasm/kernels.ts";

/** gemm_xx(m, n, k, a, lda, b, ldb, c, ldc, acc): pointers in bytes, leading dimensions in elements. */
export type GemmKernel = (m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number) => void;
export type Kind = "nt" | "nn" | "tn";
export type Real = Float32Array | Float64Array;

export interface KernelExports {
  readonly gemm_nt: GemmKernel;
  readonly gemm_nn: GemmKernel;
  readonly gemm_tn: GemmKernel;
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

interface ModuleDescriptor {
  readonly module?: string;
  readonly name: string;
  readonly kind: string;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Module: { new (bytes: Uint8Array): object; imports(module: object): ModuleDescriptor[]; exports(module: object): ModuleDescriptor[] };
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  RuntimeError: new () => Error;
  validate(bytes: Uint8Array): boolean;
}

export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * Compiles synchronously (as a browser's main thread may, for modules up to 4 KB) and instantiates over a fixed memory.
 * With `packBytes`, the instance's `pack` global points at a scratch of that many bytes at byte PACK_AT, and `reserved`
 * says how many bytes at the start of the memory runGemm must leave alone.
 */
export function instantiateKernels(bytes: Uint8Array, pages: number, packBytes = 0): { memory: WasmMemory; kernels: KernelExports; reserved: number } {
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const { exports } = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
  const pack = exports["pack"];
  if (typeof pack !== "object" || pack === null || !("value" in pack)) throw new Error("the module does not export the pack global");
  if (packBytes > 0) (pack as { value: number }).value = PACK_AT;
  const kernel = (name: keyof KernelExports): GemmKernel => {
    const f = exports[name];
    if (typeof f !== "function") throw new Error(`the module does not export ${name}`);
    return f as GemmKernel;
  };
  return { memory, kernels: { gemm_nt: kernel("gemm_nt"), gemm_nn: kernel("gemm_nn"), gemm_tn: kernel("gemm_tn") }, reserved: packBytes > 0 ? PACK_AT + packBytes : 0 };
}

/** Where instantiateKernels puts the pack scratch: not 0, which means none. */
export const PACK_AT = 64;

export interface GemmCase {
  readonly kind: Kind;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Leading dimensions = row length + these paddings (elements). */
  readonly padA: number;
  readonly padB: number;
  readonly padC: number;
  readonly acc: number;
  /** Which operand ends exactly at the end of memory, so that reading or writing one element past it would trap. */
  readonly last: "a" | "b" | "c";
  /** Elements before the first operand (so rows need not be 16-byte aligned). */
  readonly skew: number;
}

/** A GemmCase's operands, as laid out in memory, and C before and after the call. */
export interface GemmRun {
  readonly A: Real;
  readonly lda: number;
  readonly B: Real;
  readonly ldb: number;
  readonly before: Real;
  readonly after: Real;
  readonly ldc: number;
}

/** Rows × columns of A and B for a product kind. */
export function operandShapes(kind: Kind, m: number, n: number, k: number): { a: [number, number]; b: [number, number] } {
  return { a: kind === "tn" ? [k, m] : [m, k], b: kind === "nt" ? [n, k] : [k, n] };
}

/** Elements a row-major matrix spans: up to the last element of its last row, not the padding after it. */
function span(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

/**
 * Lays out A, B and C in memory (after `reserved` bytes), fills them (and a guard band around C) with `value(i)`, runs the kernel and checks
 * that nothing but C's m×n elements changed. Returns copies of everything.
 */
export function runGemm(kernels: KernelExports, memory: WasmMemory, precision: Precision, c: GemmCase, value: (index: number) => number, reserved = 0): GemmRun {
  const Real = precision === "float32" ? Float32Array : Float64Array;
  const size = Real.BYTES_PER_ELEMENT;
  const { a, b } = operandShapes(c.kind, c.m, c.n, c.k);
  const lda = a[1] + c.padA;
  const ldb = b[1] + c.padB;
  const ldc = c.n + c.padC;
  const spans = { a: span(a[0], a[1], lda), b: span(b[0], b[1], ldb), c: span(c.m, c.n, ldc) };
  const guard = 8;
  const total = memory.buffer.byteLength / size;
  // The others first, from `skew` on, each after a guard band; the `last` one flush against the end of memory.
  const order = (["a", "b", "c"] as const).filter((x) => x !== c.last);
  const start: Record<"a" | "b" | "c", number> = { a: 0, b: 0, c: 0 };
  let next = Math.ceil(reserved / size) + guard + c.skew;
  for (const x of order) {
    start[x] = next;
    next += spans[x] + 2 * guard;
  }
  start[c.last] = total - spans[c.last];
  if (start[c.last] < next) throw new Error("memory too small for this case");

  const all = new Real(memory.buffer);
  let counter = 0;
  for (const x of ["a", "b", "c"] as const) for (let i = start[x] - guard; i < Math.min(total, start[x] + spans[x] + guard); i++) all[i] = value(counter++);
  const cRegion = (): Real => all.slice(Math.max(0, start.c - guard), Math.min(total, start.c + spans.c + guard));
  const snapshotC = cRegion();
  const snapshotA = all.slice(start.a, start.a + spans.a);
  const snapshotB = all.slice(start.b, start.b + spans.b);
  const before = all.slice(start.c, start.c + spans.c);

  kernels[`gemm_${c.kind}`](c.m, c.n, c.k, start.a * size, lda, start.b * size, ldb, start.c * size, ldc, c.acc);

  const after = all.slice(start.c, start.c + spans.c);
  // Nothing outside C's m×n elements may change: not A, not B, not C's padding, not the guard bands.
  const regionAfter = cRegion();
  const offset = start.c - Math.max(0, start.c - guard);
  for (let i = 0; i < regionAfter.length; i++) {
    const inside = i - offset;
    const row = Math.floor(inside / ldc);
    const inC = inside >= 0 && inside < spans.c && inside - row * ldc < c.n;
    if (!inC && !Object.is(regionAfter[i], snapshotC[i])) throw new Error(`wrote outside C at element ${inside} of C (ldc ${ldc})`);
  }
  if (!sameBits(snapshotA, all.slice(start.a, start.a + spans.a)) || !sameBits(snapshotB, all.slice(start.b, start.b + spans.b))) {
    throw new Error("A or B changed");
  }
  return { A: snapshotA, lda, B: snapshotB, ldb, before, after, ldc };
}

function sameBits(x: Real, y: Real): boolean {
  const u = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  const v = new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
  return u.length === v.length && u.every((byte, i) => byte === v[i]);
}
