import { Ajv, type ErrorObject } from "ajv";
import type { TextTask } from "./source.ts";
import type { Tokenization } from "./tokenize.ts";
import { specialTokens } from "./vocabulary.ts";

/**
 * What a checkpoint of a text model carries in `__metadata__.text`, so that `predict` and `sample` turn text into
 * the same ids the model was trained on: the tokenisation, the cut, the vocabulary (ids 3, 4, … in order; 0–2 are
 * `<pad>`, `<unk>`, `<s>`) and a classifier's labels. It is a file anyone can edit, so nothing is trusted unchecked.
 */
export interface TextMetadata {
  readonly version: 1;
  readonly task: TextTask;
  readonly tokens: Tokenization;
  readonly lowercase: boolean;
  readonly maxLength: number;
  readonly vocabulary: readonly string[];
  readonly labels?: readonly string[];
}

/** The most ids an embedding may have (its num_embeddings limit), less the three special ones. */
const maxVocabulary = 1_048_576 - specialTokens.length;

export const textMetadataSchema = {
  type: "object",
  additionalProperties: false,
  required: ["version", "task", "tokens", "lowercase", "maxLength", "vocabulary"],
  properties: {
    version: { const: 1 },
    task: { enum: ["classification", "language_model"] },
    tokens: { enum: ["char", "word"] },
    lowercase: { type: "boolean" },
    maxLength: { type: "integer", minimum: 1, maximum: 65536 },
    vocabulary: { type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true },
    labels: { type: "array", items: { type: "string" }, minItems: 2, uniqueItems: true },
  },
} as const;

/** Built once: a pure function of the schema. */
const validate = new Ajv({ allErrors: true, strict: true }).compile(textMetadataSchema);

/** Parses and checks stored text metadata; problems are sentences naming the field (`text.maxLength must be >= 1`). */
export function parseTextMetadata(stored: string): { metadata?: TextMetadata; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return { problems: ["`text` is not valid JSON"] };
  }
  // Before ajv, which with allErrors would build an error per bad element of a huge list.
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (Array.isArray(item) && item.length > maxVocabulary) return { problems: [`\`text.${key}\` has ${item.length} entries; no model has more than ${maxVocabulary.toLocaleString("en-US")}`] };
    }
  }
  if (!validate(value)) return { problems: (validate.errors ?? []).slice(0, 10).map(describe) };
  const metadata = value as TextMetadata;
  if (metadata.task === "classification" && metadata.labels === undefined) return { problems: ["`text` lacks `labels`, which a classifier's checkpoint needs"] };
  if (metadata.task === "language_model" && metadata.labels !== undefined) return { problems: ["`text.labels` does not belong to a language model's checkpoint"] };
  return { metadata, problems: [] };
}

function describe(error: ErrorObject): string {
  const path = `text${error.instancePath.split("/").slice(1).map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join("")}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `\`${path}\` lacks \`${String(params["missingProperty"])}\``;
    case "additionalProperties":
      return `\`${path}\` has the unknown key \`${String(params["additionalProperty"])}\``;
    case "enum":
      return `\`${path}\` must be one of ${(params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return `\`${path}\` ${error.message ?? "is invalid"}`;
  }
}
