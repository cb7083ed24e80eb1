/**
 * Checkpoints whose `__metadata__.preprocessing` was edited (issue 13, class 2), each with the code `rnnc predict`
 * must report. They start from checkpoints that test/bad-metadata.test.ts trains for one epoch: `regression` from
 * models/co2-forecast.yaml (features [CO2], window 12, transform difference), `classification` from
 * models/seattle-weather.yaml (4 features, window 7, 5 labels). Only the metadata changes; the weights and the spec
 * hash stay valid, so each case tests the metadata check alone.
 */
export interface MetadataCase {
  readonly name: string;
  readonly checkpoint: "regression" | "classification";
  /** The new value of `__metadata__.preprocessing`, from the stored object. */
  readonly edit: (stored: Readonly<Record<string, unknown>>) => string;
  readonly code: string;
  /** Where the diagnostic points: the checkpoint (its header), or the CSV cell whose standardised value overflows. */
  readonly at?: "checkpoint" | "csv";
}

const invalid = "RNNC0100";
const mismatch = "RNNC0044";
const overflow = "RNNC0043";

/** `preprocessing` with one key set (or removed, with `undefined`). */
const set = (key: string, value: unknown) => (stored: Readonly<Record<string, unknown>>): string => JSON.stringify({ ...stored, [key]: value });
const raw = (text: string) => (): string => text;
/** A number JSON.stringify cannot write: 1e999 parses as Infinity. */
const withText = (key: string, text: string) => (stored: Readonly<Record<string, unknown>>): string => JSON.stringify({ ...stored, [key]: "@@" }).replace('"@@"', text);

export const metadataCases: readonly MetadataCase[] = [
  // ---- not an object at all (these were exit 70) ----
  { name: "preprocessing is null", checkpoint: "regression", edit: raw("null"), code: invalid },
  { name: "preprocessing is 42", checkpoint: "regression", edit: raw("42"), code: invalid },
  { name: "preprocessing is {}", checkpoint: "regression", edit: raw("{}"), code: invalid },
  { name: "preprocessing is a list", checkpoint: "classification", edit: raw("[]"), code: invalid },
  { name: "preprocessing is a JSON string", checkpoint: "classification", edit: raw('"standard"'), code: invalid },
  { name: "preprocessing is not JSON", checkpoint: "regression", edit: raw("{features: [CO2]"), code: invalid },

  // ---- wrong types and values ----
  { name: "features is a string (was read letter by letter)", checkpoint: "regression", edit: set("features", "CO2"), code: invalid },
  { name: "features is empty", checkpoint: "regression", edit: set("features", []), code: invalid },
  { name: "features repeats a column", checkpoint: "classification", edit: set("features", ["wind", "wind", "temp_min", "temp_max"]), code: invalid },
  { name: "window is 0", checkpoint: "regression", edit: set("window", 0), code: invalid },
  { name: "window is 1.5", checkpoint: "regression", edit: set("window", 1.5), code: invalid },
  { name: "window is the string \"12\"", checkpoint: "regression", edit: set("window", "12"), code: invalid },
  { name: "horizon is a string (was echoed into the output)", checkpoint: "classification", edit: set("horizon", "<b>x"), code: invalid },
  { name: "transform is unknown", checkpoint: "regression", edit: set("transform", "log"), code: invalid },
  { name: "version is 2", checkpoint: "regression", edit: set("version", 2), code: invalid },
  { name: "an unknown key", checkpoint: "classification", edit: set("featureScale", [1, 1, 1, 1]), code: invalid },
  { name: "task is unknown", checkpoint: "classification", edit: set("task", "ranking"), code: invalid },

  // ---- statistics predict divides by or adds ----
  { name: "featureStd is all 0 (gave NaN predictions)", checkpoint: "classification", edit: set("featureStd", [0, 0, 0, 0]), code: invalid },
  { name: "featureStd is negative", checkpoint: "regression", edit: set("featureStd", [-1.2]), code: invalid },
  { name: "featureStd is null (NaN written by JSON.stringify)", checkpoint: "regression", edit: set("featureStd", [null]), code: invalid },
  { name: "featureStd is 1e999 (Infinity when parsed)", checkpoint: "regression", edit: withText("featureStd", "[1e999]"), code: invalid },
  { name: "featureMean holds a string", checkpoint: "classification", edit: set("featureMean", [0, 0, "0", 0]), code: invalid },
  { name: "featureMean has fewer entries than features", checkpoint: "classification", edit: set("featureMean", [0, 0]), code: invalid },
  { name: "featureStd is missing", checkpoint: "regression", edit: set("featureStd", undefined), code: invalid },
  { name: "targetStd is 0", checkpoint: "regression", edit: set("targetStd", 0), code: invalid },
  { name: "targetMean is -1e999 (−Infinity when parsed)", checkpoint: "regression", edit: withText("targetMean", "-1e999"), code: invalid },
  { name: "targetMean is missing from a regression checkpoint", checkpoint: "regression", edit: set("targetMean", undefined), code: invalid },
  { name: "featureStd holds 4 million zeros (once 8 s and 1.7 GB of schema errors)", checkpoint: "regression", edit: set("featureStd", Array<number>(4_000_000).fill(0)), code: invalid },
  { name: "featureStd is 1e-300: valid, but a standardised cell overflows float32", checkpoint: "regression", edit: set("featureStd", [1e-300]), code: overflow, at: "csv" },

  // ---- labels ----
  { name: "labels is a string (was indexed letter by letter)", checkpoint: "classification", edit: set("labels", "abcde"), code: invalid },
  { name: "labels repeat a class", checkpoint: "classification", edit: set("labels", ["rain", "rain", "sun", "fog", "snow"]), code: invalid },
  { name: "labels are missing from a classification checkpoint", checkpoint: "classification", edit: set("labels", undefined), code: invalid },
  { name: "labels on a regression checkpoint", checkpoint: "regression", edit: set("labels", ["up", "down"]), code: invalid },
  { name: "three labels for five outputs", checkpoint: "classification", edit: set("labels", ["a", "b", "c"]), code: mismatch },

  // ---- valid on their own, but not what the spec says ----
  { name: "window 1 where the spec says 12 (was exit 70)", checkpoint: "regression", edit: set("window", 1), code: mismatch },
  { name: "horizon 2 where the spec says 1", checkpoint: "classification", edit: set("horizon", 2), code: mismatch },
  { name: "transform switched to none", checkpoint: "regression", edit: set("transform", "none"), code: mismatch },
  { name: "normalize switched to none", checkpoint: "regression", edit: (s) => JSON.stringify({ ...s, normalize: "none", featureMean: [0], featureStd: [1], targetMean: 0, targetStd: 1 }), code: mismatch },
  { name: "features renamed", checkpoint: "regression", edit: set("features", ["adjusted CO2"]), code: mismatch },
  { name: "features reordered", checkpoint: "classification", edit: set("features", ["wind", "precipitation", "temp_max", "temp_min"]), code: mismatch },
  { name: "target renamed", checkpoint: "regression", edit: set("target", "adjusted CO2"), code: mismatch },
  { name: "task switched to regression, with target statistics", checkpoint: "classification", edit: (s) => JSON.stringify({ ...s, task: "regression", labels: undefined, targetMean: 0, targetStd: 1 }), code: mismatch },
];
