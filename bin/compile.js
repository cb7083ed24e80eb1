#!/usr/bin/env node
// `compile …` is `rnnc compile …`, so that `npx compile models/simple-rnn.yaml` works.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
await main(["compile", ...process.argv.slice(2)]);
