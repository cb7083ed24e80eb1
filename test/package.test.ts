// The package as a user gets it: `npm pack` (which builds dist/ through prepack), one `npm install <tarball>` into a
// fresh project outside the repository, then the bins and the API there, with plain Node and no tsx. Slow (a build
// and an install, about a minute), so everything below shares the one install.
import { execFileSync, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";

const repo = resolve(import.meta.dirname, "..");
const work = temporaryDirectory();
const project = join(work, "project");
let packed: { filename: string; files: { path: string }[] };

/** Runs a command in the installed project; what a user's shell would see. */
function inProject(command: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd: project, encoding: "utf8", timeout: 180_000 });
}
const rnnc = (...args: string[]) => inProject("npx", ["--no", "--", "rnnc", ...args]);
const jsonLines = (text: string): Record<string, unknown>[] => text.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
const seattle = "node_modules/rnnc/models/seattle-weather.yaml";

beforeAll(() => {
  const output = execFileSync("npm", ["pack", "--pack-destination", work, "--json"], { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  packed = (JSON.parse(output) as (typeof packed)[])[0]!;
  execFileSync("mkdir", [project]);
  writeFileSync(join(project, "package.json"), `${JSON.stringify({ name: "rnnc-smoke", private: true, type: "module" })}\n`);
  execFileSync("npm", ["install", join(work, packed.filename), "--no-audit", "--no-fund", "--prefer-offline"], { cwd: project, stdio: "pipe" });
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the packed tarball", { timeout: 180_000 }, () => {
  it("holds the build, the bins, the models with their data and the schema, and nothing of the repo's own", () => {
    const files = packed.files.map((file) => file.path);
    for (const needed of ["dist/index.js", "dist/index.d.ts", "dist/cli/main.js", "dist/spec/schema.json", "bin/rnnc.js", "bin/compile.js", "src/spec/schema.json", "LICENSE", "README.md"]) {
      expect(files, needed).toContain(needed);
    }
    for (const model of ["simple-rnn.yaml", "seattle-weather.yaml", "co2-forecast.yaml", "name-gender.yaml", "data/seattle-weather.csv", "data/co2-concentration.csv", "data/female-first-names-en.txt", "data/README.md"]) {
      expect(files, model).toContain(`models/${model}`);
    }
    const foreign = files.filter((file) => /^(test|bench|tools|generated|node_modules)\//.test(file) || (file.startsWith("src/") && file !== "src/spec/schema.json"));
    expect(foreign).toEqual([]);
  });

  it("installs without tsx or esbuild: the bins run dist/ with plain Node", () => {
    for (const loader of ["tsx", "esbuild", "@esbuild"]) expect(existsSync(join(project, "node_modules", loader)), loader).toBe(false);
    const version = rnnc("--version");
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { version: string }).version);
  });
});

describe("the installed bins", { timeout: 180_000 }, () => {
  it("`rnnc compile` and `compile` write the same module the repository commits for the seed model", () => {
    const committed = readFileSync(join(repo, "generated/simple-rnn.ts"), "utf8");
    const compiled = rnnc("compile", "node_modules/rnnc/models/simple-rnn.yaml", "--out-dir", "out");
    expect(compiled.stderr).toBe("");
    expect(compiled.status).toBe(0);
    expect(readFileSync(join(project, "out/simple-rnn.ts"), "utf8")).toBe(committed);
    const check = inProject("npx", ["--no", "--", "compile", "--check", "node_modules/rnnc/models/simple-rnn.yaml", "--out-dir", "out"]);
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/up to date/);
  });

  it("`rnnc train` of the seed model prints the log that the sources print", async () => {
    const installed = rnnc("train", "node_modules/rnnc/models/simple-rnn.yaml");
    expect(installed.status).toBe(0);
    const sources = await runCli(["train", "models/simple-rnn.yaml"], repo);
    expect(sources.code).toBe(0);
    expect(installed.stdout).toBe(sources.stdout);
    expect(installed.stdout).toMatch(/^Epoch \[1\/10\], Loss: \d\.\d{4}\n(?:.*\n){8}Epoch \[10\/10\], Loss: \d\.\d{4}\n$/);
  });

  it("trains a bundled model on its bundled CSV, saves, and `rnnc predict` forecasts from the CSV's newest rows", () => {
    const trained = rnnc("train", seattle, "--epochs", "2", "--save", "weather.safetensors", "--log-format", "json", "--quiet");
    expect(trained.stderr).toBe("");
    expect(trained.status).toBe(0);
    const lines = jsonLines(trained.stdout);
    expect(lines.filter((line) => line["epoch"] !== undefined).map((line) => [line["epoch"], Number.isFinite(line["loss"]), Number.isFinite(line["val_loss"])])).toEqual([
      [1, true, true],
      [2, true, true],
    ]);
    expect(lines.filter((line) => line["event"] === "eval").map((line) => line["split"])).toEqual(["validation", "test"]);
    expect(existsSync(join(project, "weather.safetensors"))).toBe(true);

    const predicted = rnnc("predict", seattle, "--weights", "weather.safetensors", "--last", "2", "--format", "json");
    expect(predicted.status).toBe(0);
    const dates = readFileSync(join(repo, "models/data/seattle-weather.csv"), "utf8").trim().split("\n").slice(1).map((row) => row.split(",")[0]);
    const predictions = jsonLines(predicted.stdout);
    expect(predictions.map((p) => p["after"])).toEqual(dates.slice(-2));
    for (const p of predictions) expect(["drizzle", "fog", "rain", "snow", "sun"]).toContain(p["prediction"]);
  });

  it("a bad spec exits 2 with a positioned diagnostic and no stack trace", () => {
    writeFileSync(join(project, "bad.yaml"), readFileSync(join(repo, "models/simple-rnn.yaml"), "utf8").replace("hidden_size: 20", "hiden_size: 20"));
    const result = rnnc("compile", "bad.yaml");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^bad\.yaml:13:5: error RNNC0010: unknown key `hiden_size`/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("the installed API, from plain Node", { timeout: 180_000 }, () => {
  it("imports without a loader: compile, train and predict return values, diagnostics included", () => {
    const script = `
      import("rnnc").then(async ({ compile, compileFile, train, predict, codes }) => {
        const bad = compile("version: 1\\nname: [unclosed\\n", { specPath: "bad.yaml" });
        const good = compileFile("node_modules/rnnc/models/simple-rnn.yaml");
        const trained = await train("node_modules/rnnc/models/simple-rnn.yaml", { epochs: 3 });
        const predicted = await predict(${JSON.stringify(seattle)}, { weights: "weather.safetensors", last: 1 });
        const missing = await predict(${JSON.stringify(seattle)}, { weights: "none.safetensors" });
        const schema = import.meta.resolve("rnnc/schema.json");
        console.log(JSON.stringify({ bad: bad.diagnostics, files: good.files.map((f) => f.path), losses: trained.epochs.map((e) => e.loss),
          predicted: predicted.predictions, missing: missing.diagnostics.map((d) => d.code), fileUnreadable: codes.fileUnreadable, schema }));
      });`;
    const result = inProject("node", ["--input-type=module", "-e", script]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout) as { bad: { code: string; line: number }[]; files: string[]; losses: number[]; predicted: { after: string }[]; missing: string[]; fileUnreadable: string; schema: string };
    expect(out.bad[0]).toMatchObject({ code: "RNNC0002", line: 2 });
    expect(out.files).toEqual(["simple-rnn.ts"]);
    const cliLosses = (rnnc("train", "node_modules/rnnc/models/simple-rnn.yaml", "--epochs", "3", "--log-format", "json").stdout.trim().split("\n")).map((line) => (JSON.parse(line) as { loss: number }).loss);
    expect(out.losses).toEqual(cliLosses);
    expect(out.predicted).toHaveLength(1);
    expect(out.missing).toEqual([out.fileUnreadable]);
    expect(out.schema).toMatch(/\/node_modules\/rnnc\/src\/spec\/schema\.json$/);
    expect((JSON.parse(readFileSync(new URL(out.schema), "utf8")) as { title: string }).title).toMatch(/rnnc model spec/);
  });

  it("runs the README's example as written", () => {
    const readme = readFileSync(join(repo, "README.md"), "utf8");
    const example = /```js\n(\/\/ example\.mjs\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    writeFileSync(join(project, "example.mjs"), example!);
    const result = inProject("node", ["example.mjs"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const lastMonth = readFileSync(join(repo, "models/data/co2-concentration.csv"), "utf8").trim().split("\n").at(-1)!.slice(0, 7);
    expect(result.stdout).toMatch(/^co2-forecast\.ts: \d+ lines\n(epoch \d: loss \d\.\d{4}, validation \d\.\d{4}\n){5}\{ after: '(\d{4}-\d\d)', horizon: 1, prediction: 4\d\d\.\d+ \}\n$/);
    expect(result.stdout).toContain(`after: '${lastMonth}'`);
    expect(existsSync(join(project, "co2.safetensors"))).toBe(true);
  });

  it("its types resolve through `exports` for a TypeScript user (tsc, NodeNext)", () => {
    writeFileSync(
      join(project, "check.ts"),
      [
        'import { compile, type CompileResult, type Diagnostic, type TrainResult } from "rnnc";',
        'const result: CompileResult = compile("version: 1", { specPath: "a.yaml" });',
        "const diagnostics: readonly Diagnostic[] = result.diagnostics;",
        "export const epochs = (r: TrainResult): number => r.epochs.length + diagnostics.length;",
        "// @ts-expect-error: specPath is required",
        'compile("version: 1", {});',
      ].join("\n"),
    );
    const tsc = join(repo, "node_modules/typescript/bin/tsc");
    const result = inProject("node", [tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--skipLibCheck", "--types", "node", "--typeRoots", join(repo, "node_modules/@types"), "check.ts"]);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
