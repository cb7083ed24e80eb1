import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Project, ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";

/** `compile --emit js`: an ES module and its declarations that plain Node (no loader) and TypeScript users import. */
const repo = process.cwd();

async function project(): Promise<string> {
  const dir = temporaryDirectory();
  writeFileSync(join(dir, "package.json"), "{}\n");
  mkdirSync(join(dir, "models"));
  copyFileSync(resolve(repo, "models/simple-rnn.yaml"), join(dir, "models/simple-rnn.yaml"));
  const compiled = await runCli(["compile", "models/simple-rnn.yaml", "--emit", "js"], dir);
  expect(compiled.code, compiled.stderr).toBe(0);
  return dir;
}

/** Five training steps on fixed data from createModel({ seed: 0 }): the losses, as the script run by plain Node prints them. */
const trainingScript = (url: string) => `
const { createModel, MAX_BATCH } = await import(${JSON.stringify(url)});
const model = createModel({ seed: 0 });
const x = Float32Array.from({ length: MAX_BATCH * 70 }, (_, i) => Math.sin(i * 0.37));
const y = Int32Array.from({ length: MAX_BATCH }, (_, i) => i % 5);
const losses = [];
for (let step = 0; step < 5; step++) losses.push(model.trainStep({ x, y }, MAX_BATCH));
console.log(JSON.stringify(losses));
`;

describe("compile --emit js", () => {
  it("writes <name>.ts, .js and .d.ts; the same bytes on a second run; --check covers all three", async () => {
    const dir = await project();
    const read = (ext: string) => readFileSync(join(dir, `generated/simple-rnn.${ext}`), "utf8");
    const first = ["ts", "js", "d.ts"].map(read);
    expect(first[0]).toBe(readFileSync(resolve(repo, "generated/simple-rnn.ts"), "utf8"));
    expect(first[1]).toMatch(/^\/\/ Generated from models\/simple-rnn\.yaml .*\n.*\n\/\/ Regenerate with `npx compile models\/simple-rnn\.yaml --emit js`/);
    expect(first[1]).not.toMatch(/^\s*import\b/m);
    const again = await runCli(["compile", "models/simple-rnn.yaml", "--emit", "js"], dir);
    expect(again.stdout).toContain("generated/simple-rnn.js is up to date");
    expect(["ts", "js", "d.ts"].map(read)).toEqual(first);
    expect((await runCli(["compile", "--check", "--emit", "js", "models/simple-rnn.yaml"], dir)).code).toBe(0);

    writeFileSync(join(dir, "generated/simple-rnn.js"), `${first[1]}// edited\n`);
    rmSync(join(dir, "generated/simple-rnn.d.ts"));
    const stale = await runCli(["compile", "--check", "--emit", "js", "models/simple-rnn.yaml"], dir);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("generated/simple-rnn.js: stale; regenerate it with `npx compile models/simple-rnn.yaml --emit js`");
    expect(stale.stderr).toContain("generated/simple-rnn.d.ts: missing");
  });

  it("plain Node 20 imports the .js without a loader and trains to the losses of the .ts module", async () => {
    const dir = await project();
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", trainingScript(pathToFileURL(join(dir, "generated/simple-rnn.js")).href)], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "" } });
    const fromJs = JSON.parse(output) as number[];
    const typescript = (await import(pathToFileURL(resolve(repo, "generated/simple-rnn.ts")).href)) as typeof import("../generated/simple-rnn.ts");
    const model = typescript.createModel({ seed: 0 });
    const x = Float32Array.from({ length: typescript.MAX_BATCH * 70 }, (_, i) => Math.sin(i * 0.37));
    const y = Int32Array.from({ length: typescript.MAX_BATCH }, (_, i) => i % 5);
    const expected = Array.from({ length: 5 }, () => model.trainStep({ x, y }, typescript.MAX_BATCH));
    expect(fromJs).toEqual(expected);
  });

  it("the .d.ts types a TypeScript program that imports the .js: right use compiles, a missing input does not", async () => {
    const dir = await project();
    const check = (consumer: string): string[] => {
      const checker = new Project({
        useInMemoryFileSystem: true,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, lib: ["lib.es2022.d.ts"], strict: true, noEmit: true },
      });
      checker.createSourceFile("/app/simple-rnn.d.ts", readFileSync(join(dir, "generated/simple-rnn.d.ts"), "utf8"));
      checker.createSourceFile("/app/package.json", '{ "type": "module" }');
      checker.createSourceFile("/app/main.ts", consumer);
      return checker.getPreEmitDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.getMessageText() as string | ts.DiagnosticMessageChain, " "));
    };
    const good = `import { createModel, MAX_BATCH, type Inputs } from "./simple-rnn.js";
const model = createModel({ seed: 1 });
const inputs: Inputs = { x: new Float32Array(MAX_BATCH * 70) };
const logits: Float32Array = model.forward(inputs, 1);
const bytes: Uint8Array = model.saveSafetensors();
model.loadSafetensors(bytes);
export const first = logits[0];
`;
    expect(check(good)).toEqual([]);
    const missing = good.replace("{ x: new Float32Array(MAX_BATCH * 70) }", "{}");
    expect(check(missing).join("\n")).toMatch(/Property 'x' is missing/);
  });
});
