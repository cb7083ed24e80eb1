import type { Writer } from "./code.ts";
import { kernelBytesName, kernelChoiceLines, kernelVariants, relaxedSimdProbe } from "./wasm/variants.ts";
import type { Precision } from "./module.ts";
import { buildActivationKernels } from "./wasm/activations.ts";
import { buildGateKernels } from "./wasm/gates.ts";

/**
 * The SIMD kernels as base64 in the generated file, with the listing of what they compute above it,
 * and a minimal typing of the WebAssembly API so that the module type-checks without DOM or Node typings.
 */
export function emitKernelDeclarations(precision: Precision, w: Writer, sharedMemory = false): void {
  emitWasmApi(w, true, sharedMemory);
  emitBase64Decoder(w);
  for (const { variant, bytes, listing } of kernelVariants(precision, sharedMemory)) {
    w.writeLine("/*");
    w.writeLine(` * SIMD matrix-product kernels (${precision}, ${variant}), ${bytes.length} bytes of WebAssembly emitted by rnnc. What they contain:`);
    for (const line of listing.split("\n")) w.writeLine(` * ${line}`.trimEnd());
    w.writeLine(" */");
    emitBytes(w, kernelBytesName(variant), bytes);
  }
  w.writeLine("/** A module that uses one relaxed-SIMD instruction: it validates only where the engine has relaxed SIMD. */");
  emitBytes(w, "RELAXED_SIMD_PROBE", relaxedSimdProbe());
  for (const line of kernelChoiceLines()) w.writeLine(line);
}

/** base64, a third of the size of a decimal byte list, decoded once when the module loads. */
function emitBytes(w: Writer, name: string, bytes: Uint8Array): void {
  const text = Buffer.from(bytes).toString("base64");
  w.writeLine(`const ${name} = fromBase64(`);
  w.indent(() => {
    for (let i = 0; i < text.length; i += base64LineLength) w.writeLine(`"${text.slice(i, i + base64LineLength)}"${i + base64LineLength < text.length ? " +" : ""}`);
  });
  w.writeLine(");");
  w.blankLine();
}

const base64LineLength = 100;

/**
 * A base64 decoder in a few lines: the module stays self-contained and behaves the same everywhere (`atob` and
 * `Buffer` each exist only in some runtimes, and typing them would need DOM or Node typings).
 */
function emitBase64Decoder(w: Writer): void {
  w.writeLine("/** Bytes from base64 (RFC 4648, padded): six bits per character, a byte out whenever eight are in hand. */");
  w.write("function fromBase64(text: string): Uint8Array ").block(() => {
    w.writeLine('const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";');
    w.writeLine('const length = text.indexOf("=") < 0 ? text.length : text.indexOf("=");');
    w.writeLine("const bytes = new Uint8Array((length * 3) >> 2);");
    w.writeLine("let bits = 0;");
    w.writeLine("let held = 0;");
    w.writeLine("let n = 0;");
    w.write("for (let i = 0; i < length; i++) ").block(() => {
      w.writeLine("bits = ((bits << 6) | digits.indexOf(text.charAt(i))) & 0x3fff;");
      w.writeLine("held += 6;");
      w.write("if (held >= 8) ").block(() => {
        w.writeLine("held -= 8;");
        w.writeLine("bytes[n++] = (bits >> held) & 255;");
      });
    });
    w.writeLine("return bytes;");
  });
  w.blankLine();
}

/** The typing of the WebAssembly API the module uses (the memory alone when it calls no kernel), and `wasm`. */
export function emitWasmApi(w: Writer, kernels = false, sharedMemory = false): void {
  w.writeLine("/** The parts of the WebAssembly API the model uses, typed here so the file needs no DOM or Node typings. */");
  w.write("interface WasmApi ").block(() => {
    if (sharedMemory) w.writeLine("Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => { readonly buffer: ArrayBufferLike };");
    else w.writeLine("Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };");
    if (!kernels) return;
    w.writeLine("Module: new (bytes: Uint8Array) => object;");
    w.writeLine("Instance: new (module: object, imports: object) => { readonly exports: object };");
    w.writeLine("validate(bytes: Uint8Array): boolean;");
  });
  w.blankLine();
  if (kernels) {
    w.writeLine("/** Matrix products over byte offsets in the shared memory; leading dimensions in elements; acc = 1 adds into C. */");
    w.write("interface Kernels ").block(() => {
      for (const [name, doc] of [
        ["gemm_nt", "C[m×n] (+)= A[m×k] · B[n×k]ᵀ"],
        ["gemm_nn", "C[m×n] (+)= A[m×k] · B[k×n]"],
        ["gemm_tn", "C[m×n] (+)= A[k×m]ᵀ · B[k×n]"],
      ] as const) {
        w.writeLine(`/** ${doc} */`);
        w.writeLine(`${name}(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void;`);
      }
      w.writeLine("/** Byte offset of the scratch where gemm_tn packs its blocks of A (0: none); one per thread, each its own instance. */");
      w.writeLine("readonly pack: { value: number };");
    });
    w.blankLine();
  }
  w.writeLine("const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;");
  w.blankLine();
}

/** Points a kernels instance's `pack` global at its scratch (gemm_tn packs blocks of A there: the same bits, faster). */
export function emitPackScratch(global: string, at: number, w: Writer): void {
  w.writeLine(`${global}.value = ${at}; // gemm_tn's packing scratch, kernel_pack`);
}

/**
 * The elementwise kernel modules beside the matrix kernels, each under the 4 KB a browser compiles synchronously:
 * the float32 LSTM and GRU gate passes (src/emit/wasm/gates.ts, a module per cell), and the float32 rnn's tanh and its derivative and
 * the recurrent bias-gradient sums (src/emit/wasm/activations.ts). One variant each, baseline SIMD, for every engine. A generated file embeds a module
 * only when its code calls one of the module's kernels, and types only the kernels it calls.
 */
interface ElementwiseModule {
  /** The bytes' name in the generated file, and the interface its exports are typed by. */
  readonly bytesName: string;
  readonly typeName: string;
  readonly title: string;
  /** One line above the interface. */
  readonly doc: string;
  /** Each export's parameters (all i32). */
  readonly kernels: Readonly<Record<string, readonly string[]>>;
  readonly build: (sharedMemory: boolean) => { readonly bytes: Uint8Array; readonly listing: string };
}

export const ELEMENTWISE_MODULES: readonly ElementwiseModule[] = [
  {
    bytesName: "LSTM_WASM",
    typeName: "LstmKernels",
    title: "SIMD LSTM gate kernels (float32)",
    doc: "One time step's LSTM gate pass over all its rows; pointers are byte offsets in the shared memory, H even.",
    kernels: {
      lstm_forward_f32: ["gates", "cPrev", "cell", "h", "batch", "H", "hasPrev"],
      lstm_backward_f32: ["gates", "cell", "cPrev", "dh", "dCell", "dGates", "batch", "H", "hasPrev"],
    },
    build: (sharedMemory) => buildGateKernels("lstm", sharedMemory),
  },
  {
    bytesName: "GRU_WASM",
    typeName: "GruKernels",
    title: "SIMD GRU gate kernels (float32)",
    doc: "One time step's GRU gate pass over all its rows; pointers are byte offsets in the shared memory, H even.",
    kernels: {
      gru_forward_f32: ["gates", "hidden", "hPrev", "h", "batch", "H", "hasPrev"],
      gru_backward_f32: ["gates", "hidden", "hPrev", "dh", "dhPrev", "dGates", "dHidden", "batch", "H", "hasPrev"],
    },
    build: (sharedMemory) => buildGateKernels("gru", sharedMemory),
  },
  {
    bytesName: "ACTIVATIONS_WASM",
    typeName: "ActivationKernels",
    title: "SIMD activation kernels (float32)",
    doc: "The rnn's tanh over a step's rows and its derivative, and bias-gradient sums; pointers are byte offsets in the shared memory, counts multiples of 4.",
    kernels: {
      tanh_f32: ["p", "count"],
      tanh_backward_f32: ["dPre", "dOut", "h", "count"],
      bias_sums_f32: ["src", "rows", "cols", "dstA", "dstB", "both"],
    },
    build: buildActivationKernels,
  },
];

/** Every elementwise kernel's name, for finding the ones a body calls. */
export const ELEMENTWISE_KERNEL_NAMES: readonly string[] = ELEMENTWISE_MODULES.flatMap((m) => Object.keys(m.kernels));

/** The modules among `ELEMENTWISE_MODULES` that `used` calls into, each with the kernels it calls. */
export function usedElementwiseModules(used: (name: string) => boolean): { module: ElementwiseModule; names: string[] }[] {
  return ELEMENTWISE_MODULES.map((module) => ({ module, names: Object.keys(module.kernels).filter(used) })).filter(({ names }) => names.length > 0);
}

/** The elementwise modules the code calls, as base64 with their listings, and their typings. After `emitKernelDeclarations` (they use `fromBase64`). */
export function emitElementwiseDeclarations(w: Writer, used: (name: string) => boolean, sharedMemory = false): void {
  for (const { module, names } of usedElementwiseModules(used)) {
    const { bytes, listing } = module.build(sharedMemory);
    w.writeLine("/*");
    w.writeLine(` * ${module.title}, ${bytes.length} bytes of WebAssembly emitted by rnnc. What they contain:`);
    for (const line of listing.split("\n")) w.writeLine(` * ${line}`.trimEnd());
    w.writeLine(" */");
    emitBytes(w, module.bytesName, bytes);
    w.writeLine(`/** ${module.doc} */`);
    // only the kernels the code calls (an inference module names no backward kernel)
    w.write(`interface ${module.typeName} `).block(() => {
      for (const name of names) w.writeLine(`${name}(${module.kernels[name]!.map((p) => `${p}: number`).join(", ")}): void;`);
    });
    w.blankLine();
  }
}

/**
 * `const { … } = new wasm.Instance(…)` for each elementwise module the code calls, inside createModel. The kernels in
 * `shared` (a threaded module's, src/emit/threads) are taken as `kernel_<name>`, and their module is kept as
 * `elementwiseModule` for the workers: the code's calls go to a dispatcher of that name instead.
 */
export function emitElementwiseInstances(w: Writer, used: (name: string) => boolean, shared: readonly string[] = []): void {
  for (const { module, names } of usedElementwiseModules(used)) {
    const bindings = names.map((name) => (shared.includes(name) ? `${name}: kernel_${name}` : name)).join(", ");
    if (!names.some((name) => shared.includes(name))) {
      w.writeLine(`const { ${bindings} } = new wasm.Instance(new wasm.Module(${module.bytesName}), { env: { memory } }).exports as ${module.typeName};`);
      continue;
    }
    w.writeLine(`const elementwiseModule = new wasm.Module(${module.bytesName}); // the workers instantiate it too`);
    w.writeLine(`const { ${bindings} } = new wasm.Instance(elementwiseModule, { env: { memory } }).exports as ${module.typeName};`);
  }
}
