import { run } from "../../src/cli/main.ts";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process in `cwd`, capturing what it prints. */
export async function runCli(argv: readonly string[], cwd: string = process.cwd()): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, { cwd, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

export { temporaryDirectory } from "./temporary.ts";
