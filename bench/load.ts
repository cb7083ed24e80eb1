import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * How busy the machine was with work that is not ours while we measured. On a shared 2-core box (other
 * sessions' test runs, a hypervisor stealing time) that is the main source of noise, so the report states it.
 * Linux only: elsewhere every figure is undefined and the report says nothing.
 */

const ticksPerSecond = (() => {
  const result = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const value = Number(result.stdout?.trim());
  return result.status === 0 && value > 0 ? value : 100;
})();

export interface CpuSnapshot {
  readonly atMs: number;
  /** All CPUs, seconds: user + nice + system + irq + softirq. */
  readonly busy: number;
  /** Seconds the hypervisor ran someone else while we wanted to run. */
  readonly steal: number;
}

export function cpuSnapshot(): CpuSnapshot | undefined {
  try {
    const fields = (/^cpu\s+(.+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1] ?? "").split(/\s+/).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return { atMs: performance.now(), busy: (user + nice + system + irq + softirq) / ticksPerSecond, steal: steal / ticksPerSecond };
  } catch {
    return undefined;
  }
}

/** user + system CPU seconds of a live process. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // The command name in field 2 may contain spaces; utime and stime are the 12th and 13th fields after it.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const after = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(after[11]) + Number(after[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

export interface ForeignLoad {
  /** Average cores kept busy by processes other than the benchmark's. */
  readonly otherCores: number;
  /** Average cores' worth of time stolen by the hypervisor. */
  readonly stealCores: number;
}

export function foreignLoad(start: CpuSnapshot | undefined, end: CpuSnapshot | undefined, ourCpuSeconds: number): ForeignLoad | undefined {
  if (start === undefined || end === undefined) return undefined;
  const seconds = (end.atMs - start.atMs) / 1000;
  if (seconds <= 0) return undefined;
  return {
    otherCores: Math.max(0, (end.busy - start.busy - ourCpuSeconds) / seconds),
    stealCores: (end.steal - start.steal) / seconds,
  };
}
