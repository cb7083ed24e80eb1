/** Register blocking: sizes of the C blocks each inner loop computes. Every size up to 15 live v128 values. */
export const BLOCK = {
  /** nn/tn: rows of C per block, and v128 vectors of columns (8 f32 or 4 f64 columns). */
  xnRows: 4,
  xnVectors: 2,
  /** nt: rows of A and rows of B (= columns of C) per block; the columns are a multiple of the lane count. */
  ntRows: 2,
  ntColumns: 4,
  /**
   * nt, one-row blocks (an odd last row: a batch-1 product), widest first: 8 columns keep eight independent chains of
   * multiply-adds in flight (4 wait out the multiply-add's latency); `kernels.ts` takes the widest the module has room for.
   */
  ntSingleColumns: [8, 4],
  /** nn/tn: products per pass over C (cache blocking along k). */
  kPanel: 256,
  /** tn: C's columns from which a row block's panel of A is packed first (below, the copy costs more than it saves). */
  packMinColumns: 64,
} as const;

/** Bytes of the scratch that packs one row block's panel of A (gemm_xn's `pack`): per thread. */
export const packBytes = (elementBytes: number): number => BLOCK.kPanel * BLOCK.xnRows * elementBytes;
