import { createRequire } from "node:module";

/** The JSON Schema of a spec, loaded from schema.json beside this file (the single source of truth). */
export const specSchema: Record<string, unknown> = createRequire(import.meta.url)("./schema.json") as Record<string, unknown>;
