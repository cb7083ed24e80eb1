import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { chromium, inChromium } from "./helpers/chromium.ts";
import { temporaryDirectory } from "./helpers/temporary.ts";

/**
 * "Runs in Node or a browser untouched": the checked-in generated module, with only its types stripped, trains in
 * headless Chromium and in Node to the same losses. Runs where Debian's chromium is installed
 * (`apt-get install chromium`); elsewhere it is reported as skipped.
 */

const page = `<!doctype html><html><body><pre id="out">running</pre><script type="module">
import { createModel, MAX_BATCH, PARAMETERS } from "./model.js";
const model = createModel();
let s = 1;
const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
for (const p of PARAMETERS) for (let i = 0; i < p.size; i++) model.parameters[p.offset + i] = rand() * (p.init.distribution === "uniform" ? p.init.bound : p.init.std);
const x = Float32Array.from({ length: MAX_BATCH * 70 }, rand);
const y = Int32Array.from({ length: MAX_BATCH }, (_, i) => i % 5);
const losses = [];
for (let epoch = 0; epoch < 10; epoch++) losses.push(model.trainStep({ x, y }, MAX_BATCH));
let hash = 2166136261;
for (const word of new Uint32Array(model.parameters.buffer, model.parameters.byteOffset, model.parameters.length)) hash = Math.imul(hash ^ word, 16777619) >>> 0;
document.getElementById("out").textContent = "weights " + hash + " losses " + JSON.stringify(losses);
</script></body></html>`;

describe("the generated module in a browser", () => {
  it.skipIf(!existsSync(chromium))("trains in headless Chromium exactly as in Node", async () => {
    const dir = temporaryDirectory();
    const source = readFileSync("generated/simple-rnn.ts", "utf8");
    const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
    writeFileSync(join(dir, "model.js"), js);
    writeFileSync(join(dir, "index.html"), page);
    writeFileSync(join(dir, "node.mjs"), page.slice(page.indexOf("import"), page.indexOf("document.")) + 'console.log("weights " + hash + " losses " + JSON.stringify(losses));');

    // Chromium has relaxed SIMD, so the module loads its fused multiply-add kernels there: Node must load the same ones.
    const inNode = execFileSync("node", ["--experimental-wasm-relaxed-simd", join(dir, "node.mjs")], { encoding: "utf8" }).trim();

    const inBrowser = await inChromium(dir);
    expect(inNode).toMatch(/^weights \d+ losses \[1\.\d+/);
    // The trained weights bit for bit. The losses (float64, from the float32 outputs through Math.exp and Math.log) to
    // within 1e-15 (a few ulps): Chromium 156's Math differs from Node 20's in the last bits for some inputs (1 loss in 10 here, by 2 ulps).
    const [browserWeights, browserLosses] = inBrowser.split(" losses ");
    const [nodeWeights, nodeLosses] = inNode.split(" losses ");
    expect(browserWeights).toBe(nodeWeights);
    const parse = (text: string | undefined) => JSON.parse(text ?? "[]") as number[];
    expect(parse(browserLosses)).toHaveLength(10);
    parse(browserLosses).forEach((loss, i) => expect(Math.abs(loss - parse(nodeLosses)[i]!)).toBeLessThanOrEqual(1e-15 * Math.abs(loss)));
  }, 90_000);
});
