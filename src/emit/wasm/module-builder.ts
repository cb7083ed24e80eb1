import { FunctionBuilder, type FunctionRef, type GlobalRef, type Local, type ParamLocals, type Params } from "./function-builder.ts";
import { encodeName, encodeVector, signedLeb128, unsignedLeb128 } from "./leb128.ts";
import { CONTROL, I32_CONST, VALTYPE, type ValType } from "./opcodes.ts";

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

const SECTION = { type: 1, import: 2, function: 3, global: 6, export: 7, code: 10 } as const;
const FUNC_TYPE = 0x60;
const EXTERNAL_KIND = { function: 0x00, memory: 0x02, global: 0x03 } as const;
const MAGIC_AND_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/**
 * A module that imports one memory and defines functions and exported mutable i32 globals. Function bodies are built
 * at `encode()`, after every function has been declared, so any body may call any function.
 */
export class ModuleBuilder {
  private memory: { module: string; field: string; minPages: number; shared?: boolean } | undefined;
  private readonly functions: FunctionEntry[] = [];
  private readonly globals: { readonly ref: GlobalRef; readonly initial: number; readonly doc: string }[] = [];

  /**
   * Imports a linear memory with at least `minPages` 64 KiB pages: non-shared with no maximum, or with `shared` a
   * shared memory (threads), which must declare a maximum: the most a 32-bit memory can have, 65536 pages.
   */
  importMemory(module: string, field: string, minPages: number, shared = false): this {
    this.memory = { module, field, minPages, shared };
    return this;
  }

  /** Declares a mutable i32 global, exported under its name (JavaScript sets it through the export's `value`). */
  global(name: string, initial: number, doc: string): GlobalRef {
    if (this.globals.some((g) => g.ref.name === name)) throw new Error(`duplicate global ${name}`);
    const ref = { index: this.globals.length, name }; // no global imports, so indices start at 0
    this.globals.push({ ref, initial, doc });
    return ref;
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

  /** The binary module and, per function, its declaration, WAT-like text and body size in bytes; per global, its line. */
  encode(): { bytes: Uint8Array; functions: EncodedFunction[]; globals: string[] } {
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
      const { module, field, minPages, shared } = this.memory;
      // flag 0: min only; flag 3: shared, min and max
      const limits = shared === true ? [0x03, ...unsignedLeb128(minPages), ...unsignedLeb128(65536)] : [0x00, ...unsignedLeb128(minPages)];
      section(SECTION.import, encodeVector([[...encodeName(module), ...encodeName(field), EXTERNAL_KIND.memory, ...limits]]));
    }
    section(SECTION.function, encodeVector(built.map((b) => unsignedLeb128(b.type))));
    // mutable (0x01) i32 globals, each initialised by a constant expression
    if (this.globals.length > 0) section(SECTION.global, encodeVector(this.globals.map((g) => [VALTYPE.i32, 0x01, I32_CONST, ...signedLeb128(g.initial), CONTROL.end])));
    const exports = built.filter((b) => b.entry.exportName !== undefined);
    section(
      SECTION.export,
      encodeVector([
        ...exports.map((b) => [...encodeName(b.entry.exportName ?? ""), EXTERNAL_KIND.function, ...unsignedLeb128(b.entry.ref.index)]),
        ...this.globals.map((g) => [...encodeName(g.ref.name), EXTERNAL_KIND.global, ...unsignedLeb128(g.ref.index)]),
      ]),
    );
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
      globals: this.globals.map((g) => `(global $${g.ref.name} (export "${g.ref.name}") (mut i32) (i32.const ${g.initial}))  ;; ${g.doc}`),
    };
  }
}
