import { join } from "node:path";
import { benchDir } from "../shapes.ts";
import { WorkerProcess } from "../worker-process.ts";
import type { InferenceMode, InferenceRequest, InferenceTimeResponse, OutputsResponse } from "./protocol.ts";

/**
 * The inference systems: rnnc's inference module on one thread; onnxruntime-web's WebAssembly backend on one thread
 * (ort.env.wasm.numThreads = 1), and with its thread pool on the machine's 2 cores, which works in Node
 * (onnxruntime-web 1.30 runs its pthreads on worker_threads). onnxruntime-node is not here: on linux/x64 its
 * postinstall script downloads the CUDA execution provider's binaries from NuGet (script/install.js,
 * install-metadata.js: requirements 'linux/x64': ['cuda12']), which this project does not allow.
 */
export const inferenceSystemNames = ["rnnc", "ort-wasm", "ort-wasm-2t"] as const;
export type InferenceSystemName = (typeof inferenceSystemNames)[number];

export class InferenceWorker {
  private readonly worker: WorkerProcess;

  constructor(readonly name: InferenceSystemName) {
    const args = name === "rnnc" ? ["rnnc-worker.ts"] : ["ort-worker.ts", "--threads", name === "ort-wasm" ? "1" : "2"];
    const [file, ...rest] = args;
    this.worker = new WorkerProcess(name, process.execPath, ["--import", "tsx", join(benchDir, "inference", file!), ...rest]);
  }

  private request(request: InferenceRequest): Promise<Record<string, unknown>> {
    return this.worker.request(request);
  }

  async info(): Promise<string> {
    return String((await this.request({ op: "info" }))["version"]);
  }

  async setup(shape: string): Promise<void> {
    await this.request({ op: "setup", shape });
  }

  async outputs(): Promise<OutputsResponse> {
    return (await this.request({ op: "outputs" })) as unknown as OutputsResponse;
  }

  async time(mode: InferenceMode, runs: number): Promise<InferenceTimeResponse> {
    return (await this.request({ op: "time", mode, runs })) as unknown as InferenceTimeResponse;
  }

  cpuSeconds(): number | undefined {
    return this.worker.cpuSeconds();
  }

  close(): void {
    this.worker.close();
  }
}
