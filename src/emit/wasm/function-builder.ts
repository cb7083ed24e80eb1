import { encodeVector, signedLeb128, unsignedLeb128 } from "./leb128.ts";
import { encodeMemArg, showMemArg, type MemArg } from "./memarg.ts";
import {
  CONTROL,
  EMPTY_BLOCK_TYPE,
  F32_CONST,
  F64_CONST,
  GLOBAL_GET,
  I32_CONST,
  LOCAL,
  MEMORY_OP,
  OP,
  VALTYPE,
  checkLane,
  simdOpcode,
  type PlainOp,
  type SimdLaneOp,
  type SimdMemoryLaneOp,
  type SimdMemoryOp,
  type SimdPlainOp,
  type ValType,
} from "./opcodes.ts";

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

/** A mutable i32 global of the module (`ModuleBuilder.global`), exported under its name. */
export interface GlobalRef {
  readonly index: number;
  readonly name: string;
}

/** A function's parameters as `[name, type]` pairs, in order. */
export type Params = readonly (readonly [string, ValType])[];

/** The parameters of a `Params` list by name, as the body builder receives them. */
export type ParamLocals<P extends Params> = { readonly [K in P[number][0]]: Local };

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

  /** `global.get`: a global's value. */
  global(ref: GlobalRef): this {
    this.emit([GLOBAL_GET, ...unsignedLeb128(ref.index)], `global.get $${ref.name}`);
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

  /** `f32.const`: the float's 4 bytes, little-endian (`value` must be a float32 value: rounding here would hide a wrong constant). */
  f32(value: number): this {
    if (Math.fround(value) !== value && !Number.isNaN(value)) throw new Error(`f32.const ${value} is not a float32 value`);
    this.emit([F32_CONST, ...new Uint8Array(new Float32Array([value]).buffer)], `f32.const ${value}`);
    return this;
  }

  /** `f64.const`: the double's 8 bytes, little-endian. */
  f64(value: number): this {
    this.emit([F64_CONST, ...new Uint8Array(new Float64Array([value]).buffer)], `f64.const ${value}`);
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
