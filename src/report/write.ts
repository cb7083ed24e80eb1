import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { writeFilesAtomically, type PlannedWrite } from "../cli/atomic-write.ts";
import { displayPath, type Io } from "../cli/io.ts";
import { checkSavePath, type NamedInput } from "../cli/output-path.ts";
import { collectRun, type FinishedRun } from "./collect.ts";
import { reportDiag } from "./diagnostics.ts";
import { metricsJsonLines } from "./metrics-jsonl.ts";
import { reportHtml } from "./page.ts";

/** `train --report run.html` and `--metrics-out run.jsonl`. */
export interface ReportPaths {
  readonly report?: string;
  readonly metricsOut?: string;
}

const sameFile = (io: Io, a: string, b: string): boolean => {
  const [first, second] = [resolve(io.cwd, a), resolve(io.cwd, b)];
  if (first === second) return true;
  try {
    const [x, y] = [statSync(first), statSync(second)];
    return x.dev === y.dev && x.ino === y.ino; // a link to the other output
  } catch {
    return false; // one of them does not exist yet, and different paths then name different files
  }
};

/**
 * Checked before the first epoch, as `--save` is: each output can be written and is none of the run's inputs
 * (RNNC0004, RNNC0102), and no two outputs name the same file (RNNC0160).
 */
export function checkReportPaths(io: Io, paths: ReportPaths & { readonly save?: string }, inputs: readonly NamedInput[]): Diagnostic | undefined {
  const outputs = [
    { flag: "--report", path: paths.report, example: "run.html" },
    { flag: "--metrics-out", path: paths.metricsOut, example: "run.jsonl" },
  ].flatMap(({ flag, path, example }) => (path === undefined ? [] : [{ flag, path, example }]));
  for (const output of outputs) {
    const problem = checkSavePath(io, output.path, inputs, output);
    if (problem !== undefined) return problem;
  }
  const all = [...(paths.save === undefined ? [] : [{ flag: "--save", path: paths.save }]), ...outputs];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const [a, b] = [all[i]!, all[j]!];
      if (sameFile(io, a.path, b.path)) return reportDiag.outputClash({ file: displayPath(io, b.path), line: 1, column: 1 }, a.flag, b.flag, displayPath(io, b.path));
    }
  }
  return undefined;
}

/**
 * Writes the report and the metrics at the end of a run (also one that diverged: they then show the epochs up to
 * it), both or neither, atomically. Nothing is computed when neither was asked for.
 */
export async function writeReports(io: Io, paths: ReportPaths, run: FinishedRun): Promise<Diagnostic | undefined> {
  if (paths.report === undefined && paths.metricsOut === undefined) return undefined;
  const record = collectRun(io, run);
  const writes: PlannedWrite[] = [];
  if (paths.report !== undefined) writes.push({ path: paths.report, content: reportHtml(record) });
  if (paths.metricsOut !== undefined) writes.push({ path: paths.metricsOut, content: metricsJsonLines(record) });
  return writeFilesAtomically(io, writes, { createFolders: false });
}
