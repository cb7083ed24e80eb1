import type { FunctionBuilder, Local } from "../encoder.ts";
import { splat32 } from "./sigmoid.ts";

/**
 * What the gate kernels share: a loop over one time step's values four at a time (float32 vectors), and products and
 * differences in float32. The kernels do in float32 exactly what the generated JavaScript's float32 loops do (every
 * operation rounded with Math.fround), so both store the same bits.
 */

/** A buffer a kernel walks: its row for b = 0 (a byte-offset parameter) and its row length in multiples of H. */
export interface Walked {
  readonly row: Local;
  readonly width: number;
}

/** Where a kernel's body reads and writes: `at(buffer, block)` pushes the address of block `block` (of H) of the four values. */
export interface QuadContext {
  readonly at: (buffer: Walked, block?: number | Local) => void;
}

/**
 * for b < batch: for j < H step 4: body, with every walked buffer's row advanced by its width per b. H must be a
 * multiple of 4 (the generated code calls the kernels only then); H4 = 4·H bytes is the distance between gate blocks
 * of a row.
 */
export function eachQuad(f: FunctionBuilder, batch: Local, H: Local, buffers: readonly Walked[], body: (quad: QuadContext) => void): void {
  const H4 = f.local("H4", "i32");
  const j = f.local("j", "i32");
  f.get(H).i32(2).op("i32.shl").set(H4);
  const at = (buffer: Walked, block: number | Local = 0): void => {
    f.get(buffer.row).get(j).op("i32.add");
    if (typeof block !== "number") f.get(H4).get(block).op("i32.mul").op("i32.add");
    else if (block > 0) f.get(H4).i32(block).op("i32.mul").op("i32.add");
  };
  f.while(
    "rows",
    () => void f.get(batch),
    () => {
      f.i32(0).set(j);
      f.while(
        "quads",
        () => void f.get(j).get(H4).op("i32.lt_s"),
        () => {
          body({ at });
          f.get(j).i32(16).op("i32.add").set(j);
        },
      );
      for (const buffer of buffers) {
        f.get(buffer.row).get(H4);
        if (buffer.width > 1) f.i32(buffer.width).op("i32.mul");
        f.op("i32.add").set(buffer.row);
      }
      f.get(batch).i32(1).op("i32.sub").set(batch);
    },
  );
}

/** Pushes four float32 values at the address `address` pushes, as a float32 vector. */
export function loadQuad(f: FunctionBuilder, address: () => void): void {
  address();
  f.simdMemory("v128.load", { align: 2 });
}

/** Stores the float32 vector `value` pushes at the address `address` pushes. */
export function storeQuad(f: FunctionBuilder, address: () => void, value: () => void): void {
  address();
  value();
  f.simdMemory("v128.store", { align: 2 });
}

/** `local = value` for a v128 local. */
export function assign(f: FunctionBuilder, local: Local, value: () => void): void {
  value();
  f.set(local);
}

/** A factor of a product: a local, or code that pushes one v128. */
export type Factor = Local | (() => void);

/** Pushes f₁·f₂·…·fₙ in float32, multiplied left to right ((f₁·f₂)·f₃ …, as the JavaScript loops' rounded `a * b * c`). */
export function product(f: FunctionBuilder, ...factors: readonly Factor[]): void {
  factors.forEach((factor, index) => {
    if (typeof factor === "function") factor();
    else f.get(factor);
    if (index > 0) f.simd("f32x4.mul");
  });
}

/** The factor 1 − v, or with `square` 1 − v·v, in float32. */
export function oneMinus(f: FunctionBuilder, v: Local, square = false): Factor {
  return () => {
    splat32(f, 1);
    if (square) product(f, v, v);
    else f.get(v);
    f.simd("f32x4.sub");
  };
}
