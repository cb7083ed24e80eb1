// Which code the bins run. An installed package has only the compiled dist/, which plain Node runs (no loader). A
// checkout of the repository has the TypeScript sources in src/ and tsx among its devDependencies: there the bins run
// the sources, so the CLI is always the code in src/ and a dist/ built earlier can never go stale under the tests or
// `npx compile --check` (dist/ is built only by `npm run build` and `npm pack`).
import { existsSync } from "node:fs";

const sources = new URL("../src/cli/main.ts", import.meta.url);
const compiled = new URL("../dist/cli/main.js", import.meta.url);

/** @returns {Promise<(argv: readonly string[]) => Promise<void>>} */
export async function loadMain() {
  if (existsSync(sources)) {
    const tsx = await import("tsx/esm/api").catch(() => undefined);
    if (tsx !== undefined) {
      tsx.register();
      return (await import(sources.href)).main;
    }
  }
  if (!existsSync(compiled)) {
    process.stderr.write("rnnc: dist/ is missing and tsx is not installed: run `npm ci` (or `npm run build`) in the rnnc checkout\n");
    process.exit(70);
  }
  return (await import(compiled.href)).main;
}
