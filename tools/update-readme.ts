// Regenerates the README's spec reference from src/spec/schema.json (npm run docs). A test fails when it is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { replaceReference } from "../src/spec/readme-section.ts";

const readme = readFileSync("README.md", "utf8");
const updated = replaceReference(readme);
if (updated !== readme) writeFileSync("README.md", updated);
console.log(updated === readme ? "README.md spec reference is up to date" : "updated README.md spec reference");
