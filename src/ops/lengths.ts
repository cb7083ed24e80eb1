import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { showType } from "../ir/types.ts";
import type { InputValue, IntegerRange, JsonSchema, SourcePosition } from "./op.ts";

/**
 * Variable lengths, shared by every op that reads a sequence (rnn, lstm, gru, last_step, mean_pool, max_pool):
 * `lengths:` names an int32 [batch] spec input; sample b then counts only its first lengths[b] steps, as
 * pack_padded_sequence(…, enforce_sorted=False) does. Lengths must lie in [1, seq]: checked when data is loaded.
 */
export const lengthsKey: Readonly<Record<string, JsonSchema>> = {
  lengths: {
    $ref: "#/$defs/identifier",
    description:
      "An int32 [batch] spec input holding each sample's length: only its first `lengths[b]` steps count (as PyTorch's pack_padded_sequence); steps past it are 0 in a sequence output. Default: every step counts.",
  },
};

/** The lengths input (the node's second value when `lengths:` is set), checked to be int32 [batch]. */
export function lowerLengths(nodeId: string, op: string, inputs: readonly InputValue[], keyAt: (key: string) => SourcePosition): { lengths?: string; diagnostics: Diagnostic[] } {
  const lengths = inputs[1];
  if (lengths === undefined) return { diagnostics: [] };
  const type = lengths.type;
  if (type.dtype !== "int32" || type.dims.length !== 1 || type.dims[0]?.name !== "batch") {
    return {
      diagnostics: [
        diag.rankMismatch(
          keyAt("lengths"),
          nodeId,
          op,
          "lengths as int32 [batch]",
          showType(type),
          `\`${lengths.id}\` is ${type.dtype} [${showType(type).join(", ")}]; declare it as \`${lengths.id}: { shape: [batch], dtype: int32 }\``,
        ),
      ],
    };
  }
  return { lengths: lengths.id, diagnostics: [] };
}

export function lengthsRange(lengths: string | undefined, seqLen: number): IntegerRange[] {
  return lengths === undefined ? [] : [{ input: lengths, min: 1, max: seqLen, what: "lengths" }];
}
