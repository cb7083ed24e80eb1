import { architectureFingerprint } from "../runtime/fingerprint.ts";
import { compilerVersion } from "../compile.ts";
import { exportDiag, exportFormats, type ExportFormat } from "../export/diagnostics.ts";
import { exportOnnx, onnxOpset } from "../export/export-onnx.ts";
import { showType } from "../ir/types.ts";
import { writeFilesAtomically } from "./atomic-write.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { dataAccess } from "./data-path.ts";
import { exitCodes } from "./exit-codes.ts";
import { displayPath, type Io } from "./io.ts";
import { loadSpec } from "./load-spec.ts";
import { clobberedInput } from "./output-path.ts";
import { failWith, type DiagnosticsFormat } from "./report.ts";
import { textSpecOf } from "./text-source.ts";

export interface ExportCommandOptions {
  readonly weights: string;
  /** Checked here, not by commander, so that an unknown format is a coded diagnostic (RNNC0180). */
  readonly format: string;
  readonly output: string;
  readonly softmax: boolean;
  readonly diagnostics: DiagnosticsFormat;
}

const isFormat = (format: string): format is ExportFormat => (exportFormats as readonly string[]).includes(format);

/**
 * `rnnc export <spec> --weights W --format onnx -o model.onnx [--softmax]`: the spec compiled in memory, the weights
 * loaded and checked as `predict` loads them (the same architecture, finite values), exported, and written
 * atomically. Any error leaves the output as it was; the output may not be the spec or the weights.
 */
export async function exportCommand(io: Io, spec: string, options: ExportCommandOptions): Promise<number> {
  const fail = failWith(io, options.diagnostics);
  // Positioned at the argument itself, as `sample --prefix` positions a bad token.
  if (!isFormat(options.format)) return fail([exportDiag.unknownFormat({ file: "--format", line: 1, column: 1 }, options.format)]);
  const { loaded, diagnostics, sources } = await loadSpec(io, spec);
  if (loaded === undefined) return fail(diagnostics, sources);
  const clobbered = clobberedInput(io, options.output, [
    { role: "spec", path: spec },
    { role: "--weights file", path: options.weights },
  ]);
  if (clobbered !== undefined) return fail([clobbered]);

  const { module, graph, specPath } = loaded;
  const model = module.createModel();
  const text = graph.data === undefined ? textSpecOf(specPath, sources.get(specPath) ?? "", graph, dataAccess({})) : undefined;
  const checkpoint = loadCheckpoint(io, module, model, options.weights, graph.data, text?.source);
  if (checkpoint.info === undefined) return fail(checkpoint.diagnostics, sources);

  // What a consumer needs to feed the model and read its output, kept in the file (ONNX metadata_props).
  const { preprocessing, text: vocabulary } = checkpoint.info;
  const metadata: Record<string, string> = {
    "rnnc.model": module.MODEL_NAME,
    "rnnc.architecture_sha256": architectureFingerprint(module.PARAMETERS),
    "rnnc.spec_sha256": module.SPEC_SHA256,
    "rnnc.output": options.softmax ? "probabilities" : graph.loss.task === "classification" ? "logits" : "values",
    ...(preprocessing === undefined ? {} : { "rnnc.preprocessing": JSON.stringify(preprocessing) }),
    ...(vocabulary === undefined ? {} : { "rnnc.text": JSON.stringify(vocabulary) }),
  };
  const exported = exportOnnx(graph, model.parameters, { softmax: options.softmax, producerVersion: compilerVersion, metadata });
  if (exported.bytes === undefined) return fail(exported.diagnostics, sources);
  const written = await writeFilesAtomically(io, [{ path: options.output, content: exported.bytes }], { createFolders: false });
  if (written !== undefined) return fail([written]);

  const output = graph.layers.find((node) => node.id === graph.loss.input);
  const shape = output === undefined ? "" : ` [${showType(output.type).join(", ")}]`;
  io.stdout(`wrote ${displayPath(io, options.output)}: ONNX opset ${onnxOpset}, ${exported.bytes.length} bytes, output ${metadata["rnnc.output"]}${shape}\n`);
  return exitCodes.ok;
}
