import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, totalmem, release } from "node:os";
import { repoRoot } from "./shapes.ts";

export interface MachineInfo {
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  /** The SIMD extensions that decide which kernels PyTorch and TF.js wasm can use. */
  readonly simd: string;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly v8: string;
  /** The commit the numbers belong to; "+dirty" when the work tree has uncommitted changes. */
  readonly commit: string;
}

/** The CPU's model name and /proc/cpuinfo flags (empty off Linux). */
export function cpuInfo(): { model: string; flags: Set<string> } {
  try {
    const text = readFileSync("/proc/cpuinfo", "utf8");
    const model = /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim();
    const flags = new Set((/^flags\s*:\s*(.+)$/m.exec(text)?.[1] ?? "").split(/\s+/));
    return { model: model ?? cpus()[0]?.model ?? "unknown", flags };
  } catch {
    return { model: cpus()[0]?.model ?? "unknown", flags: new Set() };
  }
}

/** Read-only git queries: which commit, and whether the tree differs from it. */
function commit(): string {
  const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, encoding: "utf8" });
  if (head.status !== 0) return "unknown";
  const status = spawnSync("git", ["--no-optional-locks", "status", "--porcelain", "--untracked-files=no"], { cwd: repoRoot, encoding: "utf8" });
  return `${head.stdout.trim()}${status.stdout.trim() === "" ? "" : "+dirty"}`;
}

export function machineInfo(): MachineInfo {
  const { model, flags } = cpuInfo();
  const simd = ["avx512f", "avx2", "fma", "avx", "sse4_2"].filter((flag) => flags.has(flag)).join(" ") || "unknown";
  return {
    date: new Date().toISOString(),
    cpu: model,
    cores: cpus().length,
    simd,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    node: process.versions.node,
    v8: process.versions.v8,
    commit: commit(),
  };
}
