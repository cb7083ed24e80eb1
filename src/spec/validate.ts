import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { diag } from "../diagnostics/codes.ts";
import { closest } from "../diagnostics/suggest.ts";
import type { SpecDocument } from "./document.ts";
import type { Spec } from "./types.ts";
import { specSchema } from "./schema.ts";

/** Built once: a pure function of the schema. `strictRequired` is off because discriminated branches declare `op` themselves. */
const validate: ValidateFunction = new Ajv({
  allErrors: true,
  useDefaults: true,
  discriminator: true,
  verbose: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
}).compile(specSchema);

/** Validates (and fills defaults into a copy of) the document's value; every schema violation becomes a positioned diagnostic. */
export function validateSpec(document: SpecDocument): { spec?: Spec; diagnostics: Diagnostic[] } {
  const value = structuredClone(document.value);
  if (validate(value)) return { spec: value as Spec, diagnostics: [] };
  const errors = (validate.errors ?? []).filter(isReportable);
  const diagnostics = dedupe(withoutMisspelledRequired(errors).map((error) => toDiagnostic(document, error)));
  return { diagnostics };
}

/** `hiden_size: 20` is one mistake, not two: drop "missing `hidden_size`" where an unknown key there is a near miss of it. */
function withoutMisspelledRequired(errors: readonly ErrorObject[]): ErrorObject[] {
  const misspelled = new Set<string>();
  for (const error of errors) {
    if (error.keyword !== "additionalProperties") continue;
    const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    const suggestion = closest(String((error.params as Record<string, unknown>)["additionalProperty"]), allowed);
    if (suggestion !== undefined) misspelled.add(`${error.instancePath}/${suggestion}`);
  }
  return errors.filter(
    (error) => error.keyword !== "required" || !misspelled.has(`${error.instancePath}/${String((error.params as Record<string, unknown>)["missingProperty"])}`),
  );
}

/**
 * ajv also reports the failure of the enclosing anyOf/oneOf/if (the branch errors say more), and a bad key under
 * propertyNames twice (its pattern, then propertyNames itself): keep one of each.
 */
function isReportable(error: ErrorObject): boolean {
  if (error.keyword === "anyOf" || error.keyword === "oneOf" || error.keyword === "if") return false;
  return !(error.keyword === "pattern" && error.propertyName !== undefined);
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function pathOf(error: ErrorObject): (string | number)[] {
  if (error.instancePath === "") return [];
  return error.instancePath
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** `graph[2].hidden_size`, for messages. */
function describe(path: readonly (string | number)[]): string {
  if (path.length === 0) return "the spec";
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "a mapping";
  return JSON.stringify(value) ?? String(value);
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "number") return Number.isFinite(value) ? (Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`) : String(value);
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${String(value)}`;
}

function toDiagnostic(document: SpecDocument, error: ErrorObject): Diagnostic {
  const path = pathOf(error);
  const where = describe(path);
  const at = document.positionOf(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params["additionalProperty"]);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return diag.unknownKey(document.positionOf([...path, key], { key: true }), key, where, allowed, closest(key, allowed));
    }
    case "required":
      return diag.missingKey(at, String(params["missingProperty"]), where);
    case "discriminator": {
      const tag = String(params["tag"]);
      const valid = branchNames(error);
      if (params["error"] === "tag") {
        const present = error.data !== null && typeof error.data === "object" && tag in error.data;
        if (!present) return diag.missingKey(at, tag, where);
        return diag.wrongType(
          document.positionOf([...path, tag]),
          `${where}.${tag}`,
          `a string naming one of ${valid.map((v) => `\`${v}\``).join(", ")}`,
          typeName((error.data as Record<string, unknown>)[tag]),
          `write the ${tag} as a plain word, e.g. \`${tag}: ${valid[0] ?? "rnn"}\``,
        );
      }
      const value = String(params["tagValue"]);
      return diag.unknownOp(document.positionOf([...path, tag]), value, valid, closest(value, valid));
    }
    case "type":
      if (typeof error.data === "number" && !Number.isFinite(error.data)) return diag.outOfRange(at, where, show(error.data), rangeText(error) || "a finite number");
      return diag.wrongType(at, where, typeText(params["type"], path), typeName(error.data), typeHint(path, params["type"], error.data));
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return diag.outOfRange(at, where, show(error.data), rangeText(error));
    case "minItems":
    case "maxItems":
    case "minProperties":
    case "maxProperties":
      return diag.outOfRange(at, where, `of size ${Array.isArray(error.data) ? error.data.length : Object.keys(error.data as object).length}`, sizeText(error));
    case "enum":
      return diag.invalidValue(at, where, show(error.data), `expected one of ${((params["allowedValues"] as unknown[]) ?? []).map(show).join(", ")}`);
    case "const":
      return diag.invalidValue(at, where, show(error.data), `expected ${show(params["allowedValue"])}`);
    case "pattern":
      return diag.invalidValue(at, where, show(error.data), patternHint(String(params["pattern"])));
    case "propertyNames":
      return diag.invalidValue(document.positionOf([...path, String(params["propertyName"])], { key: true }), where, `key ${show(params["propertyName"])}`, patternHint("^[A-Za-z]"));
    default:
      return diag.invalidValue(at, where, show(error.data), error.message ?? "see the spec reference");
  }
}

function branchNames(error: ErrorObject): string[] {
  const schema = error.parentSchema as { oneOf?: { $ref?: string }[] } | undefined;
  return (schema?.oneOf ?? []).map((branch) => (branch.$ref ?? "").split("/").pop() ?? "").filter((name) => name !== "");
}

/** What to write instead of a value of the wrong type: the fix when it is clear (quotes around a number), else where to look. */
function typeHint(path: readonly (string | number)[], type: unknown, data: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : [String(type)];
  const numeric = types.includes("integer") || types.includes("number");
  if (path.length === 0) return "a spec is a YAML mapping with the keys `version`, `name`, `input`, `graph`, `loss` and `optimizer`; see models/simple-rnn.yaml";
  if (numeric && typeof data === "string" && data.trim() !== "" && Number.isFinite(Number(data))) return `write the number without quotes: \`${data.trim()}\``;
  if (types.includes("integer") && typeof data === "number") return "write a whole number, without a decimal point";
  if (types.includes("boolean") && typeof data === "string" && /^(true|false)$/i.test(data)) return `write \`${data.toLowerCase()}\` without quotes`;
  return `write ${typeText(type, path)} here; the spec reference in README.md gives every key's type`;
}

function typeText(type: unknown, path: readonly (string | number)[] = []): string {
  const types = Array.isArray(type) ? type.map(String) : [String(type)];
  if (types.includes("string") && types.includes("integer")) return path[path.length - 1] === "threads" ? "`auto` or a positive integer" : "`batch` or a positive integer";
  return types.map(article).join(" or ");
}

function sizeText(error: ErrorObject): string {
  const limit = Number((error.params as Record<string, unknown>)["limit"]);
  const unit = error.keyword.endsWith("Items") ? (limit === 1 ? "item" : "items") : limit === 1 ? "entry" : "entries";
  return error.keyword.startsWith("min") ? `at least ${limit} ${unit}` : `at most ${limit} ${unit}`;
}

function article(type: string): string {
  if (type === "integer") return "an integer";
  if (type === "object") return "a mapping";
  if (type === "array") return "a list";
  return `a ${type}`;
}

function rangeText(error: ErrorObject): string {
  const schema = error.parentSchema as { minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number };
  const low = schema.exclusiveMinimum !== undefined ? `> ${schema.exclusiveMinimum}` : schema.minimum !== undefined ? `≥ ${schema.minimum}` : undefined;
  const high = schema.exclusiveMaximum !== undefined ? `< ${schema.exclusiveMaximum}` : schema.maximum !== undefined ? `≤ ${schema.maximum}` : undefined;
  return [low, high].filter((part) => part !== undefined).join(" and ");
}

function patternHint(pattern: string): string {
  if (pattern === "^auto$") return "threads is `auto` (the cores available) or a number from 1 to 64";
  if (pattern === "^batch$") return "a dimension is the word `batch` (first only) or a size from 1 to 65536";
  if (pattern.startsWith("^[a-z]")) return "a name is lower-case letters, digits and dashes, starting with a letter (at most 64)";
  return "an id is a letter followed by letters, digits or underscores (at most 64), e.g. `rnn`, `fc_out`";
}
