import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import { dumpGraph } from "../src/ir/dump.ts";

/**
 * The IR of every model, with every tensor's inferred shape, pinned as a snapshot in test/snapshots/<name>.ir.txt.
 * UPDATE_SNAPSHOTS=1 rewrites them (review the diff); otherwise a missing or stale snapshot fails.
 */
const update = process.env["UPDATE_SNAPSHOTS"] === "1";

describe.each(readdirSync("models").filter((file) => file.endsWith(".yaml")))("IR of models/%s", (file) => {
  it("matches its snapshot", () => {
    const specPath = `models/${file}`;
    const graph = compile(readFileSync(specPath, "utf8"), { specPath }).graph;
    expect(graph).toBeDefined();
    const text = dumpGraph(graph!);
    const snapshot = `test/snapshots/${file.replace(/\.yaml$/, "")}.ir.txt`;
    if (update) writeFileSync(snapshot, text);
    expect(existsSync(snapshot), `${snapshot} is missing: run UPDATE_SNAPSHOTS=1 npx vitest run test/ir.test.ts`).toBe(true);
    expect(text).toBe(readFileSync(snapshot, "utf8"));
  });
});
