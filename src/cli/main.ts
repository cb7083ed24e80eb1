import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { compilerVersion } from "../compile.ts";
import { escapeOutput, escapeText } from "../diagnostics/escape.ts";
import { summaryCommand } from "./summary-command.ts";
import { benchCommand } from "./bench-command.ts";
import { compileCommand } from "./compile-command.ts";
import { exitCodes } from "./exit-codes.ts";
import { exportCommand } from "./export-command.ts";
import { Interrupted, signalExitCodes, signalForExitCode } from "./interrupts.ts";
import type { Io } from "./io.ts";
import { evaluateCommand } from "./evaluate-command.ts";
import { predictCommand } from "./predict-command.ts";
import { enableRelaxedSimd } from "./relaxed-simd.ts";
import { sampleCommand } from "./sample-command.ts";
import { trainCommand } from "./train-command.ts";
import { threadsOption } from "./threads-option.ts";

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) throw new InvalidArgumentError("expected a positive integer");
  return parsed;
}

function temperature(value: string): number {
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || parsed < 0 || parsed > 1000) throw new InvalidArgumentError("expected a number from 0 to 1000");
  return parsed;
}

function seedNumber(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed > 0xffffffff) throw new InvalidArgumentError("expected an integer from 0 to 4294967295");
  return parsed;
}

function byteCount(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) throw new InvalidArgumentError("expected a number of bytes");
  return parsed;
}

/** What a spec's `data.csv` may read (src/cli/data-path.ts). */
const allowExternalDataOption = () => new Option("--allow-external-data", "let the spec's data.csv name a file outside its project (the nearest folder with package.json or .git)").default(false);
const maxDataBytesOption = () => new Option("--max-data-bytes <n>", "the largest CSV read, in bytes (default 268435456, 256 MiB)").argParser(byteCount);
const diagnosticsOption = () => new Option("--diagnostics <format>", "how to print errors").choices(["text", "json"]).default("text");
const debugOption = () => new Option("--debug", "print stack traces of internal errors");

function program(io: Io, setExit: (code: number) => void): Command {
  const root = new Command("rnnc")
    .description("Compile declarative sequence-model specs into readable, self-contained TypeScript trainers")
    .version(compilerVersion)
    .exitOverride()
    // Commander echoes arguments back ("unknown option '…'"): escaped, as all user text is.
    .configureOutput({ writeOut: (text) => io.stdout(escapeOutput(text)), writeErr: (text) => io.stderr(escapeOutput(text)) });

  root
    .command("compile")
    .description("generate <out-dir>/<name>.ts for each spec")
    .argument("<specs...>", "spec files (YAML)")
    .option("--out-dir <dir>", "where generated modules go", "generated")
    .option("--check", "write nothing; exit 1 if any generated file is missing or stale", false)
    .option("--dump-ir", "write nothing; print each spec's IR, every tensor with its inferred shape", false)
    .addOption(new Option("--precision <type>", "storage type of the generated code").choices(["float32", "float64"]).default("float32"))
    .addOption(new Option("--emit <language>", "js: also write <name>.js (an ES module) and <name>.d.ts beside the TypeScript").choices(["ts", "js"]).default("ts"))
    .option("--target <target>", "training: forward, backward and optimizer (<name>.ts, the default); inference: forward and streaming only; pytorch: <name>.py, a PyTorch training script")
    .addOption(diagnosticsOption())
    .addOption(debugOption())
    .addOption(allowExternalDataOption())
    .addOption(maxDataBytesOption())
    .action(async (specs: string[], options: { outDir: string; check: boolean; dumpIr: boolean; precision: "float32" | "float64"; emit: "ts" | "js"; target?: string; diagnostics: "text" | "json"; allowExternalData: boolean; maxDataBytes?: number }) => {
      setExit(await compileCommand(io, specs, options));
    });

  root
    .command("train")
    .description("compile a spec in memory and train it")
    .argument("<spec>", "spec file (YAML)")
    .option("--init <weights.safetensors>", "start from these weights (PyTorch state_dict names) instead of a seeded init")
    .option("--resume <checkpoint.safetensors>", "continue the run saved there: weights, optimizer state, schedule, epoch, generators; --epochs is the total to reach")
    .option("--data <data.safetensors>", "training data: one tensor per spec input, [N, …]; default: the seed's dummy data")
    .option("--epochs <n>", "override the spec's epoch count", positiveInteger)
    .option("--save <weights.safetensors>", "write the trained weights (atomically)")
    .option("--quiet", "no progress display on stderr (a bar on a terminal, else a line per epoch)", false)
    .option("--report <run.html>", "write a self-contained HTML report of the run: curves, evaluation, model summary")
    .option("--metrics-out <run.jsonl>", "write the run's numbers as JSON lines: one per epoch, per evaluation, then a summary")
    .addOption(new Option("--log-format <format>", "per-epoch log lines").choices(["text", "json"]).default("text"))
    .addOption(threadsOption())
    .addOption(diagnosticsOption())
    .addOption(debugOption())
    .addOption(allowExternalDataOption())
    .addOption(maxDataBytesOption())
    .action(
      async (
        spec: string,
        options: { init?: string; resume?: string; data?: string; epochs?: number; save?: string; report?: string; metricsOut?: string; quiet: boolean; logFormat: "text" | "json"; threads?: number | "auto"; diagnostics: "text" | "json"; allowExternalData: boolean; maxDataBytes?: number },
      ) => {
        setExit(await trainCommand(io, spec, options));
      },
    );
  root
    .command("predict")
    .description("predict from every window of a CSV, or classify text, with trained weights")
    .argument("<spec>", "spec file (YAML) with a data section")
    .requiredOption("--weights <checkpoint.safetensors>", "weights saved by `rnnc train --save` (they carry the normalisation, or the vocabulary and labels)")
    .option("--csv <file.csv>", "the rows to predict from; default: the spec's data.csv")
    .option("--last <n>", "only the last n windows (the newest forecasts)", positiveInteger)
    .option("--text <text>", "text models: classify this one sample")
    .option("--file <file.txt>", "text models: classify every line of this file")
    .addOption(new Option("--format <format>", "output lines").choices(["text", "json"]).default("text"))
    .addOption(diagnosticsOption())
    .addOption(debugOption())
    .addOption(allowExternalDataOption())
    .addOption(maxDataBytesOption())
    .action(
      async (
        spec: string,
        options: { weights: string; csv?: string; last?: number; text?: string; file?: string; format: "text" | "json"; diagnostics: "text" | "json"; allowExternalData: boolean; maxDataBytes?: number },
      ) => {
        setExit(await predictCommand(io, spec, options));
      },
    );
  root
    .command("evaluate")
    .description("loss and metrics of trained weights on labelled data: accuracy, per-class precision and recall and a confusion matrix, or MAE and RMSE")
    .argument("<spec>", "spec file (YAML)")
    .requiredOption("--weights <checkpoint.safetensors>", "weights saved by `rnnc train --save` (their class names and normalisation are used, never refitted)")
    .option("--data <data.safetensors>", "labelled samples: one tensor per spec input, [N, …], as `train --data` reads; evaluated whole")
    .option("--csv <file.csv>", "rows with the spec's columns; default: the spec's data.csv")
    .addOption(new Option("--split <split>", "which windows of the CSV, by the spec's split fractions (default: all with --csv, test without)").choices(["train", "validation", "test", "all"]))
    .addOption(new Option("--format <format>", "output").choices(["text", "json"]).default("text"))
    .addOption(diagnosticsOption())
    .addOption(debugOption())
    .addOption(allowExternalDataOption())
    .addOption(maxDataBytesOption())
    .action(
      async (
        spec: string,
        options: { weights: string; data?: string; csv?: string; split?: "train" | "validation" | "test" | "all"; format: "text" | "json"; diagnostics: "text" | "json"; allowExternalData: boolean; maxDataBytes?: number },
      ) => {
        setExit(await evaluateCommand(io, spec, options));
      },
    );
  root
    .command("sample")
    .description("write new samples with a trained language model, one per line")
    .argument("<spec>", "spec file (YAML) of a language model with a `data.text` section")
    .requiredOption("--weights <checkpoint.safetensors>", "weights saved by `rnnc train --save` (they carry the vocabulary)")
    .option("--prefix <text>", "start every sample with this text", "")
    .option("--count <n>", "how many samples", positiveInteger, 10)
    .option("--temperature <t>", "divide the logits by t before sampling: below 1 safer, above 1 more adventurous, 0 always the likeliest", temperature, 1)
    .option("--max-length <n>", "stop a sample at this many tokens (default: the max_length it was trained with)", positiveInteger)
    .option("--seed <n>", "seed of the sampling generator (default: the spec's train.seed)", seedNumber)
    .addOption(diagnosticsOption())
    .addOption(debugOption())
    .action(async (spec: string, options: { weights: string; prefix: string; count: number; temperature: number; maxLength?: number; seed?: number; diagnostics: "text" | "json" }) => {
      setExit(await sampleCommand(io, spec, options));
    });
  root
    .command("summary")
    .description("print every layer with its output shape and parameters, and the model's totals (memory, FLOPs)")
    .argument("<spec>", "spec file (YAML)")
    .option("--json", "print the summary as JSON", false)
    .addOption(new Option("--target <target>", "also report the memory of the module compiled for this target").choices(["training", "inference"]))
    .addOption(diagnosticsOption())
    .addOption(debugOption())
    .action(async (spec: string, options: { json: boolean; target?: "training" | "inference"; diagnostics: "text" | "json" }) => {
      setExit(await summaryCommand(io, spec, options));
    });
  root
    .command("export")
    .description("write the model with trained weights in another format: ONNX (for onnxruntime and other runtimes)")
    .argument("<spec>", "spec file (YAML)")
    .requiredOption("--weights <weights.safetensors>", "trained weights (PyTorch state_dict names), e.g. from `rnnc train --save`")
    .requiredOption("-o, --output <file>", "the file to write (atomically), e.g. model.onnx")
    .option("--format <format>", "output format: onnx", "onnx")
    .option("--softmax", "classifiers: end in Softmax over the last axis, so the output is class probabilities instead of logits", false)
    .addOption(diagnosticsOption())
    .addOption(debugOption())
    .action(async (spec: string, options: { weights: string; output: string; format: string; softmax: boolean; diagnostics: "text" | "json" }) => {
      setExit(await exportCommand(io, spec, options));
    });
  root
    .command("bench")
    .description("time training steps of one spec's trainer")
    .argument("<spec>", "spec file (YAML)")
    .option("--steps <n>", "timed steps", positiveInteger, 200)
    .option("--json", "print only the JSON line", false)
    .addOption(threadsOption())
    .addOption(diagnosticsOption())
    .addOption(debugOption())
    .action(async (spec: string, options: { steps: number; json: boolean; threads?: number | "auto"; diagnostics: "text" | "json" }) => {
      setExit(await benchCommand(io, spec, options));
    });
  return root;
}

/** Runs the CLI; returns the exit code. Never throws: bugs become exit 70 with a request to report them. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let exitCode: number = exitCodes.ok;
  try {
    await program(io, (code) => (exitCode = code)).parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version succeed; help shown because no command was given (commander.help) is a usage error.
      const informational = error.code === "commander.helpDisplayed" || error.code === "commander.version";
      return informational ? exitCodes.ok : exitCodes.userError;
    }
    if (error instanceof Interrupted) {
      io.stderr(`rnnc: ${error.message}\n`);
      return signalExitCodes[error.signal];
    }
    io.stderr(`rnnc: internal error: ${escapeText(error instanceof Error ? error.message : String(error))}\nThis is a bug in rnnc; please report it with the command you ran.\n`);
    if (argv.includes("--debug") && error instanceof Error && error.stack !== undefined) io.stderr(`${escapeOutput(error.stack)}\n`);
    return exitCodes.internalError;
  }
}

/** Entry point for the bins. */
export async function main(argv: readonly string[]): Promise<void> {
  enableRelaxedSimd(); // before any generated trainer loads: it picks its kernels then
  // A reader that goes away (`rnnc … | head`) is not an error: stop quietly, as Unix tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const noColor = (process.env["NO_COLOR"] ?? "") !== "";
  const io: Io = {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    ...(process.stderr.isTTY ? { terminal: { stream: process.stderr, color: !noColor } } : {}),
  };
  process.exitCode = await run(argv, io);
  // Interrupted while writing (temporaries already removed): die of the same signal, as if no handler had been
  // installed, so that a shell sees 130 or 143 and a script running rnnc stops too.
  const signal = signalForExitCode(process.exitCode);
  if (signal !== undefined) process.kill(process.pid, signal);
}
