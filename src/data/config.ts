import type { Normalize } from "./preprocessing.ts";
import type { Transform } from "./series.ts";
import type { SplitFractions } from "./split.ts";

/** The `data` section of a spec, after schema defaults: how a CSV becomes windows. */
export interface DataConfig {
  readonly csv: string;
  readonly time?: string;
  readonly features: readonly string[];
  readonly target: string;
  readonly window: number;
  readonly horizon: number;
  readonly split: SplitFractions;
  readonly normalize: Normalize;
  readonly transform: Transform;
  readonly season?: number;
  /** Between fields: `,` (the default), `;`, a tab or `|`. */
  readonly delimiter?: string;
  /** How the time column is written when it is not ISO 8601 or year-first, e.g. `DD.MM.YYYY` (see time-format.ts). */
  readonly time_format?: string;
}

/** Where text samples come from: a file per class, one or more files for a language model, or a CSV column. */
export interface TextSourceConfig {
  readonly files?: Readonly<Record<string, string>>;
  readonly file?: string | readonly string[];
  readonly csv?: string;
  readonly column?: string;
  readonly label?: string;
  readonly delimiter?: string;
  readonly tokens: "char" | "word";
  readonly max_length?: number;
  readonly lowercase: boolean;
  readonly min_count: number;
}

/** A `data` section that reads text (`data.text`), after schema defaults. */
export interface TextDataConfig {
  readonly text: TextSourceConfig;
  readonly split: SplitFractions;
}

/** What a spec's `data` section holds: a CSV time series or text. */
export type DataSection = DataConfig | TextDataConfig;

export function isTextData(section: DataSection): section is TextDataConfig {
  return "text" in section;
}
