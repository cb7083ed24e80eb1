import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import { buildKernels } from "../src/emit/wasm/kernels.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";

const repo = process.cwd();

/** A scratch project (package.json marks its root) with the seed spec in models/, and a link to that folder outside it. */
function project(): { dir: string; outside: string; link: string } {
  const dir = temporaryDirectory();
  writeFileSync(join(dir, "package.json"), "{}\n");
  mkdirSync(join(dir, "models"));
  copyFileSync(resolve(repo, "models/simple-rnn.yaml"), join(dir, "models/simple-rnn.yaml"));
  const outside = temporaryDirectory();
  const link = join(outside, "linked-models");
  symlinkSync(join(dir, "models"), link);
  return { dir, outside, link };
}

describe("generated output does not depend on the working directory", () => {
  it("is byte-identical compiled from the project root, from a subfolder, from outside it and through a linked folder; --check passes from each", async () => {
    const { dir, outside, link } = project();
    const generated = join(dir, "generated");
    // [working directory, spec path as typed there, --out-dir as typed there]
    const runs: [string, string, string][] = [
      [dir, "models/simple-rnn.yaml", "generated"],
      [join(dir, "models"), "simple-rnn.yaml", "../generated"],
      [outside, join(dir, "models/simple-rnn.yaml"), generated],
      [outside, "linked-models/simple-rnn.yaml", generated],
      [link, "simple-rnn.yaml", generated],
    ];
    const outputs: string[] = [];
    for (const [cwd, spec, outDir] of runs) {
      const written = await runCli(["compile", spec, "--out-dir", outDir], cwd);
      expect(written.code, written.stderr).toBe(0);
      outputs.push(readFileSync(join(generated, "simple-rnn.ts"), "utf8"));
    }
    expect(new Set(outputs).size).toBe(1);
    expect(outputs[0]).toContain("// Generated from models/simple-rnn.yaml (sha256 ");
    for (const [cwd, spec, outDir] of runs) {
      const checked = await runCli(["compile", "--check", spec, "--out-dir", outDir], cwd);
      expect({ code: checked.code, stderr: checked.stderr }).toEqual({ code: 0, stderr: "" });
    }
  });

  it("names in its header the command that regenerates it: precision, target and --emit js included", async () => {
    const { dir } = project();
    for (const options of [[], ["--precision", "float64"], ["--target", "inference", "--emit", "js"], ["--precision", "float64", "--target", "inference"]]) {
      const out = join(dir, `out-${options.join("")}`);
      expect((await runCli(["compile", "models/simple-rnn.yaml", "--out-dir", out, ...options], dir)).code).toBe(0);
      for (const file of options.includes("js") ? ["simple-rnn.ts", "simple-rnn.js"] : ["simple-rnn.ts"]) {
        const hint = /^\/\/ Regenerate with `npx compile ([^`]*)`/m.exec(readFileSync(join(out, file), "utf8"))?.[1];
        expect(hint, file).toBeDefined();
        // the command as written, into --check: every file it would write is there with the same bytes
        const checked = await runCli(["compile", "--check", ...hint!.split(" "), "--out-dir", out], dir);
        expect({ file, options, code: checked.code, stderr: checked.stderr }).toEqual({ file, options, code: 0, stderr: "" });
        // and the command without them would not regenerate this file
        if (options.length > 0) expect((await runCli(["compile", "--check", "models/simple-rnn.yaml", "--out-dir", out], dir)).code).not.toBe(0);
      }
    }
  });

  it("is the checked-in generated/simple-rnn.ts when compiled in a copy of the project", async () => {
    const { dir } = project();
    expect((await runCli(["compile", "models/simple-rnn.yaml"], dir)).code).toBe(0);
    expect(readFileSync(join(dir, "generated/simple-rnn.ts"), "utf8")).toBe(readFileSync(resolve(repo, "generated/simple-rnn.ts"), "utf8"));
  });
});

describe("embedded kernels", () => {
  it("are base64 that the module's own decoder turns back into the assembled bytes", async () => {
    const content = compile(readFileSync(resolve(repo, "models/simple-rnn.yaml"), "utf8"), { specPath: "models/simple-rnn.yaml" }).files[0]!.content;
    expect(content).not.toMatch(/new Uint8Array\(\[/);
    // the emitted decoder, run on the emitted text, must give back exactly what the assembler built
    const probe = `${content}\nexport const KERNEL_BYTES_FOR_TEST = [KERNELS_WASM_BASELINE, KERNELS_WASM_RELAXED];\n`;
    const loaded = (await loadGeneratedModule(probe)) as unknown as { KERNEL_BYTES_FOR_TEST: Uint8Array[] };
    expect(loaded.KERNEL_BYTES_FOR_TEST.map((bytes) => Array.from(bytes))).toEqual(
      (["baseline", "relaxed"] as const).map((variant) => Array.from(buildKernels("float32", variant).bytes)),
    );
  });

  it("decode for every length modulo 3 (padding of 0, 1 and 2 characters)", async () => {
    const content = compile(readFileSync(resolve(repo, "models/simple-rnn.yaml"), "utf8"), { specPath: "models/simple-rnn.yaml" }).files[0]!.content;
    const probe = `${content}\nexport const decodeForTest = fromBase64;\n`;
    const { decodeForTest } = (await loadGeneratedModule(probe)) as unknown as { decodeForTest: (text: string) => Uint8Array };
    for (let length = 0; length < 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 31) & 255);
      expect(Array.from(decodeForTest(Buffer.from(bytes).toString("base64")))).toEqual(Array.from(bytes));
    }
  });
});
