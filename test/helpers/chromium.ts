import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { temporaryDirectory } from "./temporary.ts";

/** Debian's Chromium; tests that need it are reported skipped where it is not installed. */
export const chromium = "/usr/bin/chromium";

/**
 * Serves `dir` (index.html and the files it loads) on a local port, opens it in headless Chromium, and returns the
 * `weights <hash> losses [...]` line the page wrote into its DOM ("" if it wrote none).
 */
export async function inChromium(dir: string): Promise<string> {
  const server = createServer((request, response) => {
    const file = join(dir, request.url === "/" ? "index.html" : (request.url ?? "").slice(1));
    response.setHeader("content-type", file.endsWith(".js") ? "text/javascript" : "text/html");
    response.end(existsSync(file) ? readFileSync(file) : "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
  const dom = await new Promise<string>((resolve, reject) => {
    const browser = spawn(chromium, [...flags, `--user-data-dir=${temporaryDirectory()}`, "--virtual-time-budget=10000", "--dump-dom", `http://127.0.0.1:${port}/`]);
    let out = "";
    browser.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    browser.on("error", reject);
    browser.on("close", () => resolve(out));
  });
  server.close();
  return /weights \d+ losses \[[^\]<]*\]/.exec(dom)?.[0] ?? "";
}
