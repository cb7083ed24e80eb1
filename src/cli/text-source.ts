import { isTextData } from "../data/config.ts";
import { readTable } from "../data/csv.ts";
import { buildTextDataset, type TextDataset } from "../data/text/dataset.ts";
import { sampleLines } from "../data/text/lines.ts";
import type { TextMetadata } from "../data/text/metadata.ts";
import type { RawSample } from "../data/text/samples.ts";
import { textFiles, type TextDataSource } from "../data/text/source.ts";
import { specialTokens, vocabularySize } from "../data/text/vocabulary.ts";
import { codes, diag } from "../diagnostics/codes.ts";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import { integerRanges } from "../ir/integer-ranges.ts";
import { describeTextData } from "../ir/data-source.ts";
import type { Graph } from "../ir/types.ts";
import type { Dataset } from "../runtime/dataset.ts";
import { Random } from "../runtime/prng.ts";
import { parseSpecDocument, type SpecDocument } from "../spec/document.ts";
import { validateSpec } from "../spec/validate.ts";
import { resolveSpecData, specDataPath, type DataAccess } from "./data-path.ts";
import type { Io } from "./io.ts";
import { readTextFile } from "./read-file.ts";

/** A compiled spec whose `data` section reads text: the description of it, and the document for positions. */
export interface TextSpec {
  readonly specPath: string;
  readonly source: TextDataSource;
  readonly document: SpecDocument;
  readonly access: DataAccess;
}

/** Text data read, split, encoded and checked against the spec: one Dataset per split in the module's input names. */
export interface TextData {
  readonly text: TextDataset;
  readonly train: Dataset;
  readonly validation: Dataset;
  readonly test: Dataset;
  readonly metadata: TextMetadata;
  readonly ignoreIndex: number;
}

/**
 * The text description of a spec that compiled (graph given), or undefined when its data is not text. Graph.data
 * describes CSV series only; the same checks that compile ran (describeTextData) are run again on the spec's text,
 * which cannot fail now, to get the description.
 */
export function textSpecOf(specPath: string, specSource: string, graph: Graph, access: DataAccess): TextSpec | undefined {
  const document = parseSpecDocument(specPath, specSource).document;
  const spec = document === undefined ? undefined : validateSpec(document).spec;
  if (document === undefined || spec?.data === undefined || !isTextData(spec.data)) return undefined;
  const source = describeTextData({ ...spec, data: spec.data }, graph.inputs, graph.layers, graph.loss, document, []);
  return source === undefined ? undefined : { specPath, source, document, access };
}

/** Every file the section names, absolute: inputs that `train --save` must never replace. */
export function textInputPaths(io: Io, spec: TextSpec): string[] {
  return textFiles(spec.source.config).map((file) => specDataPath(io, spec.specPath, file.path));
}

const limitHint = "raise the limit with --max-data-bytes <n> if the file is meant to be this large";

/** Reads every file the section names: one sample per line (or per CSV row), with the label of its file or column. */
function readSamples(io: Io, spec: TextSpec): { raw?: RawSample[]; diagnostics: Diagnostic[] } {
  const { config } = spec.source;
  const text = config.text;
  const raw: RawSample[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of textFiles(config)) {
    const at = spec.document.positionOf(file.key);
    const resolved = resolveSpecData(io, spec.specPath, file.path, spec.access, at);
    if ("diagnostic" in resolved) {
      diagnostics.push(resolved.diagnostic);
      continue;
    }
    const read = readTextFile(io.cwd, resolved.path, resolved.shown, { maxBytes: spec.access.maxBytes, limitHint, at, unreadable: diag.dataFileUnreadable });
    if (!read.ok) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    if (text.csv !== undefined) {
      const column = text.column ?? "";
      const columns = text.label === undefined ? [column] : [column, text.label];
      const table = readTable(read.value, resolved.shown, { numeric: [], categorical: columns, ...(text.delimiter === undefined ? {} : { delimiter: text.delimiter }) });
      diagnostics.push(...table.diagnostics.filter((d) => d.severity === "error"));
      const values = table.table?.categorical[column] ?? [];
      const labels = text.label === undefined ? undefined : table.table?.categorical[text.label];
      values.forEach((value, r) => {
        const position = { file: resolved.shown, line: table.table?.lines[r] ?? 1, column: table.table?.fields[column] ?? 1 };
        const label = labels?.[r];
        raw.push({ text: value, at: position, ...(label === undefined ? {} : { label }) });
      });
      continue;
    }
    const lines = sampleLines(read.value, resolved.shown, text);
    diagnostics.push(...lines.diagnostics);
    for (const line of lines.lines) raw.push({ text: line.text, at: { file: resolved.shown, line: line.line, column: 1 }, ...(file.label === undefined ? {} : { label: file.label }) });
  }
  return diagnostics.length > 0 ? { diagnostics } : { raw, diagnostics };
}

/** The ids the model's embedding accepts, the lengths input's range and the target's ignore index, from the graph. */
function modelLimits(graph: Graph, source: TextDataSource): { tokenIds: number; ignoreIndex: number } {
  const ranges = integerRanges(graph);
  return { tokenIds: (ranges.get(source.tokensInput)?.max ?? Infinity) + 1, ignoreIndex: ranges.get(source.targetInput)?.ignore ?? -100 };
}

/** Reads, deduplicates, splits, fits the vocabulary, encodes, and checks the result against the spec. */
export function loadTextData(io: Io, spec: TextSpec, graph: Graph, seed: number): { data?: TextData; diagnostics: readonly Diagnostic[] } {
  const read = readSamples(io, spec);
  if (read.raw === undefined) return { diagnostics: read.diagnostics };
  const { source } = spec;
  const { config } = source;
  const limits = modelLimits(graph, source);
  const built = buildTextDataset(
    read.raw,
    {
      task: source.task,
      tokens: config.text.tokens,
      lowercase: config.text.lowercase,
      minCount: config.text.min_count,
      maxLength: source.maxLength,
      sequence: source.sequence,
      ignoreIndex: limits.ignoreIndex,
      split: config.split,
      ...(config.text.files === undefined ? {} : { labels: Object.keys(config.text.files) }),
    },
    new Random(seed),
    source.at.text,
  );
  const text = built.dataset;
  if (text === undefined) return { diagnostics: built.diagnostics };
  const mismatches = checkAgainstSpec(text, spec, graph, limits.tokenIds);
  if (mismatches.length > 0) return { diagnostics: mismatches };
  const inputs = (split: "train" | "validation" | "test"): Dataset => {
    if (text.task === "classification") {
      const arrays = text.splits[split];
      return { count: arrays.count, inputs: { [source.tokensInput]: arrays.tokens, [source.targetInput]: arrays.labels, ...(source.lengthsInput === undefined ? {} : { [source.lengthsInput]: arrays.lengths }) } };
    }
    const arrays = text.splits[split];
    return { count: arrays.count, inputs: { [source.tokensInput]: arrays.tokens, [source.targetInput]: arrays.targets, ...(source.lengthsInput === undefined ? {} : { [source.lengthsInput]: arrays.lengths }) } };
  };
  const metadata: TextMetadata = {
    version: 1,
    task: text.task,
    tokens: config.text.tokens,
    lowercase: config.text.lowercase,
    maxLength: source.maxLength,
    vocabulary: text.vocabulary.tokens,
    ...(text.task === "classification" ? { labels: text.labels } : {}),
  };
  return { data: { text, train: inputs("train"), validation: inputs("validation"), test: inputs("test"), metadata, ignoreIndex: limits.ignoreIndex }, diagnostics: [] };
}

/**
 * `compile` (and --check): when the text files can be read, the labels and the vocabulary are checked against the
 * spec now. Files that are missing, outside the project or too large are not an error here (the data may live
 * elsewhere at compile time; `train` reports them); what is wrong inside a file is.
 */
export function checkSpecText(io: Io, spec: TextSpec, graph: Graph, seed: number): Diagnostic[] {
  const where: readonly string[] = [codes.fileUnreadable, codes.dataOutsideProject, codes.fileTooLarge];
  const loaded = loadTextData(io, spec, graph, seed);
  return loaded.diagnostics.filter((d) => !where.includes(d.code));
}

/** The classes the loss predicts and the ids the embedding takes, against the labels and the fitted vocabulary. */
function checkAgainstSpec(text: TextDataset, spec: TextSpec, graph: Graph, tokenIds: number): Diagnostic[] {
  const { source, document } = spec;
  const diagnostics: Diagnostic[] = [];
  const size = vocabularySize(text.vocabulary);
  const ids = `${size} ids (${text.vocabulary.tokens.length} tokens and ${specialTokens.join(", ")})`;
  const predictor = graph.loss.input;
  if (text.task === "classification" && text.labels.length !== source.classes) {
    const shown = text.labels.length <= 10 ? text.labels.map((label) => `\`${label}\``).join(", ") : `${text.labels.length} labels`;
    diagnostics.push(diag.dataMismatch(source.at.source, `the text has ${text.labels.length} labels (${shown}), but \`${predictor}\` predicts ${source.classes} classes`, `end the graph with \`out_features: ${text.labels.length}\``));
  }
  if (text.task === "language_model" && size !== source.classes) {
    diagnostics.push(
      diag.dataMismatch(nodeKey(document, predictor, "out_features"), `the vocabulary fitted on the training split has ${ids}, but \`${predictor}\` predicts ${source.classes} classes`, `set \`out_features: ${size}\`: a language model predicts every id of the vocabulary`),
    );
  }
  const embedding = graph.layers.find((node) => node.op === "embedding" && node.inputs.includes(source.tokensInput));
  if (size > tokenIds) {
    const at = embedding === undefined ? source.at.text : nodeKey(document, embedding.id, "num_embeddings");
    diagnostics.push(diag.dataMismatch(at, `the vocabulary fitted on the training split has ${ids}, but \`${embedding?.id ?? source.tokensInput}\` takes ids below ${tokenIds}`, `set \`num_embeddings: ${size}\``));
  }
  return diagnostics;
}

/** Where a graph node's key is written (the node itself when the key is not). */
function nodeKey(document: SpecDocument, id: string, key: string): SourcePosition {
  const graph = (document.value as { graph?: unknown }).graph;
  const index = Array.isArray(graph) ? graph.findIndex((node: unknown) => typeof node === "object" && node !== null && (node as { id?: unknown }).id === id) : -1;
  return document.positionOf(index < 0 ? ["graph"] : ["graph", index, key]);
}
