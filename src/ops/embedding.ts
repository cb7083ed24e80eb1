import { diag } from "../diagnostics/codes.ts";
import { comment, constant, forRange } from "../emit/code.ts";
import { showType, staticSize, type LayerNode } from "../ir/types.ts";
import type { LayerOp, NodeSpecBase } from "./op.ts";

/**
 * embedding — a lookup table, as torch.nn.Embedding(num_embeddings, embedding_dim, padding_idx): int32 token ids
 * [batch, seq] → [batch, seq, dim] (or [batch] → [batch, dim]). Weight ~ N(0, 1) with the padding row zeroed; that
 * row gets no gradient. Token ids are range-checked when data is loaded, never read out of bounds.
 */
export interface EmbeddingNodeSpec extends NodeSpecBase {
  readonly op: "embedding";
  readonly num_embeddings: number;
  readonly embedding_dim: number;
  readonly padding_idx?: number;
}

export interface EmbeddingNode extends LayerNode {
  readonly numEmbeddings: number;
  readonly dim: number;
  /** 1 for [batch] ids, the sequence length for [batch, seq]. */
  readonly steps: number;
  readonly paddingIdx?: number;
}

export const embeddingOp: LayerOp<EmbeddingNodeSpec, EmbeddingNode> = {
  schema: {
    description:
      "A lookup table of learned vectors: int32 token ids [batch, seq] → [batch, seq, embedding_dim] (or [batch] → [batch, embedding_dim]). Weight ~ N(0, 1); the `padding_idx` row starts at 0 and gets no gradient. Same as torch.nn.Embedding.",
    required: ["num_embeddings", "embedding_dim"],
    properties: {
      num_embeddings: { description: "Size of the vocabulary: token ids lie in [0, num_embeddings).", type: "integer", minimum: 1, maximum: 1048576 },
      embedding_dim: { description: "Size of each vector.", type: "integer", minimum: 1, maximum: 4096 },
      padding_idx: { description: "A token id whose vector stays 0 and is not trained (PyTorch's padding_idx, non-negative here).", type: "integer", minimum: 0, maximum: 1048575 },
    },
  },
  lower(spec, inputs, at, keyAt) {
    const input = inputs[0]!;
    const dims = input.type.dims;
    const steps = dims.length === 2 && dims[1] !== undefined ? staticSize(dims[1]) : dims.length === 1 ? 1 : undefined;
    if (input.type.dtype !== "int32" || dims[0]?.name !== "batch" || steps === undefined) {
      return {
        diagnostics: [
          diag.rankMismatch(at, spec.id, "embedding", "int32 token ids [batch, seq] or [batch]", showType(input.type), `declare \`${input.id}\` as \`{ shape: [batch, <seq>], dtype: int32 }\``),
        ],
      };
    }
    if (spec.padding_idx !== undefined && spec.padding_idx >= spec.num_embeddings) {
      return {
        diagnostics: [diag.invalidValue(keyAt("padding_idx"), `graph node \`${spec.id}\`'s padding_idx`, String(spec.padding_idx), `padding_idx must be a token id below num_embeddings (${spec.num_embeddings})`)],
      };
    }
    const outDims = dims.length === 2 ? [dims[0], dims[1]!, { name: "embedding", size: spec.embedding_dim }] : [dims[0], { name: "embedding", size: spec.embedding_dim }];
    return {
      node: {
        op: "embedding",
        id: spec.id,
        input: input.id,
        inputs: [input.id],
        at,
        numEmbeddings: spec.num_embeddings,
        dim: spec.embedding_dim,
        steps,
        ...(spec.padding_idx === undefined ? {} : { paddingIdx: spec.padding_idx }),
        type: { dims: outDims, dtype: "float32" },
      },
    };
  },
  summary: (node) => `embedding(${node.input}, ${node.numEmbeddings}×${node.dim}${node.paddingIdx === undefined ? "" : `, padding ${node.paddingIdx}`})`,
  parameters: (node) => [
    { suffix: "weight", shape: [node.numEmbeddings, node.dim], init: { distribution: "normal", std: 1, ...(node.paddingIdx === undefined ? {} : { zeroRow: node.paddingIdx }) } },
  ],
  scratch: () => [],
  helpers: () => [],
  streaming: () => ({ state: [] }),
  integerRanges: (node) => [{ input: node.input, min: 0, max: node.numEmbeddings - 1, what: "token ids" }],
  forward(node, buffers, w) {
    const { steps: T, dim: D } = node;
    const weight = buffers.param("weight").value.view;
    comment(w, `embedding \`${node.id}\` forward: out[t, b, :] = W[ids[b, t], :] (ids batch-major, the output time-major)`);
    forRange(w, "b", "batchSize", () =>
      forRange(w, "t", T, () => {
        constant(w, "row", `${buffers.input.view}[b * ${T} + t]! * ${D}`);
        constant(w, "to", `(t * batchSize + b) * ${D}`);
        forRange(w, "d", D, () => w.writeLine(`${buffers.output.view}[to + d] = ${weight}[row + d]!;`));
      }),
    );
  },
  backward(node, buffers, w) {
    const { steps: T, dim: D } = node;
    const grad = buffers.param("weight").grad.view;
    comment(w, `embedding \`${node.id}\` backward: dW[ids[b, t], :] += dOut[t, b, :]${node.paddingIdx === undefined ? "" : `, except the padding row ${node.paddingIdx}`}`);
    forRange(w, "b", "batchSize", () =>
      forRange(w, "t", T, () => {
        constant(w, "id", `${buffers.input.view}[b * ${T} + t]!`);
        if (node.paddingIdx !== undefined) w.writeLine(`if (id === ${node.paddingIdx}) continue;`);
        constant(w, "from", `(t * batchSize + b) * ${D}`);
        forRange(w, "d", D, () => w.writeLine(`${grad}[id * ${D} + d]! += ${buffers.dOutput.view}[from + d]!;`));
      }),
    );
  },
};
