import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { processCpuSeconds } from "../load.ts";
import { benchDir, repoRoot } from "../shapes.ts";
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
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly responses: AsyncIterator<string>;
  private readonly stderr: string[] = [];

  constructor(readonly name: InferenceSystemName) {
    const args = name === "rnnc" ? ["rnnc-worker.ts"] : ["ort-worker.ts", "--threads", name === "ort-wasm" ? "1" : "2"];
    const [file, ...rest] = args;
    this.child = spawn(process.execPath, ["--import", "tsx", join(benchDir, "inference", file!), ...rest], { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr.setEncoding("utf8").on("data", (text: string) => {
      for (const line of text.split("\n")) if (line.trim() !== "") this.stderr.push(line);
      this.stderr.splice(0, this.stderr.length - 20);
    });
    this.responses = createInterface({ input: this.child.stdout, crlfDelay: Infinity })[Symbol.asyncIterator]();
  }

  private async request(request: InferenceRequest): Promise<Record<string, unknown>> {
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
    for (;;) {
      const next = await this.responses.next();
      if (next.done === true) throw new Error(`${this.name} exited during ${request.op}:\n${this.stderr.join("\n")}`);
      if (!next.value.startsWith("{")) continue; // a library's own output, not ours
      const response = JSON.parse(next.value) as Record<string, unknown>;
      if (response["ok"] !== true) throw new Error(`${this.name} failed ${request.op}: ${String(response["error"])}`);
      return response;
    }
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
    return processCpuSeconds(this.child.pid);
  }

  close(): void {
    this.child.stdin.end();
  }
}
