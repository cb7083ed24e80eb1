import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { processCpuSeconds } from "./load.ts";
import type { Timer, TimeResult } from "./measure.ts";
import type { BenchShape, InfoResponse, Request, TimeResponse } from "./protocol.ts";
import { benchDir, repoRoot } from "./shapes.ts";

export const systemNames = ["rnnc", "tfjs-cpu", "tfjs-wasm", "torch"] as const;
export type SystemName = (typeof systemNames)[number];

/** One system under test, running in its own process and spoken to through bench/protocol.ts. */
export class SystemProcess implements Timer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly responses: AsyncIterator<string>;
  private readonly stderr: string[] = [];

  constructor(
    readonly name: SystemName,
    command: string,
    args: readonly string[],
  ) {
    this.child = spawn(command, args, { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"] });
    // The last stderr lines explain a crash; otherwise (e.g. TF.js's "install tfjs-node" banner) they are not shown.
    this.child.stderr.setEncoding("utf8").on("data", (text: string) => {
      for (const line of text.split("\n")) if (line.trim() !== "") this.stderr.push(line);
      this.stderr.splice(0, this.stderr.length - 20);
    });
    this.responses = createInterface({ input: this.child.stdout, crlfDelay: Infinity })[Symbol.asyncIterator]();
  }

  private async request(request: Request): Promise<Record<string, unknown>> {
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
    for (;;) {
      const next = await this.responses.next();
      if (next.done === true) throw new Error(`${this.name} exited during ${request.op}:\n${this.stderr.join("\n")}`);
      // Only protocol lines start with "{"; anything else a library prints to stdout is not ours to parse.
      if (!next.value.startsWith("{")) continue;
      const response = JSON.parse(next.value) as Record<string, unknown>;
      if (response["ok"] !== true) throw new Error(`${this.name} failed ${request.op}: ${String(response["error"])}`);
      return response;
    }
  }

  async info(): Promise<string> {
    return ((await this.request({ op: "info" })) as unknown as InfoResponse).version;
  }

  async setup(shape: BenchShape): Promise<void> {
    await this.request({ op: "setup", shape });
  }

  async time(steps: number): Promise<TimeResult> {
    const { usPerStep, loss, liveTensors } = (await this.request({ op: "time", steps })) as unknown as TimeResponse;
    return liveTensors === undefined ? { usPerStep, loss } : { usPerStep, loss, liveTensors };
  }

  /** CPU seconds the process has used so far (Linux), to tell our load from other processes'. */
  cpuSeconds(): number | undefined {
    return processCpuSeconds(this.child.pid);
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** The interpreter that can `import torch`: /usr/bin/python3 first (where PyTorch is installed here), then python3. */
export function findTorchPython(): { python: string } | { missing: string } {
  const tried: string[] = [];
  for (const python of ["/usr/bin/python3", "python3"]) {
    const probe = spawnSync(python, ["-c", "import torch"], { encoding: "utf8", timeout: 60_000 });
    if (probe.status === 0) return { python };
    tried.push(`${python}: ${probe.error?.message ?? probe.stderr.trim().split("\n").pop() ?? `exit ${probe.status}`}`);
  }
  return { missing: `PyTorch skipped: no python3 can import torch (${tried.join("; ")})` };
}

export function startSystem(name: SystemName, python: string | undefined): SystemProcess {
  // Node workers run through tsx's loader in a plain `node`, which starts faster than the npx wrapper.
  const node = (file: string, ...args: string[]) => new SystemProcess(name, process.execPath, ["--import", "tsx", join(benchDir, file), ...args]);
  switch (name) {
    case "rnnc":
      return node("rnnc-worker.ts");
    case "tfjs-cpu":
      return node("tfjs.ts", "--serve", "--backend", "cpu");
    case "tfjs-wasm":
      return node("tfjs.ts", "--serve", "--backend", "wasm");
    case "torch":
      if (python === undefined) throw new Error("torch needs a python that can import it");
      return new SystemProcess(name, python, [join(benchDir, "torch_bench.py"), "--serve"]);
  }
}
