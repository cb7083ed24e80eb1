import type { EncodedFunction } from "../encoder.ts";
import { BLOCK } from "./block.ts";
import { FLAVORS, type KernelVariant, type Precision } from "./flavor.ts";

/** The short outline embedded beside the bytes: the contract in comments, then one line per function. */
export function kernelsListing(precision: Precision, variant: KernelVariant, bytes: Uint8Array, functions: readonly EncodedFunction[], globals: readonly string[] = []): string {
  const lanes = FLAVORS[precision].lanes;
  const sums = lanes === 4 ? "(s0+s2)+(s1+s3)" : "s0+s1";
  return [
    variant === "baseline"
      ? `;; rnnc matrix kernels: ${precision}, ${bytes.length} bytes of WebAssembly, baseline SIMD only (no relaxed SIMD, no FMA).`
      : `;; rnnc matrix kernels: ${precision}, ${bytes.length} bytes of WebAssembly, relaxed SIMD: each product joins its sum by relaxed_madd (fused where the CPU has FMA).`,
    `;; Row-major. Pointers are byte offsets into env.memory, leading dimensions are in elements; acc ≠ 0 adds into C,`,
    `;; which must not overlap A or B.`,
    `;; Sums: nn, tn in order p = 0…k−1, in panels of ${BLOCK.kPanel} products, each added to C in turn; nt in ${lanes} partial`,
    `;; sums over p mod ${lanes} (the last k mod ${lanes} products into s0), then ${sums}. So C[i][j] depends only on row i`,
    `;; of A, column j of B, k and acc: never on m, n or the block it falls in.`,
    `(module`,
    `  (import "env" "memory" (memory 0))`,
    ...globals.map((g) => `  ${g}`),
    ...functions.map((f) => {
      const exported = f.exportName === undefined ? "" : ` (export "${f.exportName}")`;
      const results = f.results.length === 0 ? "" : ` (result ${f.results.join(" ")})`;
      return `  (func $${f.name}${exported} ${paramGroups(f.params)}${results})  ;; ${f.doc}`;
    }),
    `)`,
  ].join("\n");
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

/** The full WAT-like text of the module, instruction by instruction. */
export function kernelsWat(bytes: Uint8Array, functions: readonly EncodedFunction[], globals: readonly string[] = []): string {
  const funcs = functions.map((f) => `  ;; ${f.size} bytes\n${f.wat.replace(/^/gm, "  ")}`);
  return [`(module ;; ${bytes.length} bytes`, `  (import "env" "memory" (memory 0))`, ...globals.map((g) => `  ${g}`), ...funcs, ")"].join("\n");
}

/** The largest a module may be for synchronous compilation on a browser's main thread. */
export const SYNC_MODULE_LIMIT = 4096;

/** The short outline of an elementwise module (gates.ts, activations.ts), embedded beside its bytes in generated code. */
export function elementwiseListing(title: string, bytes: Uint8Array, functions: readonly EncodedFunction[]): string {
  return [
    `;; ${title}: float32, ${bytes.length} bytes of WebAssembly, baseline SIMD only. Doubles two at a time, the`,
    `;; generated JavaScript's operations in its order: the same float32 bits. Pointers are byte offsets into env.memory.`,
    `(module`,
    `  (import "env" "memory" (memory 0))`,
    ...functions.filter((f) => f.exportName !== undefined).map((f) => `  (func $${f.name} (export "${f.exportName}") (param ${f.params.map(([name]) => `$${name}`).join(" ")} i32))  ;; ${f.doc}`),
    `)`,
  ].join("\n");
}
