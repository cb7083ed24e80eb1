import type { SourcePosition } from "../../diagnostics/diagnostic.ts";
import type { TextDataConfig } from "../config.ts";

/** A classifier reads a sample and predicts its label; a language model predicts each next token. */
export type TextTask = "classification" | "language_model";

/**
 * A spec's `data.text` section checked against its graph (src/ir/data-source.ts): which spec input receives what.
 * Classification: `tokensInput` [batch, sequence] ids, `lengthsInput` [batch] token counts (optional), `targetInput`
 * [batch] label indices. Language model: `tokensInput` [batch, sequence] = `<s>` then the sample, `targetInput`
 * [batch, sequence] = the sample then `<s>`, `lengthsInput` (optional) the steps that hold a token.
 */
export interface TextDataSource {
  readonly config: TextDataConfig;
  readonly task: TextTask;
  readonly tokensInput: string;
  readonly sequence: number;
  /** Tokens kept per sample; longer samples are cut. */
  readonly maxLength: number;
  readonly lengthsInput?: string;
  readonly targetInput: string;
  /** Classes the loss predicts: the labels (classification) or the vocabulary (language model). */
  readonly classes: number;
  /** The spec keys to point at: the `data.text` section, and the key naming the files (`files`, `file` or `csv`). */
  readonly at: { readonly text: SourcePosition; readonly source: SourcePosition };
}

/** The files the section names, with the spec path of each (for positions): label files, LM files, or the CSV. */
export function textFiles(config: TextDataConfig): { readonly path: string; readonly key: readonly (string | number)[]; readonly label?: string }[] {
  const text = config.text;
  if (text.files !== undefined) return Object.entries(text.files).map(([label, path]) => ({ path, key: ["data", "text", "files", label], label }));
  if (typeof text.file === "string") return [{ path: text.file, key: ["data", "text", "file"] }];
  if (text.file !== undefined) return text.file.map((path, i) => ({ path, key: ["data", "text", "file", i] }));
  return text.csv === undefined ? [] : [{ path: text.csv, key: ["data", "text", "csv"] }];
}
