import type { Preprocessing } from "../data/index.ts";
import { parsePreprocessing } from "../data/preprocessing-schema.ts";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import type { DataSource } from "../ir/types.ts";
import type { GeneratedModule } from "../runtime/generated-module.ts";

/** At most this many problems are reported per checkpoint; an edited file can have thousands. */
const maxProblems = 10;

/**
 * The preprocessing a checkpoint carries, checked twice: against its JSON Schema (types, finite statistics, positive
 * standard deviations), then against the spec it is loaded for (the same features, target, window, horizon,
 * transform and normalisation, as many labels as the model has classes). `stored` is the raw metadata string.
 */
export function checkedPreprocessing(stored: string, source: DataSource | undefined, module: GeneratedModule, at: SourcePosition): { preprocessing?: Preprocessing; diagnostics: Diagnostic[] } {
  const parsed = parsePreprocessing(stored);
  if (parsed.preprocessing === undefined) return { diagnostics: capped(parsed.problems).map((problem) => diag.checkpointMetadata(at, problem)) };
  const disagreements = source === undefined ? ["it carries preprocessing for CSV data, but this spec has no `data` section"] : compare(parsed.preprocessing, source, module);
  if (disagreements.length === 0) return { preprocessing: parsed.preprocessing, diagnostics: [] };
  return {
    diagnostics: capped(disagreements).map((message) =>
      diag.checkpointMismatch(at, `the checkpoint's preprocessing disagrees with the spec: ${message}`, "use the spec these weights were trained from, or train again with this one"),
    ),
  };
}

function capped(problems: readonly string[]): string[] {
  if (problems.length <= maxProblems) return [...problems];
  return [...problems.slice(0, maxProblems - 1), `${problems[maxProblems - 1] ?? ""} (and ${problems.length - maxProblems} more)`];
}

function compare(stored: Preprocessing, source: DataSource, module: GeneratedModule): string[] {
  const config = source.config;
  const problems: string[] = [];
  const same = (key: string, ours: unknown, theirs: unknown, specKey: string) => {
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) problems.push(`its ${key} is ${JSON.stringify(theirs)}, the spec's \`${specKey}\` is ${JSON.stringify(ours)}`);
  };
  if (stored.task !== source.task) problems.push(`it is for ${stored.task}, but the spec's loss (\`${module.LOSS.op}\`) makes this ${source.task}`);
  same("features", config.features, stored.features, "data.features");
  same("target", config.target, stored.target, "data.target");
  same("window", config.window, stored.window, "data.window");
  same("horizon", config.horizon, stored.horizon, "data.horizon");
  same("transform", config.transform, stored.transform, "data.transform");
  same("normalize", config.normalize, stored.normalize, "data.normalize");
  if (stored.normalize === "none" && (stored.featureMean.some((m) => m !== 0) || stored.featureStd.some((s) => s !== 1))) {
    problems.push("with `normalize: none` the feature statistics must be 0 and 1");
  }
  if (module.LOSS.task === "classification" && stored.labels !== undefined && stored.labels.length !== module.LOSS.classes) {
    problems.push(`it names ${stored.labels.length} classes, but \`${module.LOSS.input}\` predicts ${module.LOSS.classes}`);
  }
  return problems;
}
