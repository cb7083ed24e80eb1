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
