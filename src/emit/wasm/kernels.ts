import { ModuleBuilder, type EncodedFunction, type FunctionBuilder, type FunctionRef, type Local, type MemArg, type ParamLocals, type SimdMemoryLaneOp, type SimdMemoryOp, type SimdPlainOp } from "./encoder.ts";

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
 * Summation order, fixed so that C[i][j] depends only on row i of A, column j of B, k and acc — never on the engine,
 * on m or n, or on which block of C the element falls in (a sample's results do not depend on the rest of its batch):
 * - nn, tn: the products in order p = 0 … k−1, summed from 0 in panels of BLOCK.kPanel (256) products; the first
 *   panel's sum is stored (acc = 0) or added to C (acc ≠ 0), each later panel's sum is added to C. For k ≤ 256 that
 *   is exactly the naive loop `s = 0; for p: s += a·b; C = acc ? C + s : s`, in the element type (f32 sums in f32).
 * - nt: four (f32) or two (f64) partial sums from 0, sum q taking the products p ≡ q (mod lanes) below
 *   k − k mod lanes in order; the last k mod lanes products go, in order, into sum 0. Then f32: (s₀ + s₂) + (s₁ + s₃),
 *   f64: s₀ + s₁; then stored, or added to C.
 * No fused multiply-add anywhere: every product is rounded, then added.
 *
 * m, n, k ≥ 0; k = 0 stores zeros (acc = 0) or leaves C untouched (acc ≠ 0). Only the m×n elements of C are
 * written, and only the elements of A and B that the product uses are read (nothing past a row's last element);
 * C must not overlap A or B. No alignment beyond the element's is required. The kernels never grow the memory.
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
  /** nn/tn: products per pass over C (cache blocking along k). */
  kPanel: 256,
} as const;

/** What differs between the precisions: element size, lanes per v128, and the matching instructions. */
interface Flavor {
  /** Bytes per element, and its log2. */
  readonly size: number;
  readonly shift: number;
  /** Elements per v128. */
  readonly lanes: number;
  /** Element alignment only: rows may start anywhere an element may. */
  readonly mem: (offset?: number) => MemArg;
  readonly splatLoad: SimdMemoryOp;
  readonly zeroLoad: SimdMemoryOp;
  readonly storeLane: SimdMemoryLaneOp;
  readonly add: SimdPlainOp;
  readonly mul: SimdPlainOp;
}

const FLAVORS: Record<Precision, Flavor> = {
  float32: {
    size: 4,
    shift: 2,
    lanes: 4,
    mem: (offset) => ({ offset, align: 2 }),
    splatLoad: "v128.load32_splat",
    zeroLoad: "v128.load32_zero",
    storeLane: "v128.store32_lane",
    add: "f32x4.add",
    mul: "f32x4.mul",
  },
  float64: {
    size: 8,
    shift: 3,
    lanes: 2,
    mem: (offset) => ({ offset, align: 3 }),
    splatLoad: "v128.load64_splat",
    zeroLoad: "v128.load64_zero",
    storeLane: "v128.store64_lane",
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
  const lanes = FLAVORS[precision].lanes;
  const sums = lanes === 4 ? "(s0+s2)+(s1+s3)" : "s0+s1";
  const listing = [
    `;; rnnc matrix kernels: ${precision}, ${bytes.length} bytes of WebAssembly, baseline SIMD only (no relaxed SIMD, no FMA).`,
    `;; Row-major. Pointers are byte offsets into env.memory, leading dimensions are in elements; acc ≠ 0 adds into C,`,
    `;; which must not overlap A or B.`,
    `;; Sums: nn, tn in order p = 0…k−1, in panels of ${BLOCK.kPanel} products, each added to C in turn; nt in ${lanes} partial`,
    `;; sums over p mod ${lanes} (the last k mod ${lanes} products into s0), then ${sums}. So C[i][j] depends only on row i`,
    `;; of A, column j of B, k and acc: never on m, n or the block it falls in.`,
    `(module`,
    `  (import "env" "memory" (memory 0))`,
    ...functions.map((f) => {
      const exported = f.exportName === undefined ? "" : ` (export "${f.exportName}")`;
      const results = f.results.length === 0 ? "" : ` (result ${f.results.join(" ")})`;
      return `  (func $${f.name}${exported} ${paramGroups(f.params)}${results})  ;; ${f.doc}`;
    }),
    `)`,
  ].join("\n");
  return { bytes, listing };
}

/** `(param $a $b i32) (param $v v128)`: consecutive parameters of one type share a group. */
function paramGroups(params: EncodedFunction["params"]): string {
  const groups: { type: string; names: string[] }[] = [];
  for (const [name, type] of params) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last.type === type) last.names.push(`$${name}`);
    else groups.push({ type, names: [`$${name}`] });
  }
  return groups.map((g) => `(param ${g.names.join(" ")} ${g.type})`).join(" ");
}

/** The module's full WAT-like text, instruction by instruction: for reviewing and debugging the generator. */
export function kernelsText(precision: Precision): string {
  const { bytes, functions } = assemble(precision);
  const funcs = functions.map((f) => `  ;; ${f.size} bytes\n${f.wat.replace(/^/gm, "  ")}`);
  return [`(module ;; ${bytes.length} bytes`, `  (import "env" "memory" (memory 0))`, ...funcs, ")"].join("\n");
}

function assemble(precision: Precision): { bytes: Uint8Array; functions: EncodedFunction[] } {
  const fl = FLAVORS[precision];
  const mod = new ModuleBuilder().importMemory("env", "memory", 0);

  // Bodies are built when the module is encoded, after every declaration below, so they may refer to later ones.
  mod.func("gemm_nt", GEMM_PARAMS, [], { exportName: "gemm_nt", doc: "C[m×n] (+)= A[m×k]·B[n×k]ᵀ" }, (f, p) => ntDriver(f, p, fl, nt));
  mod.func("gemm_nn", GEMM_PARAMS, [], { exportName: "gemm_nn", doc: "C[m×n] (+)= A[m×k]·B[k×n]" }, (f, p) => callXn(f, p, fl, xn, "nn"));
  mod.func("gemm_tn", GEMM_PARAMS, [], { exportName: "gemm_tn", doc: "C[m×n] (+)= A[k×m]ᵀ·B[k×n]" }, (f, p) => callXn(f, p, fl, xn, "tn"));
  const xn = mod.func("gemm_xn", XN_DRIVER_PARAMS, [], { doc: "nn, tn: A[i][p] at a + i·rowStride + p·kStride (bytes)" }, (f, p) =>
    xnDriver(f, p, fl, xnKernels),
  );
  const xnKernels = defineXnKernels(mod, fl);
  const nt = defineNtKernels(mod, fl);
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

interface XnKernel {
  readonly rows: number;
  /** Columns of C per call: a multiple of the lane count, or 1. */
  readonly columns: number;
  readonly ref: FunctionRef;
}

/**
 * Inner kernels for nn/tn: a rows×columns block of C over all of k, each row's sums in v128 accumulators.
 * Per step p: load B[p][j…] (contiguous), broadcast A[i+r][p] to each row r's vector, multiply, add.
 * A one-column block (the tail) uses lane 0 only: `load32_zero` for B, `store32_lane` for C.
 */
function defineXnKernels(mod: ModuleBuilder, fl: Flavor): XnKernel[] {
  const shapes: [number, number][] = [];
  for (const rows of [BLOCK.xnRows, 1]) for (const columns of [BLOCK.xnVectors * fl.lanes, fl.lanes, 1]) shapes.push([rows, columns]);
  return shapes.map(([rows, columns]) => ({
    rows,
    columns,
    ref: mod.func(`xn_${rows}x${columns}`, XN_KERNEL_PARAMS, [], { doc: `${rows}×${columns} block of C${columns === 1 ? ", lane 0" : ""}` }, (f, p) =>
      xnKernelBody(f, p, fl, rows, columns),
    ),
  }));
}

function xnKernelBody(f: FunctionBuilder, p: ParamLocals<typeof XN_KERNEL_PARAMS>, fl: Flavor, rows: number, columns: number): void {
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
  writeC(f, fl, sums, p.pc, p.ldc, p.acc, columns === 1);
}

/**
 * Stores a block of sums into C (row r at pc + r·ldc, vector v at +16·v, or lane 0 only for a one-column block),
 * first adding C's old values when acc ≠ 0. All loads of C come before any store, so rows may alias.
 */
function writeC(f: FunctionBuilder, fl: Flavor, sums: Local[][], pc: Local, ldc: Local, acc: Local, oneColumn: boolean): void {
  const rowPointers = [pc, ...range(sums.length - 1).map((r) => f.local(`c${r + 1}`, "i32"))];
  for (let r = 1; r < sums.length; r++) f.get(at(rowPointers, r - 1)).get(ldc).op("i32.add").set(at(rowPointers, r));
  f.get(acc).if(() => {
    sums.forEach((row, r) =>
      row.forEach((sum, v) => {
        f.get(at(rowPointers, r));
        if (oneColumn) f.simdMemory(fl.zeroLoad, fl.mem());
        else f.simdMemory("v128.load", fl.mem(v * V128));
        f.get(sum).simd(fl.add).set(sum);
      }),
    );
  });
  sums.forEach((row, r) =>
    row.forEach((sum, v) => {
      f.get(at(rowPointers, r)).get(sum);
      if (oneColumn) f.simdMemoryLane(fl.storeLane, fl.mem(), 0);
      else f.simdMemory("v128.store", fl.mem(v * V128));
    }),
  );
}

/** gemm_xn: walks C in row blocks (BLOCK.xnRows, then single rows) and column blocks (wide, one vector, one column). */
function xnDriver(f: FunctionBuilder, p: ParamLocals<typeof XN_DRIVER_PARAMS>, fl: Flavor, kernels: XnKernel[]): void {
  const panel = f.local("panel", "i32"); // products in this pass over C: min(k left, BLOCK.kPanel)
  const i = f.local("i", "i32");
  const j = f.local("j", "i32"); // byte offset of the column block within a row
  const pa = f.local("pa", "i32");
  const pc = f.local("pc", "i32");
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
        f.get(pa).get(p.b).get(j).op("i32.add").get(pc).get(j).op("i32.add");
        f.get(panel).get(p.rowStride).get(p.kStride).get(p.ldb).get(p.ldc).get(p.acc).call(kernel.ref);
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
  // One pass over C per panel of k, so the panel's rows of A and B stay in cache while every block of C uses them.
  f.loop("panels", () => {
    f.i32(BLOCK.kPanel).get(p.k).get(p.k).i32(BLOCK.kPanel).op("i32.gt_u").op("select").set(panel);
    f.get(p.a).set(pa);
    f.get(p.c).set(pc);
    f.i32(0).set(i);
    for (const rows of [BLOCK.xnRows, 1]) {
      f.while(
        `rows${rows}`,
        () => void f.get(p.m).get(i).op("i32.sub").i32(rows).op("i32.ge_s"),
        () => {
          sweepColumns(rows);
          increment(f, pa, () => f.get(p.rowStride).i32(rows).op("i32.mul"));
          increment(f, pc, () => f.get(p.ldc).i32(rows).op("i32.mul"));
          increment(f, i, () => f.i32(rows));
        },
      );
    }
    // Next panel: later panels add to C.
    increment(f, p.a, () => f.get(p.kStride).get(panel).op("i32.mul"));
    increment(f, p.b, () => f.get(p.ldb).get(panel).op("i32.mul"));
    f.i32(1).set(p.acc);
    f.get(p.k).get(panel).op("i32.sub").tee(p.k).brIf("panels");
  });
}

// ── nt ────────────────────────────────────────────────────────────────────────────────────────────────────────────

const NT_KERNEL_PARAMS = i32s(["pa", "pb", "pc", "k", "lda", "ldb", "ldc", "acc"]);

/**
 * Reduces partial-sum vectors in place, into the first: for `lanes` inputs x₀ … the result's lane q is the sum of
 * xq's lanes (a 4×4 or 2×2 transpose fused with the additions, so a row of nt's results is one contiguous store);
 * for one input, lane 0 is the sum of its lanes. Either way a vector's lanes are summed as f32 (l₀ + l₂) + (l₁ + l₃),
 * f64 l₀ + l₁.
 */
function emitLaneSums(f: FunctionBuilder, fl: Flavor, x: Local[]): Local {
  // i8x16.shuffle's byte indices for a shuffle of whole lanes (0 … lanes−1 from the first operand, then the second's).
  const lanes = (picks: number[]): number[] => picks.flatMap((lane) => range(fl.size).map((byte) => lane * fl.size + byte));
  /** into = shuffle(first, second, evens) + shuffle(first, second, odds) */
  const pairSums = (into: Local, first: Local, second: Local, evens: number[], odds: number[]): void => {
    f.get(first).get(second).shuffle(lanes(evens));
    f.get(first).get(second).shuffle(lanes(odds));
    f.simd(fl.add).set(into);
  };
  const [x0, x1, x2, x3] = x as [Local, Local | undefined, Local | undefined, Local | undefined];
  if (x.length === 1) {
    if (fl.lanes === 4) {
      pairSums(x0, x0, x0, [0, 1, 4, 5], [2, 3, 6, 7]); // (l₀+l₂, l₁+l₃, …)
      pairSums(x0, x0, x0, [0, 4, 0, 0], [1, 5, 1, 1]); // lane 0: (l₀+l₂) + (l₁+l₃)
    } else {
      pairSums(x0, x0, x0, [0, 2], [1, 3]); // lane 0: l₀ + l₁
    }
  } else if (fl.lanes === 2 && x1 !== undefined) {
    pairSums(x0, x0, x1, [0, 2], [1, 3]); // (x0₀ + x0₁, x1₀ + x1₁)
  } else if (x1 !== undefined && x2 !== undefined && x3 !== undefined) {
    pairSums(x0, x0, x1, [0, 4, 1, 5], [2, 6, 3, 7]); // (x0₀+x0₂, x1₀+x1₂, x0₁+x0₃, x1₁+x1₃)
    pairSums(x2, x2, x3, [0, 4, 1, 5], [2, 6, 3, 7]); // the same for x2, x3
    pairSums(x0, x0, x2, [0, 1, 4, 5], [2, 3, 6, 7]); // lane q: (xq₀+xq₂) + (xq₁+xq₃)
  } else {
    throw new Error(`cannot reduce ${x.length} vectors of ${fl.lanes} lanes`);
  }
  return x0;
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
 * one element into lane 0 (`load32_zero`) and runs the same multiply-adds. Then each row's partial sums are summed
 * across lanes into one vector of C. Every C load comes before any C store, so both rows may be the same row (lda = ldc = 0).
 */
function defineNtKernels(mod: ModuleBuilder, fl: Flavor): NtKernels {
  if (BLOCK.ntColumns % fl.lanes !== 0) throw new Error("the nt column block must be a multiple of the lane count");
  const kernel = (columns: number): FunctionRef =>
    mod.func(`nt_${BLOCK.ntRows}x${columns}`, NT_KERNEL_PARAMS, [], { doc: `${BLOCK.ntRows}×${columns} block of C (the rows may alias)` }, (f, p) =>
      ntKernelBody(f, p, fl, BLOCK.ntRows, columns),
    );
  return { wide: kernel(BLOCK.ntColumns), narrow: kernel(1) };
}

function ntKernelBody(f: FunctionBuilder, p: ParamLocals<typeof NT_KERNEL_PARAMS>, fl: Flavor, rows: number, columns: number): void {
  const aRow = [p.pa, ...range(rows - 1).map((r) => f.local(`a${r + 1}`, "i32"))];
  const bRow = [p.pb, ...range(columns - 1).map((col) => f.local(`b${col + 1}`, "i32"))];
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

  // Row r's partial sums for columns g·lanes … (g+1)·lanes − 1 become one vector of C, kept in the first of them.
  const out = sums.map((row) => range(Math.ceil(columns / fl.lanes)).map((g) => emitLaneSums(f, fl, row.slice(g * fl.lanes, (g + 1) * fl.lanes))));
  writeC(f, fl, out, p.pc, p.ldc, p.acc, columns === 1);
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
