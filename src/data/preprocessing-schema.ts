import { Ajv, type ErrorObject } from "ajv";
import type { Preprocessing } from "./preprocessing.ts";

/**
 * The JSON Schema of `Preprocessing` as stored in a checkpoint's `__metadata__.preprocessing`: a checkpoint is a file
 * anyone can edit, so nothing in it is trusted before it passes. Statistics must be finite (strictNumbers refuses
 * the Infinity that JSON.parse makes of `1e999`), and a standard deviation must be positive, since predict divides by it.
 */
const finite = { type: "number" } as const;
const positive = { type: "number", exclusiveMinimum: 0 } as const;
const name = { type: "string", minLength: 1 } as const;

export const preprocessingSchema = {
  type: "object",
  additionalProperties: false,
  required: ["version", "task", "features", "target", "window", "horizon", "transform", "normalize", "featureMean", "featureStd"],
  properties: {
    version: { const: 1 },
    task: { enum: ["classification", "regression"] },
    features: { type: "array", items: name, minItems: 1, uniqueItems: true },
    target: name,
    window: { type: "integer", minimum: 1 },
    horizon: { type: "integer", minimum: 1 },
    transform: { enum: ["none", "difference"] },
    normalize: { enum: ["standard", "none"] },
    featureMean: { type: "array", items: finite },
    featureStd: { type: "array", items: positive },
    targetMean: finite,
    targetStd: positive,
    labels: { type: "array", items: { type: "string" }, minItems: 1, uniqueItems: true },
  },
} as const;

/** Built once: a pure function of the schema. */
const validate = new Ajv({ allErrors: true, strict: true, strictNumbers: true }).compile(preprocessingSchema);

/**
 * Parses and checks stored preprocessing. Problems are sentences naming the offending field
 * (`preprocessing.featureStd[0] must be > 0`), in the order ajv finds them, then the checks that relate fields.
 */
export function parsePreprocessing(text: string): { preprocessing?: Preprocessing; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problems: ["`preprocessing` is not valid JSON"] };
  }
  const tooLong = oversizedArray(value);
  if (tooLong !== undefined) return { problems: [tooLong] };
  if (!validate(value)) return { problems: (validate.errors ?? []).map(describe) };
  const preprocessing = value as Preprocessing;
  const problems: string[] = [];
  const features = preprocessing.features.length;
  for (const key of ["featureMean", "featureStd"] as const) {
    if (preprocessing[key].length !== features) problems.push(`\`preprocessing.${key}\` has ${preprocessing[key].length} entries for ${features} features`);
  }
  // Which keys a task needs: classification its labels, regression the target's statistics; never the other's.
  const needed = preprocessing.task === "classification" ? (["labels"] as const) : (["targetMean", "targetStd"] as const);
  const foreign = preprocessing.task === "classification" ? (["targetMean", "targetStd"] as const) : (["labels"] as const);
  for (const key of needed) {
    if (preprocessing[key] === undefined) problems.push(`\`preprocessing\` lacks \`${key}\`, which a ${preprocessing.task} checkpoint needs`);
  }
  for (const key of foreign) {
    if (preprocessing[key] !== undefined) problems.push(`\`preprocessing.${key}\` does not belong to a ${preprocessing.task} checkpoint`);
  }
  return problems.length > 0 ? { problems } : { preprocessing, problems };
}

/**
 * No list in a checkpoint is longer than a model can be wide (65,536 classes or features). Checked before ajv, which
 * with allErrors would otherwise build one error object per bad element: 4 million zeros took 8 s and 1.7 GB.
 */
const maxItems = 65_536;

function oversizedArray(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (Array.isArray(item) && item.length > maxItems) return `\`preprocessing.${key}\` has ${item.length} entries; no model has more than ${maxItems.toLocaleString("en-US")}`;
  }
  return undefined;
}

function describe(error: ErrorObject): string {
  const path = `preprocessing${error.instancePath.split("/").slice(1).map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join("")}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `\`${path}\` lacks \`${String(params["missingProperty"])}\``;
    case "additionalProperties":
      return `\`${path}\` has the unknown key \`${String(params["additionalProperty"])}\``;
    case "type":
      return `\`${path}\` must be ${String(params["type"]) === "number" ? "a finite number" : `of type ${String(params["type"])}`}`;
    case "enum":
      return `\`${path}\` must be one of ${(params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return `\`${path}\` ${error.message ?? "is invalid"}`;
  }
}
