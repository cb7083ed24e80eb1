/**
 * The memory layout of a generated model: every buffer at a fixed, 16-byte-aligned byte offset in one
 * WebAssembly.Memory that the JavaScript loops and the SIMD kernels share. Decided at compile time.
 */
export interface Region extends BufferRequest {
  readonly at: number;
}

export interface MemoryPlan {
  readonly regions: readonly Region[];
  readonly bytes: number;
  readonly pages: number;
}

export interface BufferRequest {
  readonly name: string;
  readonly elements: number;
  readonly note: string;
  /** Int32Array for int32 inputs (token ids, lengths); the model's float type otherwise. */
  readonly int32?: boolean;
  /** What the buffer holds, for `rnnc summary`'s memory breakdown. */
  readonly kind?: MemoryKind;
}

export type MemoryKind = "parameters" | "gradients" | "optimizer state" | "inputs" | "layer outputs" | "output gradients" | "forward scratch" | "backward scratch" | "streaming";

const pageBytes = 65536;
const aligned = (buffer: BufferRequest, elementBytes: number) => Math.ceil((buffer.elements * (buffer.int32 === true ? 4 : elementBytes)) / 16) * 16;

/**
 * Lays out `buffers` one after another, then one shared region for `overlays`: groups of buffers of which only
 * one group is alive at a time (each node's backward-only scratch), so every group starts at the same offset.
 */
export function planMemory(buffers: readonly BufferRequest[], overlays: readonly (readonly BufferRequest[])[], elementBytes: number): MemoryPlan {
  const regions: Region[] = [];
  let at = 0;
  for (const buffer of buffers) {
    regions.push({ ...buffer, at });
    at += aligned(buffer, elementBytes);
  }
  let shared = 0;
  for (const group of overlays) {
    let within = 0;
    for (const buffer of group) {
      regions.push({ ...buffer, at: at + within, note: `${buffer.note} (backward only: shares its bytes with other nodes')`, kind: "backward scratch" });
      within += aligned(buffer, elementBytes);
    }
    shared = Math.max(shared, within);
  }
  at += shared;
  return { regions, bytes: at, pages: Math.max(1, Math.ceil(at / pageBytes)) };
}

/** Bytes by kind: each buffer's aligned size, and the shared backward region once, at its largest. */
export function memoryByKind(plan: MemoryPlan, elementBytes: number): Partial<Record<MemoryKind, number>> {
  const totals: Partial<Record<MemoryKind, number>> = {};
  let counted = 0;
  for (const region of plan.regions) {
    if (region.kind === "backward scratch" || region.kind === undefined) continue;
    const bytes = aligned(region, elementBytes);
    totals[region.kind] = (totals[region.kind] ?? 0) + bytes;
    counted += bytes;
  }
  if (plan.bytes > counted) totals["backward scratch"] = plan.bytes - counted;
  return totals;
}
