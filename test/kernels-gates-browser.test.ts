import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { chromium, inChromium } from "./helpers/chromium.ts";
import { temporaryDirectory } from "./helpers/temporary.ts";
import { compile } from "../src/compile.ts";
import { sequenceClassifier } from "./helpers/inline-spec.ts";

/**
 * The gate kernels in a browser: a float32 LSTM → GRU model (both layers on the gate kernels, and on the exp-free
 * sigmoid) trains in headless Chromium to the same weights, bit for bit, as in Node. Same harness as
 * test/browser.test.ts (which trains an RNN); runs where Debian's chromium is installed, elsewhere reported skipped.
 */
const SEQ = 7;
const INPUT = 10;

const page = `<!doctype html><html><body><pre id="out">running</pre><script type="module">
import { createModel, MAX_BATCH, PARAMETERS } from "./model.js";
const model = createModel();
let s = 1;
const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
for (const p of PARAMETERS) for (let i = 0; i < p.size; i++) model.parameters[p.offset + i] = rand() * (p.init.distribution === "uniform" ? p.init.bound : p.init.std);
const x = Float32Array.from({ length: MAX_BATCH * ${SEQ * INPUT} }, () => 3 * rand());
const y = Int32Array.from({ length: MAX_BATCH }, (_, i) => i % 5);
const losses = [];
for (let epoch = 0; epoch < 10; epoch++) losses.push(model.trainStep({ x, y }, MAX_BATCH));
let hash = 2166136261;
for (const word of new Uint32Array(model.parameters.buffer, model.parameters.byteOffset, model.parameters.length)) hash = Math.imul(hash ^ word, 16777619) >>> 0;
document.getElementById("out").textContent = "weights " + hash + " losses " + JSON.stringify(losses);
</script></body></html>`;


describe("the gate kernels in a browser", () => {
  it.skipIf(!existsSync(chromium))("an LSTM → GRU model trains in headless Chromium to the same weights as in Node", async () => {
    const graph = "  - { id: lstm, op: lstm, input: x, hidden_size: 20 }\n  - { id: gru, op: gru, input: lstm, hidden_size: 16 }\n  - { id: last, op: last_step }";
    const result = compile(sequenceClassifier({ seq: SEQ, input: INPUT, classes: 5, batch: 16, graph }), { specPath: "inline.yaml", precision: "float32" });
    const source = result.files[0]?.content ?? "";
    expect(source).toContain("lstm_forward_f32(");
    expect(source).toContain("gru_backward_f32(");
    const dir = temporaryDirectory();
    writeFileSync(join(dir, "model.js"), ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText);
    writeFileSync(join(dir, "index.html"), page);
    writeFileSync(join(dir, "node.mjs"), page.slice(page.indexOf("import"), page.indexOf("document.")) + 'console.log("weights " + hash + " losses " + JSON.stringify(losses));');
    // Chromium has relaxed SIMD, so the products use the fused multiply-add kernels there: Node must load the same ones.
    const inNode = execFileSync("node", ["--experimental-wasm-relaxed-simd", join(dir, "node.mjs")], { encoding: "utf8" }).trim();
    const inBrowser = await inChromium(dir);
    expect(inNode).toMatch(/^weights \d+ losses \[1\.\d+/);
    const [browserWeights, browserLosses] = inBrowser.split(" losses ");
    const [nodeWeights, nodeLosses] = inNode.split(" losses ");
    expect(browserWeights).toBe(nodeWeights);
    // the losses go through Math.exp and Math.log in the loss, whose last bits differ between engines: a few ulps
    const parse = (text: string | undefined) => JSON.parse(text ?? "[]") as number[];
    expect(parse(browserLosses)).toHaveLength(10);
    parse(browserLosses).forEach((loss, i) => expect(Math.abs(loss - parse(nodeLosses)[i]!)).toBeLessThanOrEqual(1e-15 * Math.abs(loss)));
  }, 90_000);
});
