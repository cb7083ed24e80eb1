import type { Graph } from "../../ir/types.ts";
import { pyString, type PythonWriter } from "./python-writer.ts";

/**
 * The spec's `data` section. Not yet read by the script: a spec with one trains from --data (its CSV or text
 * pipeline lives in rnnc); asked to train without it, the script says so with a coded error.
 */
export function emitSpecData(graph: Graph, w: PythonWriter): void {
  const section = graph.data === undefined ? "None" : pyString("csv");
  w.line(`DATA_SECTION = ${section}`);
  w.line().line();
  w.block("def spec_data(args):", () => {
    w.line(`"""The spec's data section, read as rnnc reads it: not in this script yet."""`);
    w.line(
      `raise UserError(CODES["data_section"], sys.argv[0], "this script cannot read the spec's data section yet", "train from --data D.safetensors (one tensor per spec input), or with rnnc train")`,
    );
  });
}
