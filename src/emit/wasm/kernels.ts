import { ModuleBuilder, type FunctionBuilder, type FunctionRef, type Local, type MemArg, type ParamLocals, type SimdLaneOp, type SimdMemoryLaneOp, type SimdMemoryOp, type SimdPlainOp, type ValType } from "./encoder.ts";

/**
 * Matrix-product kernels for the generated trainers, as one small WebAssembly module (baseline SIMD only, so every
 * engine computes the same bits).
 *
 * The module imports its memory as `env.memory` and exports three functions, all row-major, with pointers as BYTE
 * offsets into that memory, leading dimensions in ELEMENTS, and `acc` = 0 to overwrite C or ≠ 0 to add into it:
 *
 *   gemm_nt(m, n, k, a, lda, b, ldb, c, ldc, acc)   C[m×n] (+)= A[m×k] · B[n×k]ᵀ   (forward: x·Wᵀ)
 *   gemm_nn(m, n, k, a, lda, b, ldb, c, ldc, acc)   C[m×n] (+)= A[m×k] · B[k×n]    (backward: dX = dY·W)
 *   gemm_tn(m, n, k, a, lda, b, ldb, c, ldc, acc)   C[m×n] (+)= A[k×m]ᵀ · B[k×n]   (weight gradients: dW += dYᵀ·X)
 *
 * Summation order, fixed so results never depend on the engine, the block a element falls in, or m and n:
 * - nn, tn: C[i][j] = (acc ? C[i][j] : 0) + (((0 + a₀b₀) + a₁b₁) + … ) — exactly the naive loop's order.
 * - nt: four (f32) or two (f64) running partial sums, lane q summing the products p ≡ q (mod lanes) for p below
 *   k rounded down to a multiple of the lane count; the leftover products go, in order, into lane 0. Then
 *   f32: (s₀ + s₂) + (s₁ + s₃); f64: s₀ + s₁; then added to C when accumulating.
 * No fused multiply-add anywhere: every product is rounded, then added.
 *
 * k = 0 stores zeros (acc = 0) or leaves C untouched (acc ≠ 0). No alignment is required; the memory is never grown.
 */

export type Precision = "float32" | "float64";

export interface Kernels {
  /** The module's binary. */
  readonly bytes: Uint8Array;
  /** A short WAT-like outline of the module, for a comment beside the bytes in generated code. */
  readonly listing: string;
}

/** Register blocking: sizes of the C blocks each inner loop computes. Every size up to 15 live v128 values. */
const BLOCK = {
  /** nn/tn: rows of C per block, and v128 vectors of columns (8 f32 or 4 f64 columns). */
  xnRows: 4,
  xnVectors: 2,
  /** nt: rows of A and rows of B (= columns of C) per block; the columns are a multiple of the lane count. */
  ntRows: 2,
  ntColumns: 4,
} as const;

interface Flavor {
  readonly precision: Precision;
  readonly scalar: ValType;
  /** Bytes per element, and its log2. */
  readonly size: number;
  readonly shift: number;
  /** Elements per v128. */
  readonly lanes: number;
  /** Element alignment only: rows may start anywhere a scalar may. */
  readonly mem: (offset?: number) => MemArg;
  readonly splatLoad: SimdMemoryOp;
  readonly zeroLoad: SimdMemoryOp;
  readonly storeLane: SimdMemoryLaneOp;
  readonly extractLane: SimdLaneOp;
  readonly add: SimdPlainOp;
  readonly mul: SimdPlainOp;
}

const FLAVORS: Record<Precision, Flavor> = {
  float32: {
    precision: "float32",
    scalar: "f32",
    size: 4,
    shift: 2,
    lanes: 4,
    mem: (offset) => ({ offset, align: 2 }),
    splatLoad: "v128.load32_splat",
    zeroLoad: "v128.load32_zero",
    storeLane: "v128.store32_lane",
    extractLane: "f32x4.extract_lane",
    add: "f32x4.add",
    mul: "f32x4.mul",
  },
  float64: {
    precision: "float64",
    scalar: "f64",
    size: 8,
    shift: 3,
    lanes: 2,
    mem: (offset) => ({ offset, align: 3 }),
    splatLoad: "v128.load64_splat",
    zeroLoad: "v128.load64_zero",
    storeLane: "v128.store64_lane",
    extractLane: "f64x2.extract_lane",
    add: "f64x2.add",
    mul: "f64x2.mul",
  },
};

const V128 = 16;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** `["m", "n"]` → `[["m", "i32"], ["n", "i32"]]`, keeping the names' literal types for `ParamLocals`. */
function i32s<const N extends readonly string[]>(names: N): { readonly [I in keyof N]: readonly [N[I], "i32"] } {
  return names.map((name) => [name, "i32"] as const) as unknown as { readonly [I in keyof N]: readonly [N[I], "i32"] };
}

const GEMM_PARAMS = i32s(["m", "n", "k", "a", "lda", "b", "ldb", "c", "ldc", "acc"]);

/** Builds the kernel module for one precision. Deterministic: the same precision gives the same bytes. */
export function buildKernels(precision: Precision): Kernels {
  const { bytes, functions } = assemble(precision);
  const listing = [
    `(module ;; rnnc matrix kernels, ${precision}, ${bytes.length} bytes, baseline SIMD only (no relaxed SIMD, no FMA)`,
    `  (import "env" "memory" (memory 0)) ;; pointers: byte offsets into it; leading dimensions: elements`,
    ...functions.map((f) => `  (func $${f.name}${f.exportName === undefined ? "" : ` (export "${f.exportName}")`} ${f.signature}) ;; ${f.doc}`),
    `)`,
  ].join("\n");
  return { bytes, listing };
}

/** The module's full WAT-like text, instruction by instruction: for reviewing and debugging the generator. */
export function kernelsText(precision: Precision): string {
  const { bytes, functions } = assemble(precision);
  const funcs = functions.map((f) => `  ;; ${f.size} bytes\n${f.wat.replace(/^/gm, "  ")}`);
  return [`(module ;; ${bytes.length} bytes`, `  (import "env" "memory" (memory 0))`, ...funcs, ")"].join("\n");
}

function assemble(precision: Precision): ReturnType<ModuleBuilder["encode"]> {
  const fl = FLAVORS[precision];
  const mod = new ModuleBuilder().importMemory("env", "memory", 0);

  // Bodies are built when the module is encoded, after every declaration below, so they may refer to later ones.
  mod.func("gemm_nt", GEMM_PARAMS, [], { exportName: "gemm_nt", doc: "C[m×n] (+)= A[m×k]·B[n×k]ᵀ" }, (f, p) => ntDriver(f, p, fl, nt));
  mod.func("gemm_nn", GEMM_PARAMS, [], { exportName: "gemm_nn", doc: "C[m×n] (+)= A[m×k]·B[k×n]" }, (f, p) => callXn(f, p, fl, xn, "nn"));
  mod.func("gemm_tn", GEMM_PARAMS, [], { exportName: "gemm_tn", doc: "C[m×n] (+)= A[k×m]ᵀ·B[k×n]" }, (f, p) => callXn(f, p, fl, xn, "tn"));
  const xn = mod.func("gemm_xn", XN_DRIVER_PARAMS, [], { doc: "nn and tn: A[i][p] at a + i·rowStride + p·kStride (bytes)" }, (f, p) =>
    xnDriver(f, p, fl, xnKernels),
  );
  const put = definePut(mod, fl);
  const xnKernels = defineXnKernels(mod, fl, put);
  const hsum = defineHorizontalSum(mod, fl);
  const nt = defineNtKernels(mod, fl, hsum);
  return mod.encode();
}

/** k = 0 with acc ≠ 0 adds nothing: return before touching C (so even −0 and NaN payloads stay as they are). */
function returnIfNothingToAdd(f: FunctionBuilder, k: Local, acc: Local): void {
  f.get(k).op("i32.eqz").if(() => {
    f.get(acc).if(() => void f.op("return"));
  });
}

/** `local = local + (value)` */
function increment(f: FunctionBuilder, local: Local, value: () => void): void {
  f.get(local);
  value();
  f.op("i32.add").set(local);
}

// ── nn and tn ─────────────────────────────────────────────────────────────────────────────────────────────────────

const XN_DRIVER_PARAMS = i32s(["m", "n", "k", "a", "rowStride", "kStride", "b", "ldb", "c", "ldc", "acc"]);
const XN_KERNEL_PARAMS = i32s(["pa", "pb", "pc", "k", "rowStride", "kStride", "ldb", "ldc", "acc"]);

/** gemm_nn and gemm_tn differ only in how A is walked: nn steps p along a row of A, tn steps p down a column. */
function callXn(f: FunctionBuilder, p: ParamLocals<typeof GEMM_PARAMS>, fl: Flavor, xn: FunctionRef, kind: "nn" | "tn"): void {
  const ldaBytes = (): void => void f.get(p.lda).i32(fl.shift).op("i32.shl");
  const element = (): void => void f.i32(fl.size);
  f.get(p.m).get(p.n).get(p.k).get(p.a);
  if (kind === "nn") {
    ldaBytes(); // rowStride
    element(); // kStride
  } else {
    element();
    ldaBytes();
  }
  f.get(p.b).get(p.ldb).get(p.c).get(p.ldc).get(p.acc).call(xn);
}

interface Put {
  /** put_v(p, acc, v): C[p … p+16) = acc ? C[p … p+16) + v : v. */
  readonly vector: FunctionRef;
  /** put_1(p, acc, v): the same for one element, lane 0 of v. */
  readonly lane: FunctionRef;
}

function definePut(mod: ModuleBuilder, fl: Flavor): Put {
  const params = [["p", "i32"], ["acc", "i32"], ["v", "v128"]] as const;
  const put = (name: string, doc: string, load: SimdMemoryOp, store: (f: FunctionBuilder) => void): FunctionRef =>
    mod.func(name, params, [], { doc }, (f, { p, acc, v }) => {
      f.get(acc).if(() => void f.get(p).simdMemory(load, fl.mem()).get(v).simd(fl.add).set(v));
      f.get(p).get(v);
      store(f);
    });
  return {
    vector: put("put_v", "C[p…p+16) (+)= v", "v128.load", (f) => void f.simdMemory("v128.store", fl.mem())),
    lane: put("put_1", "C[p] (+)= lane 0 of v", fl.zeroLoad, (f) => void f.simdMemoryLane(fl.storeLane, fl.mem(), 0)),
  };
}

interface XnKernel {
  readonly rows: number;
  /** Columns of C per call: a multiple of the lane count, or 1. */
  readonly columns: number;
  readonly ref: FunctionRef;
}

/**
 * Inner kernels for nn/tn: a rows×columns block of C over all of k, each row's sums in v128 accumulators.
 * Per step p: load B[p][j…] (contiguous), broadcast A[i+r][p] to each row r's vector, multiply, add.
 * A one-column block (the tail) uses lane 0 only: `load32_zero` for B, `put_1` for C.
 */
function defineXnKernels(mod: ModuleBuilder, fl: Flavor, put: Put): XnKernel[] {
  const shapes: [number, number][] = [];
  for (const rows of [BLOCK.xnRows, 1]) for (const columns of [BLOCK.xnVectors * fl.lanes, fl.lanes, 1]) shapes.push([rows, columns]);
  return shapes.map(([rows, columns]) => ({
    rows,
    columns,
    ref: mod.func(`xn_${rows}x${columns}`, XN_KERNEL_PARAMS, [], { doc: `${rows}×${columns} block of C; strides in bytes` }, (f, p) =>
      xnKernelBody(f, p, fl, put, rows, columns),
    ),
  }));
}

function xnKernelBody(f: FunctionBuilder, p: ParamLocals<typeof XN_KERNEL_PARAMS>, fl: Flavor, put: Put, rows: number, columns: number): void {
  const vectors = columns === 1 ? 1 : columns / fl.lanes;
  const aRow = [p.pa, ...range(rows - 1).map((r) => f.local(`a${r + 1}`, "i32"))];
  const bVec = range(vectors).map((v) => f.local(`b${v}`, "v128"));
  const splat = f.local("s", "v128");
  const sums = range(rows).map((r) => range(vectors).map((v) => f.local(`c${r}_${v}`, "v128")));

  for (let r = 1; r < rows; r++) f.get(at(aRow, r - 1)).get(p.rowStride).op("i32.add").set(at(aRow, r));
  f.block("done", () => {
    f.get(p.k).op("i32.eqz").brIf("done");
    f.loop("step", () => {
      bVec.forEach((bv, v) => {
        f.get(p.pb);
        if (columns === 1) f.simdMemory(fl.zeroLoad, fl.mem());
        else f.simdMemory("v128.load", fl.mem(v * V128));
        f.set(bv);
      });
      aRow.forEach((ar, r) => {
        f.get(ar).simdMemory(fl.splatLoad, fl.mem()).set(splat);
        bVec.forEach((bv, v) => {
          const sum = at(at(sums, r), v);
          f.get(sum).get(splat).get(bv).simd(fl.mul).simd(fl.add).set(sum);
        });
      });
      for (const ar of aRow) increment(f, ar, () => f.get(p.kStride));
      increment(f, p.pb, () => f.get(p.ldb));
      f.get(p.k).i32(1).op("i32.sub").tee(p.k).brIf("step");
    });
  });
  sums.forEach((row, r) => {
    if (r > 0) increment(f, p.pc, () => f.get(p.ldc));
    row.forEach((sum, v) => {
      f.get(p.pc);
      if (v > 0) f.i32(v * V128).op("i32.add");
      f.get(p.acc).get(sum).call(columns === 1 ? put.lane : put.vector);
    });
  });
}

/** gemm_xn: walks C in row blocks (BLOCK.xnRows, then single rows) and column blocks (wide, one vector, one column). */
function xnDriver(f: FunctionBuilder, p: ParamLocals<typeof XN_DRIVER_PARAMS>, fl: Flavor, kernels: XnKernel[]): void {
  const i = f.local("i", "i32");
  const j = f.local("j", "i32"); // byte offset of the column block within a row
  const rowBytes = f.local("rowBytes", "i32");
  returnIfNothingToAdd(f, p.k, p.acc);
  f.get(p.ldb).i32(fl.shift).op("i32.shl").set(p.ldb);
  f.get(p.ldc).i32(fl.shift).op("i32.shl").set(p.ldc);
  f.get(p.n).i32(fl.shift).op("i32.shl").set(rowBytes);

  const sweepColumns = (rows: number): void => {
    f.i32(0).set(j);
    for (const kernel of kernels.filter((kk) => kk.rows === rows)) {
      const width = kernel.columns * fl.size;
      const call = (): void => {
        f.get(p.a).get(p.b).get(j).op("i32.add").get(p.c).get(j).op("i32.add");
        f.get(p.k).get(p.rowStride).get(p.kStride).get(p.ldb).get(p.ldc).get(p.acc).call(kernel.ref);
        increment(f, j, () => f.i32(width));
      };
      const fits = (): void => void f.get(rowBytes).get(j).op("i32.sub").i32(width).op("i32.ge_s");
      // After the wide blocks, a one-vector block fits at most once; the others repeat.
      if (kernel.columns === fl.lanes && BLOCK.xnVectors === 2) {
        fits();
        f.if(call);
      } else {
        f.while(`cols${rows}x${kernel.columns}`, fits, call);
      }
    }
  };
  for (const rows of [BLOCK.xnRows, 1]) {
    f.while(
      `rows${rows}`,
      () => void f.get(p.m).get(i).op("i32.sub").i32(rows).op("i32.ge_s"),
      () => {
        sweepColumns(rows);
        increment(f, p.a, () => f.get(p.rowStride).i32(rows).op("i32.mul"));
        increment(f, p.c, () => f.get(p.ldc).i32(rows).op("i32.mul"));
        increment(f, i, () => f.i32(rows));
      },
    );
  }
}

// ── nt ────────────────────────────────────────────────────────────────────────────────────────────────────────────

const NT_KERNEL_PARAMS = i32s(["pa", "pb", "pc", "k", "lda", "ldb", "ldc", "acc"]);

/**
 * hsum(x₀, …, x_{L−1}) → the vector whose lane q is the sum of xq's lanes: f32 (l₀ + l₂) + (l₁ + l₃), f64 l₀ + l₁.
 * A 4×4 (or 2×2) transpose fused with the additions, so a row of nt's partial sums becomes one contiguous store.
 */
function defineHorizontalSum(mod: ModuleBuilder, fl: Flavor): FunctionRef {
  const params = range(fl.lanes).map((q) => [`x${q}`, "v128"] as const);
  // i8x16.shuffle's byte indices for a shuffle of whole lanes (0 … lanes−1 from the first operand, then the second's).
  const lanes = (picks: number[]): number[] => picks.flatMap((lane) => range(fl.size).map((byte) => lane * fl.size + byte));
  return mod.func(`hsum${fl.lanes}`, params, ["v128"], { doc: "lane q of the result = the sum of xq's lanes" }, (f) => {
    const x = f.params;
    const pairSums = (first: Local, second: Local, evens: number[], odds: number[]): void => {
      f.get(first).get(second).shuffle(lanes(evens));
      f.get(first).get(second).shuffle(lanes(odds));
      f.simd(fl.add);
    };
    if (fl.lanes === 2) {
      pairSums(at(x, 0), at(x, 1), [0, 2], [1, 3]); // (x0₀ + x0₁, x1₀ + x1₁)
      return;
    }
    // x0 ← (x0₀+x0₂, x1₀+x1₂, x0₁+x0₃, x1₁+x1₃), x2 ← the same for x2, x3; then pair those up.
    pairSums(at(x, 0), at(x, 1), [0, 4, 1, 5], [2, 6, 3, 7]);
    f.set(at(x, 0));
    pairSums(at(x, 2), at(x, 3), [0, 4, 1, 5], [2, 6, 3, 7]);
    f.set(at(x, 2));
    pairSums(at(x, 0), at(x, 2), [0, 1, 4, 5], [2, 3, 6, 7]);
  });
}

interface NtKernels {
  /** BLOCK.ntRows × BLOCK.ntColumns block of C. */
  readonly wide: FunctionRef;
  /** BLOCK.ntRows × 1 block of C (the column tail). */
  readonly narrow: FunctionRef;
}

/**
 * Inner kernels for nt: rows of A times rows of B, both contiguous along k. Each (row, column) pair keeps a v128 of
 * partial dot products, and one load of a row of A (or B) feeds every column (or row) of the block. The k tail loads
 * one element into lane 0 (`load32_zero`) and runs the same multiply-adds. Then hsum turns each row's partial sums
 * into one vector of C. Every C load comes before any C store, so both rows may be the same row (lda = ldc = 0).
 */
function defineNtKernels(mod: ModuleBuilder, fl: Flavor, hsum: FunctionRef): NtKernels {
  if (BLOCK.ntColumns % fl.lanes !== 0) throw new Error("the nt column block must be a multiple of the lane count");
  const kernel = (columns: number): FunctionRef =>
    mod.func(`nt_${BLOCK.ntRows}x${columns}`, NT_KERNEL_PARAMS, [], { doc: `${BLOCK.ntRows}×${columns} block of C; strides in bytes` }, (f, p) =>
      ntKernelBody(f, p, fl, hsum, BLOCK.ntRows, columns),
    );
  return { wide: kernel(BLOCK.ntColumns), narrow: kernel(1) };
}

function ntKernelBody(f: FunctionBuilder, p: ParamLocals<typeof NT_KERNEL_PARAMS>, fl: Flavor, hsum: FunctionRef, rows: number, columns: number): void {
  const aRow = [p.pa, ...range(rows - 1).map((r) => f.local(`a${r + 1}`, "i32"))];
  const bRow = [p.pb, ...range(columns - 1).map((col) => f.local(`b${col + 1}`, "i32"))];
  const cRow = [p.pc, ...range(rows - 1).map((r) => f.local(`c${r + 1}`, "i32"))];
  const count = f.local("count", "i32");
  const x = range(rows).map((r) => f.local(`x${r}`, "v128"));
  const y = f.local("y", "v128");
  const sums = range(rows).map((r) => range(columns).map((col) => f.local(`s${r}_${col}`, "v128")));

  for (let r = 1; r < rows; r++) f.get(at(aRow, r - 1)).get(p.lda).op("i32.add").set(at(aRow, r));
  for (let col = 1; col < columns; col++) f.get(at(bRow, col - 1)).get(p.ldb).op("i32.add").set(at(bRow, col));

  const loop = (label: string, load: () => void, step: number): void => {
    f.block(label, () => {
      f.get(count).op("i32.eqz").brIf(label);
      f.loop(`${label}_step`, () => {
        aRow.forEach((ar, r) => {
          f.get(ar);
          load();
          f.set(at(x, r));
        });
        bRow.forEach((br, col) => {
          f.get(br);
          load();
          f.set(y);
          x.forEach((xr, r) => {
            const sum = at(at(sums, r), col);
            f.get(sum).get(xr).get(y).simd(fl.mul).simd(fl.add).set(sum);
          });
        });
        for (const ptr of [...aRow, ...bRow]) increment(f, ptr, () => f.i32(step));
        f.get(count).i32(1).op("i32.sub").tee(count).brIf(`${label}_step`);
      });
    });
  };
  f.get(p.k).i32(Math.log2(fl.lanes)).op("i32.shr_u").set(count);
  loop("vectors", () => void f.simdMemory("v128.load", fl.mem()), V128);
  f.get(p.k).i32(fl.lanes - 1).op("i32.and").set(count);
  loop("tail", () => void f.simdMemory(fl.zeroLoad, fl.mem()), fl.size);

  // Row r's partial sums for columns g·lanes … (g+1)·lanes − 1 become one vector, kept in the first of them;
  // a one-column block takes lane 0 of hsum(s, s, …).
  const out = sums.map((row) =>
    columns === 1
      ? [reduce(f, hsum, range(fl.lanes).map(() => at(row, 0)))]
      : range(columns / fl.lanes).map((g) => reduce(f, hsum, row.slice(g * fl.lanes, (g + 1) * fl.lanes))),
  );
  for (let r = 1; r < rows; r++) f.get(at(cRow, r - 1)).get(p.ldc).op("i32.add").set(at(cRow, r));
  const memory = (r: number, g: number, scalar: SimdMemoryOp | SimdMemoryLaneOp, vector: SimdMemoryOp): void => {
    f.get(at(cRow, r));
    if (columns === 1) {
      if (scalar === fl.storeLane) f.get(at(at(out, r), g)).simdMemoryLane(fl.storeLane, fl.mem(), 0);
      else f.simdMemory(scalar as SimdMemoryOp, fl.mem());
    } else {
      if (vector === "v128.store") f.get(at(at(out, r), g));
      f.simdMemory(vector, fl.mem(g * V128));
    }
  };
  f.get(p.acc).if(() => {
    out.forEach((row, r) =>
      row.forEach((v, g) => {
        memory(r, g, fl.zeroLoad, "v128.load");
        f.get(v).simd(fl.add).set(v);
      }),
    );
  });
  out.forEach((row, r) => row.forEach((_, g) => memory(r, g, fl.storeLane, "v128.store")));
}

/** hsum(inputs…) into the first input. */
function reduce(f: FunctionBuilder, hsum: FunctionRef, inputs: Local[]): Local {
  for (const input of inputs) f.get(input);
  const out = at(inputs, 0);
  f.call(hsum).set(out);
  return out;
}

/**
 * gemm_nt: walks C in pairs of rows and, along each, blocks of BLOCK.ntColumns columns, then single columns.
 * An odd last row is computed as a pair of itself: strides 0 make the kernel's second row alias the first.
 */
function ntDriver(f: FunctionBuilder, p: ParamLocals<typeof GEMM_PARAMS>, fl: Flavor, kernels: NtKernels): void {
  if (BLOCK.ntRows !== 2) throw new Error("ntDriver pairs rows");
  const i = f.local("i", "i32");
  const j = f.local("j", "i32");
  const pb = f.local("pb", "i32");
  const pc = f.local("pc", "i32");
  const pairLda = f.local("pairLda", "i32");
  const pairLdc = f.local("pairLdc", "i32");
  returnIfNothingToAdd(f, p.k, p.acc);
  for (const ld of [p.lda, p.ldb, p.ldc]) f.get(ld).i32(fl.shift).op("i32.shl").set(ld);

  f.while(
    "rows",
    () => void f.get(i).get(p.m).op("i32.lt_s"),
    () => {
      // Two rows left or more: the next row is lda on; one left: it pairs with itself.
      const pairStride = (ld: Local, out: Local): void => void f.get(ld).i32(0).get(p.m).get(i).op("i32.sub").i32(2).op("i32.ge_s").op("select").set(out);
      pairStride(p.lda, pairLda);
      pairStride(p.ldc, pairLdc);
      f.i32(0).set(j);
      f.get(p.b).set(pb);
      f.get(p.c).set(pc);
      for (const [kernel, columns] of [[kernels.wide, BLOCK.ntColumns], [kernels.narrow, 1]] as const) {
        f.while(
          `cols${columns}`,
          () => void f.get(p.n).get(j).op("i32.sub").i32(columns).op("i32.ge_s"),
          () => {
            f.get(p.a).get(pb).get(pc).get(p.k).get(pairLda).get(p.ldb).get(pairLdc).get(p.acc).call(kernel);
            increment(f, j, () => f.i32(columns));
            increment(f, pb, () => f.get(p.ldb).i32(columns).op("i32.mul"));
            increment(f, pc, () => f.i32(columns * fl.size));
          },
        );
      }
      increment(f, p.a, () => f.get(p.lda).i32(2).op("i32.mul"));
      increment(f, p.c, () => f.get(p.ldc).i32(2).op("i32.mul"));
      increment(f, i, () => f.i32(2));
    },
  );
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`index ${index} out of range`);
  return item;
}
