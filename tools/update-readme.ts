// Regenerates what is derived from the op registry (npm run docs): src/spec/schema.json, then the README's spec
// reference from it. A test fails while either is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { specSchemaText } from "../src/ops/schema.ts";

const schemaPath = "src/spec/schema.json";
const schema = specSchemaText();
const schemaChanged = readFileSync(schemaPath, "utf8") !== schema;
if (schemaChanged) writeFileSync(schemaPath, schema);
console.log(schemaChanged ? `updated ${schemaPath}` : `${schemaPath} is up to date`);

// imported after the write: the reference reads schema.json when it loads
const { replaceReference } = await import("../src/spec/readme-section.ts");
const readme = readFileSync("README.md", "utf8");
const updated = replaceReference(readme);
if (updated !== readme) writeFileSync("README.md", updated);
console.log(updated === readme ? "README.md spec reference is up to date" : "updated README.md spec reference");
