/**
 * The memory layout of a generated model: every buffer at a fixed, 16-byte-aligned byte offset in one
 * WebAssembly.Memory that the JavaScript loops and the SIMD kernels share. Decided at compile time.
 */
export interface Region {
  readonly name: string;
  readonly at: number;
  readonly elements: number;
  readonly note: string;
}

export interface MemoryPlan {
  readonly regions: readonly Region[];
  readonly bytes: number;
  readonly pages: number;
}

const pageBytes = 65536;

export function planMemory(buffers: readonly { name: string; elements: number; note: string }[], elementBytes: number): MemoryPlan {
  const regions: Region[] = [];
  let at = 0;
  for (const buffer of buffers) {
    regions.push({ ...buffer, at });
    at += Math.ceil((buffer.elements * elementBytes) / 16) * 16;
  }
  return { regions, bytes: at, pages: Math.max(1, Math.ceil(at / pageBytes)) };
}
