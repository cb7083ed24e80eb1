/**
 * A tiny WebAssembly binary encoder: just what rnnc's matrix kernels need (one imported memory, functions, exports),
 * written out by hand so the compiler has no wasm tool dependency. Reference: the WebAssembly core spec, §5 "Binary
 * Format", and the fixed-width SIMD proposal (merged into the core spec in 2.0) for the 0xFD-prefixed opcodes.
 *
 * Every instruction is recorded twice: as bytes, and as a line of WAT-like text, so a module can be printed for review.
 */

/** Value types with their binary codes (spec §5.3.1). */
export const VALTYPE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
export type ValType = keyof typeof VALTYPE;

/** Unsigned LEB128 of a non-negative integer below 2^32. */
export function unsignedLeb128(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new RangeError(`u32 out of range: ${value}`);
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const byte = rest % 0x80;
    rest = Math.floor(rest / 0x80);
    if (rest === 0) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** Signed LEB128 of an integer in [−2^31, 2^31) (i32 immediates). */
export function signedLeb128(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) throw new RangeError(`s32 out of range: ${value}`);
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7; // arithmetic shift: stays −1 for negative numbers
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A UTF-8 name: its byte length, then the bytes. */
function encodeName(name: string): number[] {
  const bytes = [...new TextEncoder().encode(name)];
  return [...unsignedLeb128(bytes.length), ...bytes];
}

/** A vector: its element count, then the elements' bytes. */
function encodeVector(items: readonly (readonly number[])[]): number[] {
  return [...unsignedLeb128(items.length), ...items.flat()];
}

/** Plain instructions (no immediates), by their WAT names. */
export const OP = {
  unreachable: 0x00,
  nop: 0x01,
  return: 0x0f,
  drop: 0x1a,
  select: 0x1b,
  "i32.eqz": 0x45,
  "i32.eq": 0x46,
  "i32.ne": 0x47,
  "i32.lt_s": 0x48,
  "i32.lt_u": 0x49,
  "i32.gt_s": 0x4a,
  "i32.gt_u": 0x4b,
  "i32.le_s": 0x4c,
  "i32.le_u": 0x4d,
  "i32.ge_s": 0x4e,
  "i32.ge_u": 0x4f,
  "i32.add": 0x6a,
  "i32.sub": 0x6b,
  "i32.mul": 0x6c,
  "i32.and": 0x71,
  "i32.or": 0x72,
  "i32.shl": 0x74,
  "i32.shr_s": 0x75,
  "i32.shr_u": 0x76,
  "f32.add": 0x92,
  "f32.mul": 0x94,
  "f64.add": 0xa0,
  "f64.mul": 0xa2,
} as const;
export type PlainOp = keyof typeof OP;

/** Scalar memory instructions (immediate: memarg). */
export const MEMORY_OP = {
  "i32.load": 0x28,
  "f32.load": 0x2a,
  "f64.load": 0x2b,
  "i32.store": 0x36,
  "f32.store": 0x38,
  "f64.store": 0x39,
} as const;

/** The prefix byte of every SIMD instruction; the SIMD opcode follows as an unsigned LEB128. */
export const SIMD_PREFIX = 0xfd;

/**
 * Baseline (fixed-width, deterministic) SIMD opcodes. Relaxed SIMD (e.g. `f32x4.relaxed_madd`, 0xFD 0x105) is
 * deliberately absent: its results may differ between engines and CPUs (fused or not), and rnnc promises the same
 * numbers everywhere.
 */
export const SIMD_OP = {
  // memory (immediate: memarg)
  "v128.load": 0x00,
  "v128.load32_splat": 0x09,
  "v128.load64_splat": 0x0a,
  "v128.store": 0x0b,
  "v128.load32_zero": 0x5c,
  "v128.load64_zero": 0x5d,
  // memory + lane (immediates: memarg, lane index)
  "v128.load32_lane": 0x56,
  "v128.load64_lane": 0x57,
  "v128.store32_lane": 0x5a,
  "v128.store64_lane": 0x5b,
  // constants and shuffles (immediate: 16 bytes)
  "v128.const": 0x0c,
  "i8x16.shuffle": 0x0d,
  // lane access (immediate: lane index)
  "f32x4.extract_lane": 0x1f,
  "f64x2.extract_lane": 0x21,
  // plain
  "f32x4.splat": 0x13,
  "f64x2.splat": 0x14,
  "f32x4.add": 0xe4,
  "f32x4.sub": 0xe5,
  "f32x4.mul": 0xe6,
  "f64x2.add": 0xf0,
  "f64x2.sub": 0xf1,
  "f64x2.mul": 0xf2,
} as const;
export type SimdOp = keyof typeof SIMD_OP;
export type SimdPlainOp = "f32x4.splat" | "f64x2.splat" | "f32x4.add" | "f32x4.sub" | "f32x4.mul" | "f64x2.add" | "f64x2.sub" | "f64x2.mul";
export type SimdMemoryOp = "v128.load" | "v128.load32_splat" | "v128.load64_splat" | "v128.store" | "v128.load32_zero" | "v128.load64_zero";
export type SimdMemoryLaneOp = "v128.load32_lane" | "v128.load64_lane" | "v128.store32_lane" | "v128.store64_lane";
export type SimdLaneOp = "f32x4.extract_lane" | "f64x2.extract_lane";

const CONTROL = { block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, call: 0x10 } as const;
const LOCAL = { get: 0x20, set: 0x21, tee: 0x22 } as const;
const I32_CONST = 0x41;
const EMPTY_BLOCK_TYPE = 0x40;

/** A memory access's immediate. `align` is log2 of the promised alignment in bytes: a hint only, never a trap. */
export interface MemArg {
  readonly offset?: number;
  readonly align: number;
}

export interface Local {
  readonly index: number;
  readonly name: string;
  readonly type: ValType;
}

/** A function of the module; `index` is valid as soon as it is declared, so bodies can call functions declared later. */
export interface FunctionRef {
  readonly index: number;
  readonly name: string;
}

/**
 * Builds one function body. Control flow uses named labels (`block("done", …)`, `brIf("done")`); the builder turns
 * names into the relative depths the binary format wants.
 */
export class FunctionBuilder {
  readonly params: readonly Local[];
  private readonly declared: Local[] = [];
  private readonly code: number[] = [];
  private readonly lines: string[] = [];
  private readonly labels: (string | undefined)[] = [];

  constructor(
    readonly name: string,
    params: Params,
    readonly results: readonly ValType[],
  ) {
    this.params = params.map(([localName, type], index) => ({ index, name: localName, type }));
  }

  /** Declares a local (zero-initialised on every call, per the spec). */
  local(name: string, type: ValType): Local {
    if ([...this.params, ...this.declared].some((l) => l.name === name)) throw new Error(`${this.name}: duplicate local ${name}`);
    const local = { index: this.params.length + this.declared.length, name, type };
    this.declared.push(local);
    return local;
  }

  private emit(bytes: readonly number[], text: string): void {
    this.code.push(...bytes);
    this.lines.push(`${"  ".repeat(this.labels.length)}${text}`);
  }

  // ── plain, local and constant instructions ──────────────────────────────────────────────────────────────────────

  op(name: PlainOp): this {
    this.emit([OP[name]], name);
    return this;
  }

  get(local: Local): this {
    this.emit([LOCAL.get, ...unsignedLeb128(local.index)], `local.get $${local.name}`);
    return this;
  }

  set(local: Local): this {
    this.emit([LOCAL.set, ...unsignedLeb128(local.index)], `local.set $${local.name}`);
    return this;
  }

  tee(local: Local): this {
    this.emit([LOCAL.tee, ...unsignedLeb128(local.index)], `local.tee $${local.name}`);
    return this;
  }

  i32(value: number): this {
    this.emit([I32_CONST, ...signedLeb128(value)], `i32.const ${value}`);
    return this;
  }

  /** A scalar load or store (`f32.load`, `f64.store`, …). */
  memory(name: keyof typeof MEMORY_OP, mem: MemArg): this {
    this.emit([MEMORY_OP[name], ...encodeMemArg(mem)], `${name}${showMemArg(mem)}`);
    return this;
  }

  // ── SIMD ────────────────────────────────────────────────────────────────────────────────────────────────────────

  simd(name: SimdPlainOp): this {
    this.emit(simdOpcode(name), name);
    return this;
  }

  simdMemory(name: SimdMemoryOp, mem: MemArg): this {
    this.emit([...simdOpcode(name), ...encodeMemArg(mem)], `${name}${showMemArg(mem)}`);
    return this;
  }

  simdMemoryLane(name: SimdMemoryLaneOp, mem: MemArg, lane: number): this {
    checkLane(name, lane);
    this.emit([...simdOpcode(name), ...encodeMemArg(mem), lane], `${name}${showMemArg(mem)} ${lane}`);
    return this;
  }

  simdLane(name: SimdLaneOp, lane: number): this {
    checkLane(name, lane);
    this.emit([...simdOpcode(name), lane], `${name} ${lane}`);
    return this;
  }

  /** `i8x16.shuffle`: byte i of the result is byte `indices[i]` of the 32-byte concatenation of the two operands. */
  shuffle(indices: readonly number[]): this {
    if (indices.length !== 16 || indices.some((i) => !Number.isInteger(i) || i < 0 || i > 31)) throw new Error(`bad shuffle ${indices.join(" ")}`);
    this.emit([...simdOpcode("i8x16.shuffle"), ...indices], `i8x16.shuffle ${indices.join(" ")}`);
    return this;
  }

  /** `v128.const` from 16 bytes. */
  v128Const(bytes: readonly number[]): this {
    if (bytes.length !== 16) throw new Error("v128.const needs 16 bytes");
    this.emit([...simdOpcode("v128.const"), ...bytes], `v128.const i8x16 ${bytes.join(" ")}`);
    return this;
  }

  // ── control ─────────────────────────────────────────────────────────────────────────────────────────────────────

  /** `block $label … end`: `br $label` jumps to the end. */
  block(label: string, body: () => void): this {
    return this.structured(CONTROL.block, "block", label, body);
  }

  /** `loop $label … end`: `br $label` jumps back to the start. */
  loop(label: string, body: () => void): this {
    return this.structured(CONTROL.loop, "loop", label, body);
  }

  /** `if … [else …] end`, popping the condition. */
  if(then: () => void, otherwise?: () => void): this {
    this.emit([CONTROL.if, EMPTY_BLOCK_TYPE], "if");
    this.labels.push(undefined);
    then();
    if (otherwise !== undefined) {
      this.labels.pop();
      this.emit([CONTROL.else], "else");
      this.labels.push(undefined);
      otherwise();
    }
    this.labels.pop();
    this.emit([CONTROL.end], "end");
    return this;
  }

  /** `while (cond) body` as `block $label loop $label_loop (br_if $label (eqz cond)) body (br $label_loop) end end`. */
  while(label: string, cond: () => void, body: () => void): this {
    return this.block(label, () => {
      this.loop(`${label}_loop`, () => {
        cond();
        this.op("i32.eqz").brIf(label);
        body();
        this.br(`${label}_loop`);
      });
    });
  }

  br(label: string): this {
    this.emit([CONTROL.br, ...unsignedLeb128(this.depth(label))], `br $${label}`);
    return this;
  }

  brIf(label: string): this {
    this.emit([CONTROL.br_if, ...unsignedLeb128(this.depth(label))], `br_if $${label}`);
    return this;
  }

  call(target: FunctionRef): this {
    this.emit([CONTROL.call, ...unsignedLeb128(target.index)], `call $${target.name}`);
    return this;
  }

  private structured(opcode: number, keyword: string, label: string, body: () => void): this {
    this.emit([opcode, EMPTY_BLOCK_TYPE], `${keyword} $${label}`);
    this.labels.push(label);
    body();
    this.labels.pop();
    this.emit([CONTROL.end], "end");
    return this;
  }

  private depth(label: string): number {
    const index = this.labels.lastIndexOf(label);
    if (index < 0) throw new Error(`${this.name}: no enclosing label $${label}`);
    return this.labels.length - 1 - index;
  }

  // ── output ──────────────────────────────────────────────────────────────────────────────────────────────────────

  /** The code section entry: size, locals (run-length grouped by type), instructions, `end`. */
  encode(): number[] {
    if (this.labels.length !== 0) throw new Error(`${this.name}: unclosed block`);
    const groups: [number, ValType][] = [];
    for (const local of this.declared) {
      const last = groups[groups.length - 1];
      if (last !== undefined && last[1] === local.type) last[0]++;
      else groups.push([1, local.type]);
    }
    const body = [...encodeVector(groups.map(([count, type]) => [...unsignedLeb128(count), VALTYPE[type]])), ...this.code, CONTROL.end];
    return [...unsignedLeb128(body.length), ...body];
  }

  /** WAT-like text of the function. */
  wat(exportName: string | undefined): string {
    const params = this.params.map((p) => `(param $${p.name} ${p.type})`).join(" ");
    const results = this.results.length === 0 ? "" : ` (result ${this.results.join(" ")})`;
    const exported = exportName === undefined ? "" : ` (export "${exportName}")`;
    const locals = this.declared.map((l) => `  (local $${l.name} ${l.type})`);
    return [`(func $${this.name}${exported} ${params}${results}`, ...locals, ...this.lines.map((l) => `  ${l}`), ")"].join("\n");
  }
}

/** Lane immediates must name a lane of the instruction's shape: 4 lanes of 32 bits or 2 of 64. */
function checkLane(name: SimdLaneOp | SimdMemoryLaneOp, lane: number): void {
  const lanes = /32|f32x4/.test(name) ? 4 : 2;
  if (!Number.isInteger(lane) || lane < 0 || lane >= lanes) throw new RangeError(`${name}: no lane ${lane}`);
}

function simdOpcode(name: SimdOp): number[] {
  return [SIMD_PREFIX, ...unsignedLeb128(SIMD_OP[name])];
}

function encodeMemArg(mem: MemArg): number[] {
  return [...unsignedLeb128(mem.align), ...unsignedLeb128(mem.offset ?? 0)];
}

function showMemArg(mem: MemArg): string {
  return `${mem.offset ? ` offset=${mem.offset}` : ""} align=${2 ** mem.align}`;
}

/** A function's parameters as `[name, type]` pairs, in order. */
export type Params = readonly (readonly [string, ValType])[];

/** The parameters of a `Params` list by name, as the body builder receives them. */
export type ParamLocals<P extends Params> = { readonly [K in P[number][0]]: Local };

interface FunctionEntry {
  readonly ref: FunctionRef;
  readonly params: Params;
  readonly results: readonly ValType[];
  readonly exportName: string | undefined;
  readonly doc: string;
  readonly build: (f: FunctionBuilder, params: Record<string, Local>) => void;
}

export interface EncodedFunction {
  readonly name: string;
  readonly exportName: string | undefined;
  readonly doc: string;
  readonly params: Params;
  readonly results: readonly ValType[];
  /** WAT-like text, one instruction per line. */
  readonly wat: string;
  /** Bytes of its code section entry. */
  readonly size: number;
}

const SECTION = { type: 1, import: 2, function: 3, export: 7, code: 10 } as const;
const FUNC_TYPE = 0x60;
const EXTERNAL_KIND = { function: 0x00, memory: 0x02 } as const;
const MAGIC_AND_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/**
 * A module that imports one memory and defines functions. Function bodies are built at `encode()`, after every
 * function has been declared, so any body may call any function.
 */
export class ModuleBuilder {
  private memory: { module: string; field: string; minPages: number } | undefined;
  private readonly functions: FunctionEntry[] = [];

  /** Imports a (non-shared) linear memory with at least `minPages` 64 KiB pages and no maximum. */
  importMemory(module: string, field: string, minPages: number): this {
    this.memory = { module, field, minPages };
    return this;
  }

  /**
   * Declares a function; `exportName` makes it visible to JS, `doc` is one line for the listing. `build` writes the
   * body (later, at `encode()`), given the builder and the parameters by name.
   */
  func<const P extends Params>(
    name: string,
    params: P,
    results: readonly ValType[],
    options: { readonly exportName?: string; readonly doc: string },
    build: (f: FunctionBuilder, params: ParamLocals<P>) => void,
  ): FunctionRef {
    if (this.functions.some((f) => f.ref.name === name)) throw new Error(`duplicate function ${name}`);
    const ref = { index: this.functions.length, name }; // no function imports, so indices start at 0
    this.functions.push({ ref, params, results, exportName: options.exportName, doc: options.doc, build: build as FunctionEntry["build"] });
    return ref;
  }

  /** The binary module and, per function, its declaration, WAT-like text and body size in bytes. */
  encode(): { bytes: Uint8Array; functions: EncodedFunction[] } {
    const types: string[] = [];
    const typeBytes: number[][] = [];
    const typeIndex = (params: readonly ValType[], results: readonly ValType[]): number => {
      const key = `${params.join(",")}->${results.join(",")}`;
      let index = types.indexOf(key);
      if (index < 0) {
        index = types.push(key) - 1;
        typeBytes.push([FUNC_TYPE, ...encodeVector(params.map((t) => [VALTYPE[t]])), ...encodeVector(results.map((t) => [VALTYPE[t]]))]);
      }
      return index;
    };
    const built = this.functions.map((entry) => {
      const f = new FunctionBuilder(entry.ref.name, entry.params, entry.results);
      entry.build(f, Object.fromEntries(f.params.map((p) => [p.name, p])));
      const body = f.encode();
      return { entry, body, wat: f.wat(entry.exportName), type: typeIndex(entry.params.map(([, t]) => t), entry.results) };
    });

    const sections: number[][] = [];
    const section = (id: number, content: number[]): void => {
      sections.push([id, ...unsignedLeb128(content.length), ...content]);
    };
    section(SECTION.type, encodeVector(typeBytes));
    if (this.memory !== undefined) {
      const { module, field, minPages } = this.memory;
      const limits = [0x00, ...unsignedLeb128(minPages)]; // flag 0: min only
      section(SECTION.import, encodeVector([[...encodeName(module), ...encodeName(field), EXTERNAL_KIND.memory, ...limits]]));
    }
    section(SECTION.function, encodeVector(built.map((b) => unsignedLeb128(b.type))));
    const exports = built.filter((b) => b.entry.exportName !== undefined);
    section(SECTION.export, encodeVector(exports.map((b) => [...encodeName(b.entry.exportName ?? ""), EXTERNAL_KIND.function, ...unsignedLeb128(b.entry.ref.index)])));
    section(SECTION.code, encodeVector(built.map((b) => b.body)));

    return {
      bytes: new Uint8Array([...MAGIC_AND_VERSION, ...sections.flat()]),
      functions: built.map((b) => ({
        name: b.entry.ref.name,
        exportName: b.entry.exportName,
        doc: b.entry.doc,
        params: b.entry.params,
        results: b.entry.results,
        wat: b.wat,
        size: b.body.length,
      })),
    };
  }
}
