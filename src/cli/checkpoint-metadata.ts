import type { Preprocessing } from "../data/index.ts";
import { parsePreprocessing } from "../data/preprocessing-schema.ts";
import { parseTextMetadata, type TextMetadata } from "../data/text/metadata.ts";
import type { TextDataSource } from "../data/text/source.ts";
import { specialTokens } from "../data/text/vocabulary.ts";
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

/**
 * A text model's metadata (vocabulary, labels, tokenisation), checked against its JSON Schema, then against the spec
 * it is loaded for: the same task, tokenisation, case and cut; as many labels (or vocabulary ids) as the loss has
 * classes; no more ids than the embedding has rows.
 */
export function checkedTextMetadata(stored: string, source: TextDataSource | undefined, module: GeneratedModule, at: SourcePosition): { metadata?: TextMetadata; diagnostics: Diagnostic[] } {
  const parsed = parseTextMetadata(stored);
  if (parsed.metadata === undefined) return { diagnostics: capped(parsed.problems).map((problem) => diag.checkpointMetadata(at, problem)) };
  const metadata = parsed.metadata;
  const problems: string[] = [];
  if (source === undefined) problems.push("it carries a text vocabulary, but this spec's `data` section does not read text");
  else {
    const config = source.config.text;
    const same = (key: string, ours: unknown, theirs: unknown, specKey: string) => {
      if (ours !== theirs) problems.push(`its ${key} is ${JSON.stringify(theirs)}, the spec's \`${specKey}\` makes it ${JSON.stringify(ours)}`);
    };
    same("task", source.task, metadata.task, "loss");
    same("tokenisation", config.tokens, metadata.tokens, "data.text.tokens");
    same("lowercase", config.lowercase, metadata.lowercase, "data.text.lowercase");
    same("max_length", source.maxLength, metadata.maxLength, "data.text.max_length");
    const classes = metadata.labels?.length ?? specialTokens.length + metadata.vocabulary.length;
    if (classes !== source.classes) problems.push(`it has ${classes} ${metadata.labels === undefined ? "vocabulary ids" : "labels"}, but \`${module.LOSS.input}\` predicts ${source.classes} classes`);
    const range = module.INPUTS.find((input) => input.name === source.tokensInput)?.range;
    const ids = specialTokens.length + metadata.vocabulary.length;
    if (range !== undefined && ids > range.max + 1) problems.push(`its vocabulary has ${ids} ids, but \`${source.tokensInput}\` takes ids below ${range.max + 1}`);
  }
  if (problems.length === 0) return { metadata, diagnostics: [] };
  return { diagnostics: capped(problems).map((message) => diag.checkpointMismatch(at, `the checkpoint's text metadata disagrees with the spec: ${message}`, "use the spec these weights were trained from, or train again with this one")) };
}
