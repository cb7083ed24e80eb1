import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { compile } from "../src/compile.ts";
import { median } from "./measure.ts";
import { repoRoot, specPathOf } from "./shapes.ts";

export interface CompileSpeed {
  readonly spec: string;
  /** Wall time of `node bin/compile.js <spec> --out-dir <tmp>` in a fresh process: what a user waits for. */
  readonly cliMedianMs: number;
  readonly cliRuns: number;
  /** `compile()` alone, in a warm process (≥ 1.5 s of calls first): the compiler's own cost without Node, tsx and module loading. */
  readonly inProcessMedianMs: number;
  readonly generatedLines: number;
}

/** At least this long of compile() calls before the timed ones (and at least five calls). */
const COMPILE_WARMUP_NS = 1_500_000_000n;

function timed<T>(run: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export function measureCompileSpeed(name: string, cliRuns: number, inProcessRuns: number): CompileSpeed {
  const specPath = specPathOf(name);
  const displayPath = relative(repoRoot, specPath);
  const outDir = mkdtempSync(join(tmpdir(), "rnnc-bench-"));
  try {
    const cliTimes: number[] = [];
    for (let run = 0; run < cliRuns; run++) {
      // A fresh output directory each time, so the CLI really writes rather than finding the file up to date.
      rmSync(outDir, { recursive: true, force: true });
      const { ms, value: result } = timed(() =>
        spawnSync(process.execPath, [join(repoRoot, "bin", "compile.js"), displayPath, "--out-dir", outDir], { cwd: repoRoot, encoding: "utf8" }),
      );
      if (result.status !== 0) throw new Error(`compiling ${displayPath} failed (exit ${result.status}):\n${result.stderr}`);
      cliTimes.push(ms);
    }
    const written = readdirSync(outDir);
    if (written.length !== 1) throw new Error(`compiling ${displayPath} wrote ${written.join(", ") || "nothing"}`);
    const generatedLines = readFileSync(join(outDir, written[0]!), "utf8").split("\n").length;

    const source = readFileSync(specPath, "utf8");
    // Warm up as the training systems do: the first call loads ajv's schema, ts-morph and friends, and V8 optimises
    // the compiler only after some calls (one warm-up call left the median of 20 at 100–110 ms in one run, 50–65 in the next).
    const warmStart = process.hrtime.bigint();
    for (let calls = 0; calls < 5 || process.hrtime.bigint() - warmStart < COMPILE_WARMUP_NS; calls++) compile(source, { specPath: displayPath });
    const inProcessTimes: number[] = [];
    for (let run = 0; run < inProcessRuns; run++) inProcessTimes.push(timed(() => compile(source, { specPath: displayPath })).ms);

    return { spec: name, cliMedianMs: median(cliTimes), cliRuns, inProcessMedianMs: median(inProcessTimes), generatedLines };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
