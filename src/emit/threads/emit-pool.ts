import type { Writer } from "../code.ts";
import { AUTO_THREAD_CAP } from "./plan.ts";
import { workerSourceLines } from "./worker-source.ts";

/**
 * The module-level part of a threaded module: THREADS, the worker's source, and how a worker is started in Node
 * (worker_threads, imported only when threads start) or a browser (a Web Worker from a Blob URL, which needs a
 * cross-origin isolated page). Typed here in a few lines, so the file still needs no DOM or Node typings.
 */
export function emitThreadPool(threads: number | "auto", singleThreadReason: string | undefined, w: Writer): void {
  w.writeLine(`/** Threads that share the matrix products (train.threads): a count, or "auto" for the cores available (at most ${AUTO_THREAD_CAP}) when they start. */`);
  w.writeLine(`export const THREADS: number | "auto" = ${JSON.stringify(threads)};`);
  w.blankLine();
  w.writeLine("/** What a product worker runs: plain JavaScript, evaluated by Node's worker_threads or loaded as a Web Worker (see createModel's `product`). */");
  w.writeLine("const WORKER_SOURCE = [");
  w.indent(() => workerSourceLines.forEach((line) => w.writeLine(`${JSON.stringify(line)},`)));
  w.writeLine('].join("\\n");');
  w.blankLine();
  for (const line of hostLines) w.writeLine(line);
  w.blankLine();
  for (const line of availableThreadsLines(singleThreadReason)) w.writeLine(line);
  w.blankLine();
  for (const line of startWorkerLines) w.writeLine(line);
  w.blankLine();
}

/** What `auto` means for this model: the cores available, or 1 when its products are too small to share (plan.ts). */
function availableThreadsLines(singleThreadReason: string | undefined): string[] {
  if (singleThreadReason !== undefined) {
    return [
      `/** The threads \`auto\` means for this model: 1, as ${singleThreadReason} (startThreads(n) still starts n). */`,
      "async function availableThreads(): Promise<number> {",
      "  return 1;",
      "}",
    ];
  }
  return [
    `/** The threads \`auto\` means: the cores this process may use, at most ${AUTO_THREAD_CAP}. */`,
    "async function availableThreads(): Promise<number> {",
    "  let cores = threadHost.navigator?.hardwareConcurrency ?? 1;",
    "  if (threadHost.process?.versions?.node !== undefined) {",
    '    const os = await nodeBuiltin<{ availableParallelism?: () => number; cpus(): readonly unknown[] }>("node:os");',
    "    cores = os.availableParallelism?.() ?? os.cpus().length;",
    "  }",
    `  return Math.max(1, Math.min(${AUTO_THREAD_CAP}, cores));`,
    "}",
  ];
}

const hostLines: readonly string[] = [
  "/** A started worker, whichever runtime made it. */",
  "interface ProductWorker {",
  "  terminate(): unknown;",
  "}",
  "",
  "interface NodeWorker extends ProductWorker {",
  "  postMessage(message: unknown): void;",
  '  once(event: "message" | "error", listener: (value: unknown) => void): void;',
  "  unref(): void;",
  "}",
  "",
  "interface BrowserWorker extends ProductWorker {",
  "  postMessage(message: unknown): void;",
  "  onmessage: ((event: unknown) => void) | null;",
  "  onerror: ((event: unknown) => void) | null;",
  "}",
  "",
  "/** The parts of the host (Node or a browser) that starting threads uses. */",
  "interface ThreadHost {",
  "  readonly process?: { readonly versions?: { readonly node?: string } };",
  "  readonly crossOriginIsolated?: boolean;",
  "  readonly navigator?: { readonly hardwareConcurrency?: number };",
  "  readonly Worker?: new (url: string) => BrowserWorker;",
  "  readonly Blob?: new (parts: string[], options: { type: string }) => object;",
  "  readonly URL?: { createObjectURL(blob: object): string; revokeObjectURL(url: string): void };",
  "}",
  "",
  "const threadHost = globalThis as unknown as ThreadHost;",
  "",
  "/** A Node built-in, imported when threads start; the specifier is a variable so that browser bundlers leave it alone. */",
  "async function nodeBuiltin<T>(name: string): Promise<T> {",
  "  return (await import(name)) as T;",
  "}",
];

const startWorkerLines: readonly string[] = [
  "/** Starts one product worker with `init` and resolves once it has instantiated the kernels and serves its slot. */",
  "async function startWorker(init: object): Promise<ProductWorker> {",
  "  if (threadHost.process?.versions?.node !== undefined) {",
  '    const { Worker } = await nodeBuiltin<{ Worker: new (source: string, options: { eval: true }) => NodeWorker }>("node:worker_threads");',
  "    const worker = new Worker(WORKER_SOURCE, { eval: true });",
  "    worker.unref(); // an idle worker never keeps the process alive",
  "    await new Promise<void>((resolve, reject) => {",
  '      worker.once("message", () => resolve());',
  '      worker.once("error", reject);',
  "      worker.postMessage(init);",
  "    });",
  "    return worker;",
  "  }",
  "  const { Worker, Blob, URL } = threadHost;",
  "  if (threadHost.crossOriginIsolated !== true || Worker === undefined || Blob === undefined || URL === undefined) {",
  "    throw new Error(",
  '      "threads need shared memory, which browsers give only to cross-origin isolated pages: serve the page with the headers " +',
  '        "`Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`, or compile the spec with train.threads: 1",',
  "    );",
  "  }",
  '  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));',
  "  const worker = new Worker(url);",
  "  try {",
  "    await new Promise<void>((resolve, reject) => {",
  "      worker.onmessage = () => resolve();",
  "      worker.onerror = reject;",
  "      worker.postMessage(init);",
  "    });",
  "  } finally {",
  "    URL.revokeObjectURL(url);",
  "  }",
  "  return worker;",
  "}",
];
