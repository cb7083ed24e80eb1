import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import type { IntegerRange } from "../ops/op.ts";
import { layerOp, lossOp } from "../ops/registry.ts";
import type { Graph } from "./types.ts";

/** One reading of an int32 spec input as ids, lengths or classes: by which node (or the loss), where it is written. */
interface RangeUse {
  readonly range: IntegerRange;
  readonly reader: string;
  readonly at: SourcePosition;
}

/** Every reading, in graph order: the layers, then the loss target. */
function rangeUses(graph: Pick<Graph, "layers" | "loss">): RangeUse[] {
  const uses: RangeUse[] = [];
  for (const node of graph.layers) for (const range of layerOp(node.op).integerRanges?.(node) ?? []) uses.push({ range, reader: `\`${node.id}\``, at: node.at });
  const target = lossOp(graph.loss.op).targetRange?.(graph.loss);
  if (target !== undefined) uses.push({ range: target, reader: "the loss", at: graph.loss.at });
  return uses;
}

/** Both readings at once: the values both accept (an `ignore` value only if both ignore it), named by what both read. */
function intersect(known: IntegerRange, range: IntegerRange): IntegerRange {
  const ignore = known.ignore !== undefined && known.ignore === range.ignore ? known.ignore : undefined;
  const what = [...new Set([...known.what.split(" and "), ...range.what.split(" and ")])].join(" and ");
  return { input: range.input, min: Math.max(known.min, range.min), max: Math.min(known.max, range.max), what, ...(ignore === undefined ? {} : { ignore }) };
}

/**
 * The range every int32 spec input must lie in, from every op and loss that reads it (intersected when several do),
 * for the generated INPUTS table: the runtime checks loaded data against it and draws dummy data within it.
 */
export function integerRanges(graph: Pick<Graph, "layers" | "loss">): Map<string, IntegerRange> {
  const ranges = new Map<string, IntegerRange>();
  for (const { range } of rangeUses(graph)) {
    const known = ranges.get(range.input);
    ranges.set(range.input, known === undefined ? range : intersect(known, range));
  }
  return ranges;
}

/**
 * An input read in two ways that no value satisfies at once (lengths in [1, 6] and token ids in [0, 0]) could
 * never be given valid data: the dummy data would be drawn outside one of the ranges and an embedding would read
 * past its table. Reported at the reading that empties the range, naming the earlier ones.
 */
export function integerRangeConflicts(graph: Pick<Graph, "layers" | "loss">): Diagnostic[] {
  const seen = new Map<string, { range: IntegerRange; readers: string[] }>();
  const diagnostics: Diagnostic[] = [];
  for (const use of rangeUses(graph)) {
    const known = seen.get(use.range.input);
    if (known === undefined) {
      seen.set(use.range.input, { range: use.range, readers: [`${use.reader} (${use.range.what} in [${use.range.min}, ${use.range.max}])`] });
      continue;
    }
    const both = intersect(known.range, use.range);
    if (both.min > both.max) {
      diagnostics.push(diag.integerRangeConflict(use.at, use.range.input, `${use.reader} reads it as ${use.range.what} in [${use.range.min}, ${use.range.max}]`, known.readers));
      continue; // one report per conflicting reading; the range stays as it was
    }
    seen.set(use.range.input, { range: both, readers: [...known.readers, `${use.reader} (${use.range.what} in [${use.range.min}, ${use.range.max}])`] });
  }
  return diagnostics;
}
