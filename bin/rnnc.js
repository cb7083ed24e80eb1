#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so the CLI is always the code in src/ (no build step to go stale).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
await main(process.argv.slice(2));
