/**
 * Instantiates the kernel module the way the generated trainers will: one WebAssembly.Memory, created up front,
 * passed in as `env.memory`. The project's tsconfig has no DOM lib, so the few WebAssembly types used are declared here.
 */

/** gemm_xx(m, n, k, a, lda, b, ldb, c, ldc, acc): pointers in bytes, leading dimensions in elements. */
export type GemmKernel = (m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number) => void;

export interface Kernels {
  readonly gemm_nt: GemmKernel;
  readonly gemm_nn: GemmKernel;
  readonly gemm_tn: GemmKernel;
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export function instantiateKernels(bytes: Uint8Array, pages: number): { memory: WasmMemory; kernels: Kernels } {
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const { exports } = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
  const kernel = (name: keyof Kernels): GemmKernel => {
    const f = exports[name];
    if (typeof f !== "function") throw new Error(`the module does not export ${name}`);
    return f as GemmKernel;
  };
  return { memory, kernels: { gemm_nt: kernel("gemm_nt"), gemm_nn: kernel("gemm_nn"), gemm_tn: kernel("gemm_tn") } };
}
