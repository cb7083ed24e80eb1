import { attributeType, dataType, type AttributeProto, type DataType, type NodeProto, type TensorProto } from "./onnx-types.ts";

/**
 * Builds an ONNX graph's nodes and initializers with hygienic names: every tensor name is handed out once
 * (`fresh`), so what one spec node emits can never collide with another's, whatever the ids. Names read as
 * `<node id>/<what>` (`rnn/W_l0`, `last/index`); a spec node's final tensor is named after the node itself.
 */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly taken = new Set<string>();

  /** Claims `name` exactly (a graph input), or fails: two graph inputs cannot share a name. */
  reserve(name: string): string {
    if (this.taken.has(name)) throw new Error(`the ONNX name ${JSON.stringify(name)} is taken twice`);
    this.taken.add(name);
    return name;
  }

  /** `base`, or `base_2`, `base_3`, … if that is taken. */
  fresh(base: string): string {
    let name = base;
    for (let k = 2; this.taken.has(name); k++) name = `${base}_${k}`;
    this.taken.add(name);
    return name;
  }

  /** Adds a node with one output, named `output` (made fresh); returns the output's name. */
  node(opType: string, inputs: readonly string[], output: string, attributes: readonly AttributeProto[] = [], doc?: string): string {
    const name = this.fresh(output);
    this.nodes.push({ name, op_type: opType, input: inputs, output: [name], attribute: attributes, ...(doc === undefined ? {} : { doc_string: doc }) });
    return name;
  }

  /** A float32 initializer (weights), row-major. */
  floats(base: string, dims: readonly number[], values: ArrayLike<number>): string {
    return this.tensor(base, dims, dataType.float, littleEndian(values, 4, (view, i, v) => view.setFloat32(i, v, true)));
  }

  int64s(base: string, dims: readonly number[], values: readonly number[]): string {
    return this.tensor(base, dims, dataType.int64, littleEndian(values, 8, (view, i, v) => view.setBigInt64(i, BigInt(v), true)));
  }

  int32s(base: string, dims: readonly number[], values: readonly number[]): string {
    return this.tensor(base, dims, dataType.int32, littleEndian(values, 4, (view, i, v) => view.setInt32(i, v, true)));
  }

  private tensor(base: string, dims: readonly number[], type: DataType, raw: Uint8Array): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims, data_type: type, raw_data: raw });
    return name;
  }
}

function littleEndian(values: ArrayLike<number>, bytes: number, set: (view: DataView, offset: number, value: number) => void): Uint8Array {
  const raw = new Uint8Array(values.length * bytes);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) set(view, i * bytes, values[i]!);
  return raw;
}

/** Attribute constructors, so that call sites read `attribute.int("axis", 1)`. */
export const attribute = {
  int: (name: string, i: number): AttributeProto => ({ name, type: attributeType.int, i }),
  ints: (name: string, ints: readonly number[]): AttributeProto => ({ name, type: attributeType.ints, ints }),
  float: (name: string, f: number): AttributeProto => ({ name, type: attributeType.float, f }),
  string: (name: string, s: string): AttributeProto => ({ name, type: attributeType.string, s: new TextEncoder().encode(s) }),
  strings: (name: string, strings: readonly string[]): AttributeProto => ({ name, type: attributeType.strings, strings: strings.map((s) => new TextEncoder().encode(s)) }),
};
