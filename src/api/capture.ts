import { enableRelaxedSimd } from "../cli/relaxed-simd.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Io } from "../cli/io.ts";

/** A JSON object as a command prints it with `--log-format json` or `--format json`. */
export type JsonObject = { readonly [key: string]: unknown };

/** What a command run in-process said: its exit code, its JSON output lines, and its diagnostics as values. */
export interface Captured {
  readonly exitCode: number;
  readonly records: readonly JsonObject[];
  readonly diagnostics: readonly Diagnostic[];
  /** Anything else a command wrote (never expected with JSON formats; kept rather than lost). */
  readonly messages: readonly string[];
}

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

const isDiagnostic = (value: unknown): value is Diagnostic =>
  isObject(value) && typeof value["code"] === "string" && typeof value["message"] === "string" && typeof value["line"] === "number" && typeof value["column"] === "number";

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Splits what arrives in pieces into whole lines. */
function lineSplitter(onLine: (line: string) => void): { write: (text: string) => void; end: () => void } {
  let pending = "";
  return {
    write: (text) => {
      const lines = (pending + text).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.trim() !== "") onLine(line);
    },
    end: () => {
      if (pending.trim() !== "") onLine(pending);
      pending = "";
    },
  };
}

/**
 * Runs a CLI command in-process with an Io that prints nothing: its JSON lines become records (each handed to
 * `onRecord` as it arrives, so a caller can follow training live), and the JSON arrays `--diagnostics json` writes
 * become diagnostic values. The API is the CLI's own code path, so both give the same results.
 */
export async function capture(cwd: string, command: (io: Io) => Promise<number>, onRecord?: (record: JsonObject) => void): Promise<Captured> {
  // the kernels the CLI runs (relaxed SIMD where the engine has it), so that the numbers are the CLI's to the bit
  enableRelaxedSimd();
  const records: JsonObject[] = [];
  const diagnostics: Diagnostic[] = [];
  const messages: string[] = [];
  const out = lineSplitter((line) => {
    const parsed = parseJson(line);
    if (!isObject(parsed)) return void messages.push(line);
    records.push(parsed);
    onRecord?.(parsed);
  });
  const err = lineSplitter((line) => {
    const parsed = parseJson(line);
    if (Array.isArray(parsed) && parsed.every(isDiagnostic)) diagnostics.push(...parsed);
    else messages.push(line);
  });
  const exitCode = await command({ cwd, stdout: out.write, stderr: err.write });
  out.end();
  err.end();
  return { exitCode, records, diagnostics, messages };
}
