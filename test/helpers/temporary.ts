import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];

/** A fresh folder under the system's temporary directory, removed after the test file (test/setup/temporary.ts). */
export function temporaryDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), "rnnc-test-"));
  made.push(dir);
  return dir;
}

/** Removes every folder temporaryDirectory made in this test file; RNNC_KEEP_TEST_DIRS=1 keeps them to look at. */
export function removeTemporaryDirectories(): void {
  if (process.env["RNNC_KEEP_TEST_DIRS"] === "1") return;
  for (const dir of made.splice(0)) {
    // a browser that has just exited may still be writing its profile here: retry, and never fail a test file over it
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // left behind, as every scratch folder was before
    }
  }
}
