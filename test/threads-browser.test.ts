import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { temporaryDirectory } from "./helpers/temporary.ts";
import { compile } from "../src/compile.ts";

/**
 * Threads in a browser (src/emit/threads): a threaded module, types stripped, trains in headless Chromium on two
 * threads (a Blob-URL Web Worker over the shared memory) to the same bits as the single-threaded module in the same
 * page; served without cross-origin isolation, the same page gets startThreads' error that names the two headers.
 * Runs where Debian's chromium is installed (`apt-get install chromium`); elsewhere it is reported as skipped.
 */
const chromium = "/usr/bin/chromium";

const page = `<!doctype html><html><body><pre id="out">running</pre><script type="module">
import * as single from "./single.js";
import * as threaded from "./threaded.js";
const report = (text) => fetch("/result", { method: "POST", body: text });
function train(module, model) {
  let s = 1;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const x = Float32Array.from({ length: module.MAX_BATCH * 16 * 24 }, rand);
  const y = Int32Array.from({ length: module.MAX_BATCH }, (_, i) => i % 5);
  const losses = [];
  for (let i = 0; i < 5; i++) losses.push(model.trainStep({ x, y }, module.MAX_BATCH));
  let hash = 2166136261;
  for (const word of new Uint32Array(model.parameters.buffer, model.parameters.byteOffset, model.parameters.length)) hash = Math.imul(hash ^ word, 16777619) >>> 0;
  return "weights " + hash + " losses " + JSON.stringify(losses);
}
try {
  const reference = train(single, single.createModel());
  const model = threaded.createModel();
  const started = await model.startThreads(2);
  const result = train(threaded, model);
  await model.stopThreads();
  await report("isolated " + crossOriginIsolated + " threads " + started + " same " + (result === reference) + " | " + result);
} catch (error) {
  await report("isolated " + crossOriginIsolated + " error " + error.message);
}
</script></body></html>`;

/**
 * Serves `dir` (with or without the isolation headers) to headless Chromium and resolves to what the page POSTs to
 * /result. Real time, not --virtual-time-budget: virtual time does not wait for a worker thread to start.
 */
async function browse(dir: string, isolated: boolean): Promise<string> {
  let received: (text: string) => void = () => undefined;
  const result = new Promise<string>((resolve) => (received = resolve));
  const server = createServer((request, response) => {
    if (request.method === "POST") {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        response.end();
        received(body);
      });
      return;
    }
    const file = join(dir, request.url === "/" ? "index.html" : (request.url ?? "").slice(1));
    response.setHeader("content-type", file.endsWith(".js") ? "text/javascript" : "text/html");
    if (isolated) {
      response.setHeader("cross-origin-opener-policy", "same-origin");
      response.setHeader("cross-origin-embedder-policy", "require-corp");
    }
    response.end(existsSync(file) ? readFileSync(file) : "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
  const browser = spawn(chromium, [...flags, `--user-data-dir=${temporaryDirectory()}`, `http://127.0.0.1:${port}/`], { stdio: "ignore" });
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve("no result within 90 s"), 90_000));
  const exited = new Promise<string>((resolve) => browser.on("exit", (code) => resolve(`chromium exited (${code}) without a result`)));
  try {
    return await Promise.race([result, timeout, exited]);
  } finally {
    browser.kill();
    server.close();
  }
}

describe("threads in a browser", () => {
  it.skipIf(!existsSync(chromium))("train on a Web Worker to the same bits when cross-origin isolated, and say which headers are missing when not", async () => {
    const dir = temporaryDirectory();
    const spec = `version: 1
name: threads-browser
input:
  x: { shape: [batch, 16, 24], dtype: float32 }
  y: { shape: [batch], dtype: int32 }
graph:
  - { id: rnn, op: lstm, input: x, hidden_size: 48 }
  - { id: last, op: last_step }
  - { id: fc, op: linear, out_features: 5 }
loss: { op: cross_entropy, input: fc, target: y }
optimizer: { op: adam, lr: 0.01 }
train: { batch_size: 32 }
`;
    for (const [name, threads] of [["single", undefined], ["threaded", 2]] as const) {
      const content = compile(spec, { specPath: "threads-browser.yaml", ...(threads === undefined ? {} : { threads }) }).files[0]?.content ?? "";
      writeFileSync(join(dir, `${name}.js`), ts.transpileModule(content, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText);
    }
    writeFileSync(join(dir, "index.html"), page);

    const isolated = await browse(dir, true);
    expect(isolated).toMatch(/^isolated true threads 2 same true \| weights \d+ losses \[1\.\d+/);
    const open = await browse(dir, false);
    expect(open).toMatch(/^isolated false error .*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/);
  }, 200_000);
});
