// `npm run build` (and `npm pack`, through prepack): compiles src/ to dist/ with declarations, from a clean folder so
// that a source file removed since the last build cannot linger in the package, then copies the JSON files the code
// loads at run time (the schemas: tsc copies only JSON that is imported, and these are read with createRequire; and
// ONNX's own onnx.proto, which protobufjs parses when `rnnc export` runs, with its licence and notice).
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });

const source = join(root, "src");
for (const entry of readdirSync(source, { recursive: true, withFileTypes: true })) {
  const runtimeData = entry.name.endsWith(".json") || entry.name.endsWith(".proto") || (entry.parentPath.endsWith(join("export", "onnx")) && ["LICENSE", "NOTICE.md"].includes(entry.name));
  if (!entry.isFile() || !runtimeData) continue;
  const from = join(entry.parentPath, entry.name);
  cpSync(from, join(dist, relative(source, from)));
}
