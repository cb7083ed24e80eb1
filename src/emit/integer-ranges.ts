import type { Graph } from "../ir/types.ts";
import type { IntegerRange } from "../ops/op.ts";
import { layerOp, lossOp } from "../ops/registry.ts";

/**
 * The range every int32 spec input must lie in, from every op and loss that reads it (intersected when several do),
 * for the generated INPUTS table: the runtime checks loaded data against it and draws dummy data within it.
 */
export function integerRanges(graph: Graph): Map<string, IntegerRange> {
  const ranges = new Map<string, IntegerRange>();
  const add = (range: IntegerRange) => {
    const known = ranges.get(range.input);
    if (known === undefined) {
      ranges.set(range.input, range);
      return;
    }
    const ignore = known.ignore !== undefined && known.ignore === range.ignore ? known.ignore : undefined;
    ranges.set(range.input, {
      input: range.input,
      min: Math.max(known.min, range.min),
      max: Math.min(known.max, range.max),
      what: known.what === range.what ? known.what : `${known.what} and ${range.what}`,
      ...(ignore === undefined ? {} : { ignore }),
    });
  };
  for (const node of graph.layers) for (const range of layerOp(node.op).integerRanges?.(node) ?? []) add(range);
  const target = lossOp(graph.loss.op).targetRange?.(graph.loss);
  if (target !== undefined) add(target);
  return ranges;
}
