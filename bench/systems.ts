import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { Timer, TimeResult } from "./measure.ts";
import type { BenchShape, BlasResponse, InfoResponse, Request, TimeFrom, TimeResponse } from "./protocol.ts";
import { benchDir } from "./shapes.ts";
import { WorkerProcess } from "./worker-process.ts";

/**
 * `torch` runs on one thread like the others; `torch-2t` is PyTorch on two cores, for reference (see torchThreads);
 * `rnnc-2t` is rnnc on two threads (train.threads: 2, src/emit/threads), beside it.
 */
export const systemNames = ["rnnc", "rnnc-2t", "tfjs-cpu", "tfjs-wasm", "torch", "torch-2t"] as const;
export type SystemName = (typeof systemNames)[number];

export function isTorch(name: string): boolean {
  return name === "torch" || name === "torch-2t";
}

/** One system under test, running in its own process and spoken to through bench/protocol.ts. */
export class SystemProcess implements Timer {
  private readonly worker: WorkerProcess;

  constructor(
    readonly name: SystemName,
    command: string,
    args: readonly string[],
    /** Added to this process's environment; an undefined value removes the variable. */
    environment: Readonly<Record<string, string | undefined>> = {},
  ) {
    this.worker = new WorkerProcess(name, command, args, environment);
  }

  private request(request: Request): Promise<Record<string, unknown>> {
    return this.worker.request(request);
  }

  async info(): Promise<string> {
    return ((await this.request({ op: "info" })) as unknown as InfoResponse).version;
  }

  async setup(shape: BenchShape): Promise<void> {
    await this.request({ op: "setup", shape });
  }

  async time(steps: number, from: TimeFrom = "init"): Promise<TimeResult> {
    const { usPerStep, loss, liveTensors } = (await this.request({ op: "time", steps, from })) as unknown as TimeResponse;
    return liveTensors === undefined ? { usPerStep, loss } : { usPerStep, loss, liveTensors };
  }

  /** Trains `steps` steps from the initial state, untimed, and keeps the state reached for time(…, "snapshot"). */
  async snapshot(steps: number): Promise<void> {
    await this.request({ op: "snapshot", steps });
  }

  /** PyTorch only: the BLAS it has mapped and a size × size matmul's GFLOP/s over about `seconds`. */
  async blas(size: number, seconds: number): Promise<BlasResponse> {
    return (await this.request({ op: "blas", size, seconds })) as unknown as BlasResponse;
  }

  /** CPU seconds the process has used so far (Linux), to tell our load from other processes'. */
  cpuSeconds(): number | undefined {
    return this.worker.cpuSeconds();
  }

  close(): void {
    this.worker.close();
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

/** How to start PyTorch: the interpreter, and the BLAS kernels bench/blas.ts chose (OPENBLAS_CORETYPE). */
export interface TorchLaunch {
  readonly python: string;
  readonly environment: Readonly<Record<string, string | undefined>>;
}

/** PyTorch's intra-op threads (torch.set_num_threads) and its BLAS's (OPENBLAS_NUM_THREADS). */
export interface TorchThreads {
  readonly torch: number;
  readonly blas: number;
}

/**
 * `torch`: one thread each, like rnnc and TF.js. `torch-2t`, PyTorch on both cores of the project's machine, puts the
 * second thread where it paid on 6 shapes measured there: in the BLAS. With PyTorch's threads at 2 as well it was as
 * fast or slower on every shape (seed 1.3×, gru-medium 1.2× slower), and with PyTorch's at 2 over a 1-thread BLAS no
 * faster than one thread at all, since the products, most of the time, stay in one BLAS call.
 */
export const torchThreads: Readonly<Record<"torch" | "torch-2t", TorchThreads>> = {
  torch: { torch: 1, blas: 1 },
  "torch-2t": { torch: 1, blas: 2 },
};

/**
 * A PyTorch worker. Threads that wait sleep rather than spin (OMP_WAIT_POLICY=PASSIVE): PyTorch's 2 OpenMP threads
 * over OpenBLAS's 2 spinning made lstm-medium 4× slower than with passive waiting, and under load from other
 * processes, 2 PyTorch threads alone were 5–12× slower; with one thread it makes no difference.
 */
export function startTorch(name: SystemName, torch: TorchLaunch, threads: TorchThreads): SystemProcess {
  const environment = { ...torch.environment, OPENBLAS_NUM_THREADS: String(threads.blas), OMP_WAIT_POLICY: "PASSIVE" };
  return new SystemProcess(name, torch.python, [join(benchDir, "torch_bench.py"), "--serve", "--threads", String(threads.torch)], environment);
}

export function startSystem(name: SystemName, torch: TorchLaunch | undefined): SystemProcess {
  // Node workers run through tsx's loader in a plain `node`, which starts faster than the npx wrapper.
  const node = (file: string, ...args: string[]) => new SystemProcess(name, process.execPath, ["--import", "tsx", join(benchDir, file), ...args]);
  switch (name) {
    case "rnnc":
      return node("rnnc-worker.ts");
    case "rnnc-2t":
      return node("rnnc-worker.ts", "--threads", "2");
    case "tfjs-cpu":
      return node("tfjs.ts", "--serve", "--backend", "cpu");
    case "tfjs-wasm":
      return node("tfjs.ts", "--serve", "--backend", "wasm");
    case "torch":
    case "torch-2t":
      if (torch === undefined) throw new Error(`${name} needs a python that can import torch`);
      return startTorch(name, torch, torchThreads[name]);
  }
}
