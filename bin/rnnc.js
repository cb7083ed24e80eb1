#!/usr/bin/env node
// The CLI: dist/ in an installed package, the sources in a checkout (bin/entry.js says why).
import { loadMain } from "./entry.js";

const main = await loadMain();
await main(process.argv.slice(2));
