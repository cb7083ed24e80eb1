import { checkColumnRoles } from "../data/column-roles.ts";
import { isTextData, type TextDataConfig } from "../data/config.ts";
import { checkFractions } from "../data/split.ts";
import type { TextDataSource } from "../data/text/source.ts";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import { diag } from "../diagnostics/codes.ts";
import type { Spec } from "../spec/types.ts";
import type { Positions } from "./lower.ts";
import { showType, staticSize, type DataSource, type InputNode, type LayerNode, type Loss } from "./types.ts";

/**
 * Checks a spec's `data` section against the graph it feeds: the windows go to the one spec input the layers read,
 * which must be [batch, window, features]; the task follows from the loss; early stopping needs a validation split.
 */
export function lowerDataSource(spec: Spec, inputs: readonly InputNode[], layers: readonly LayerNode[], loss: Loss, positions: Positions, diagnostics: Diagnostic[]): DataSource | undefined {
  const config = spec.data;
  if (config === undefined) {
    if (spec.train.patience !== undefined) {
      diagnostics.push(diag.dataMismatch(positions.positionOf(["train", "patience"]), "early stopping needs a validation split, and only a `data` section has one", "add a `data:` section, or remove `patience`"));
    }
    return undefined;
  }
  if (isTextData(config)) {
    describeTextData({ ...spec, data: config }, inputs, layers, loss, positions, diagnostics);
    return undefined; // text data is read by the CLI from this same description (src/cli/text-source.ts)
  }
  const at = positions.positionOf(["data"]);
  const read = inputs.filter((input) => layers.some((node) => node.input === input.id));
  const featureInput = read[0];
  if (read.length !== 1 || featureInput === undefined) {
    diagnostics.push(diag.dataMismatch(at, `a \`data\` section feeds one input, but the graph reads ${read.length}`, "read the windows through one input like `x: { shape: [batch, window, features], dtype: float32 }`"));
    return undefined;
  }
  const [, seq, features] = featureInput.type.dims;
  const expected = `[batch, ${config.window}, ${config.features.length}]`;
  if (featureInput.type.dims.length !== 3 || seq === undefined || staticSize(seq) !== config.window) {
    diagnostics.push(
      diag.dataMismatch(positions.positionOf(["data", "window"]), `the windows are ${config.window} steps long, but \`${featureInput.id}\` is [${showType(featureInput.type).join(", ")}]`, `declare \`${featureInput.id}\` as ${expected}`),
    );
  } else if (features === undefined || staticSize(features) !== config.features.length) {
    diagnostics.push(
      diag.dataMismatch(positions.positionOf(["data", "features"]), `${config.features.length} feature columns are named, but \`${featureInput.id}\` has ${features === undefined ? "no" : staticSize(features)} features per step`, `declare \`${featureInput.id}\` as ${expected}`),
    );
  }
  const task = loss.task;
  diagnostics.push(...checkColumnRoles(config, task, (path) => positions.positionOf(path)));
  // A pure property of the spec: reported now, at `split`, not when `train` has read the CSV.
  diagnostics.push(...checkFractions(config.split, positions.positionOf(["data", "split"])));
  if (task === "regression" && loss.width !== 1) {
    diagnostics.push(diag.dataMismatch(positions.positionOf(["loss", "input"]), `a CSV target is one number per window, but \`${loss.input}\` predicts ${loss.width}`, "end the graph with `linear` of `out_features: 1`"));
  }
  if (spec.train.patience !== undefined && config.split.validation === 0) {
    diagnostics.push(diag.dataMismatch(positions.positionOf(["train", "patience"]), "early stopping needs a validation split, but `data.split.validation` is 0", "give the validation split a fraction, or remove `patience`"));
  }
  return { config, task, featureInput: featureInput.id, at, csvAt: positions.positionOf(["data", "csv"]), targetAt: positions.positionOf(["data", "target"]) };
}

const textSourceKeys = ["files", "file", "csv"] as const;

/**
 * Checks a `data.text` section against the graph it feeds and says which input receives what. The task follows from
 * the loss's target: [batch] labels make a classifier, [batch, seq] next tokens a language model. Inputs are found by
 * role, not name: the int32 [batch, seq] input the layers read holds token ids, an int32 [batch] one lengths.
 */
export function describeTextData(spec: Spec & { readonly data: TextDataConfig }, inputs: readonly InputNode[], layers: readonly LayerNode[], loss: Loss, positions: Positions, diagnostics: Diagnostic[]): TextDataSource | undefined {
  const config = spec.data;
  const text = config.text;
  const at = (path: readonly (string | number)[]) => positions.positionOf(path);
  const before = diagnostics.length;
  const given = textSourceKeys.filter((key) => text[key] !== undefined);
  const sourceKey = given[0];
  if (sourceKey === undefined) diagnostics.push(diag.textDataOption(at(["data", "text"]), "`data.text` names no samples", "add `files:` (a file per class), `file:` (a language model's text) or `csv:` with `column:`"));
  for (const extra of given.slice(1)) diagnostics.push(diag.textDataOption(at(["data", "text", extra]), `\`data.text\` takes one of \`files\`, \`file\` and \`csv\`, but this one gives \`${sourceKey}\` and \`${extra}\``, `remove \`${extra}\``));
  if (text.csv !== undefined && text.column === undefined) diagnostics.push(diag.missingKey(at(["data", "text", "csv"]), "column", "data.text (a CSV needs the column that holds the text)"));
  for (const key of ["column", "label", "delimiter"] as const) {
    if (text[key] !== undefined && text.csv === undefined) diagnostics.push(diag.textDataOption(at(["data", "text", key]), `\`${key}\` belongs to a CSV, but \`data.text\` names no \`csv\``, `remove \`${key}\`, or read the text from a CSV with \`csv:\``));
  }
  const paths = Object.entries(text.files ?? {});
  paths.forEach(([label, path], i) => {
    const first = paths.findIndex(([, other]) => other === path);
    if (first < i) diagnostics.push(diag.textDataOption(at(["data", "text", "files", label]), `\`${label}\` names the same file as \`${paths[first]?.[0] ?? ""}\``, "give each label its own file"));
  });
  if (spec.train.patience !== undefined && config.split.validation === 0) {
    diagnostics.push(diag.dataMismatch(at(["train", "patience"]), "early stopping needs a validation split, but `data.split.validation` is 0", "give the validation split a fraction, or remove `patience`"));
  }
  diagnostics.push(...checkFractions(config.split, at(["data", "split"])));

  const target = inputs.find((input) => input.id === loss.target);
  const task = target?.type.dims.length === 2 ? "language_model" : "classification";
  if (loss.task !== "classification") {
    diagnostics.push(diag.dataMismatch(at(["loss", "op"]), `text data is classes or next tokens, but \`${loss.op}\` is a regression loss`, "use `op: cross_entropy`"));
    return undefined;
  }
  const sourceAt = sourceKey === undefined ? at(["data", "text"]) : at(["data", "text", sourceKey]);
  const labelled = text.files !== undefined || text.label !== undefined;
  if (sourceKey !== undefined && task === "classification" && !labelled) {
    diagnostics.push(diag.textDataOption(sourceAt, `the loss's target \`${loss.target}\` is one class per sample, but \`data.text.${sourceKey}\` gives no labels`, "give a file per class with `files: { <label>: <path>, … }`, or a CSV `label:` column"));
  }
  if (task === "language_model" && labelled) {
    const key = text.files !== undefined ? "files" : "label";
    diagnostics.push(diag.textDataOption(at(["data", "text", key]), `the loss's target \`${loss.target}\` is the next token at each step (a language model), which needs no labels`, text.files !== undefined ? "list the files with `file: [a.txt, b.txt]`" : "remove `label`"));
  }

  const roles = textInputs(inputs, layers, loss, task, at, diagnostics);
  if (roles === undefined) return undefined;
  const room = task === "language_model" ? roles.sequence - 1 : roles.sequence;
  const maxLength = text.max_length ?? room;
  if (room < 1) {
    diagnostics.push(diag.dataMismatch(roles.tokens.at, `a language model's input starts with \`<s>\`, so \`${roles.tokens.id}\` needs at least 2 steps, but it has ${roles.sequence}`, `declare \`${roles.tokens.id}\` as [batch, L] with L = the longest sample + 1`));
  } else if (maxLength > room) {
    const why = task === "language_model" ? `${roles.sequence} steps, one of them the \`<s>\` that starts every sample` : `${roles.sequence} steps`;
    diagnostics.push(diag.dataMismatch(at(["data", "text", "max_length"]), `\`max_length\` is ${maxLength} tokens, but \`${roles.tokens.id}\` holds ${why}`, `lower \`max_length\` to ${room}, or declare \`${roles.tokens.id}\` as [batch, ${task === "language_model" ? maxLength + 1 : maxLength}]`));
  }
  if (diagnostics.length > before) return undefined;
  return {
    config,
    task,
    tokensInput: roles.tokens.id,
    sequence: roles.sequence,
    maxLength,
    ...(roles.lengths === undefined ? {} : { lengthsInput: roles.lengths }),
    targetInput: loss.target,
    classes: loss.width,
    at: { text: at(["data", "text"]), source: sourceAt },
  };
}

/** The token ids input (int32 [batch, S]), an optional lengths input (int32 [batch]) and the target's shape. */
function textInputs(
  inputs: readonly InputNode[],
  layers: readonly LayerNode[],
  loss: Loss,
  task: TextDataSource["task"],
  at: (path: readonly (string | number)[]) => SourcePosition,
  diagnostics: Diagnostic[],
): { tokens: InputNode; sequence: number; lengths?: string } | undefined {
  const read = inputs.filter((input) => input.id !== loss.target && layers.some((node) => node.inputs.includes(input.id)));
  const isInt = (input: InputNode, rank: number) => input.type.dtype === "int32" && input.type.dims.length === rank;
  const tokens = read.filter((input) => isInt(input, 2));
  const lengths = read.filter((input) => isInt(input, 1));
  const want = task === "language_model" ? "`<s>` and the sample's token ids" : "the sample's token ids";
  for (const input of inputs) {
    if (input.id === loss.target || tokens.includes(input) || lengths.includes(input)) continue;
    const fix = read.includes(input) ? `text data fills int32 token ids [batch, S] and lengths [batch], not ${input.type.dtype} [${showType(input.type).join(", ")}]` : "text data fills only the token ids, their lengths and the target";
    diagnostics.push(diag.dataMismatch(input.at, `nothing in the text data fills \`${input.id}\`: ${fix}`, read.includes(input) ? "read the text through `tokens: { shape: [batch, S], dtype: int32 }` and an embedding" : `remove \`${input.id}\``));
  }
  for (const [extra, what] of [[tokens.slice(1), "token ids"], [lengths.slice(1), "lengths"]] as const) {
    for (const input of extra) diagnostics.push(diag.dataMismatch(input.at, `text data fills one input with ${what}, but the graph also reads \`${input.id}\``, "read the tokens through one input (and at most one lengths input)"));
  }
  const first = tokens[0];
  const sequence = first === undefined ? undefined : staticSize(first.type.dims[1] ?? { name: "batch" });
  if (first === undefined || sequence === undefined) {
    diagnostics.push(diag.dataMismatch(at(["input"]), `text data fills ${want}, but no int32 [batch, S] input is read by the graph`, "declare `tokens: { shape: [batch, S], dtype: int32 }` and read it with an `embedding`"));
    return undefined;
  }
  const target = inputs.find((input) => input.id === loss.target);
  const targetSteps = target?.type.dims[1];
  if (task === "language_model" && target !== undefined && (targetSteps === undefined || staticSize(targetSteps) !== sequence)) {
    diagnostics.push(diag.dataMismatch(target.at, `a language model's target holds the next token at every step of \`${first.id}\`, so it must be [batch, ${sequence}], not [${showType(target.type).join(", ")}]`, `declare \`${target.id}\` as [batch, ${sequence}]`));
  }
  return { tokens: first, sequence, ...(lengths[0] === undefined ? {} : { lengths: lengths[0].id }) };
}
