/**
 * A tiny WebAssembly binary encoder: just what rnnc's matrix kernels need (one imported memory, functions, mutable i32 globals, exports),
 * written out by hand so the compiler has no wasm tool dependency. Reference: the WebAssembly core spec, §5 "Binary
 * Format", and the fixed-width SIMD proposal (merged into the core spec in 2.0) for the 0xFD-prefixed opcodes.
 *
 * Every instruction is recorded twice: as bytes, and as a line of WAT-like text, so a module can be printed for review.
 *
 * This file is the encoder's public entry; the parts: `leb128.ts` (integers, vectors, names), `opcodes.ts` (value
 * types and instruction codes), `memarg.ts` (memory immediates), `function-builder.ts` (one function body, with
 * named labels) and `module-builder.ts` (types, imports, exports and code sections).
 */

export { signedLeb128, unsignedLeb128 } from "./leb128.ts";
export {
  MEMORY_OP,
  OP,
  SIMD_OP,
  SIMD_PREFIX,
  VALTYPE,
  type PlainOp,
  type SimdLaneOp,
  type SimdMemoryLaneOp,
  type SimdMemoryOp,
  type SimdOp,
  type SimdPlainOp,
  type ValType,
} from "./opcodes.ts";
export type { MemArg } from "./memarg.ts";
export { FunctionBuilder, type FunctionRef, type GlobalRef, type Local, type ParamLocals, type Params } from "./function-builder.ts";
export { ModuleBuilder, type EncodedFunction } from "./module-builder.ts";
