#!/usr/bin/env node
// `compile …` is `rnnc compile …`, so that `npx compile models/simple-rnn.yaml` works.
import { loadMain } from "./entry.js";

const main = await loadMain();
await main(["compile", ...process.argv.slice(2)]);
