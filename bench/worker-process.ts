import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { processCpuSeconds } from "./load.ts";
import { repoRoot } from "./shapes.ts";

/**
 * A benchmark worker in its own process, spoken to in JSON lines: one request on stdin, one `{"ok": …}` response on
 * stdout (bench/protocol.ts for training, bench/inference/protocol.ts for inference).
 */
export class WorkerProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly responses: AsyncIterator<string>;
  private readonly stderr: string[] = [];

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    /** Added to this process's environment; an undefined value removes the variable. */
    environment: Readonly<Record<string, string | undefined>> = {},
  ) {
    this.child = spawn(command, args, { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...environment } });
    // The last stderr lines explain a crash; otherwise (e.g. TF.js's "install tfjs-node" banner) they are not shown.
    this.child.stderr.setEncoding("utf8").on("data", (text: string) => {
      for (const line of text.split("\n")) if (line.trim() !== "") this.stderr.push(line);
      this.stderr.splice(0, this.stderr.length - 20);
    });
    this.responses = createInterface({ input: this.child.stdout, crlfDelay: Infinity })[Symbol.asyncIterator]();
  }

  /** Sends one request and resolves to its response; a failed request or a worker that exits rejects. */
  async request(request: { readonly op: string }): Promise<Record<string, unknown>> {
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

  /** CPU seconds the process has used so far (Linux), to tell our load from other processes'. */
  cpuSeconds(): number | undefined {
    return processCpuSeconds(this.child.pid);
  }

  close(): void {
    this.child.stdin.end();
  }
}
