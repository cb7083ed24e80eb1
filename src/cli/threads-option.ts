import { InvalidArgumentError, Option } from "commander";

/** `--threads N|auto`: overrides the spec's train.threads (src/emit/threads); the spec is compiled in memory with it. */
export const threadsOption = (): Option =>
  new Option("--threads <n|auto>", "threads sharing the matrix products: a count, or auto for the cores available (default: the spec's train.threads)").argParser(threadsValue);

export function threadsValue(value: string): number | "auto" {
  if (value === "auto") return "auto";
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1 || parsed > 64) throw new InvalidArgumentError("expected auto or a number of threads from 1 to 64");
  return parsed;
}
