/**
 * The part of ONNX's ModelProto that rnnc writes, typed (field names as in src/export/onnx/onnx.proto, which
 * protobufjs reads with `keepCase`). Only the encoder in onnx-proto.ts turns these into bytes.
 */

/** TensorProto.DataType values. */
export const dataType = { float: 1, int32: 6, int64: 7, bool: 9 } as const;
export type DataType = (typeof dataType)[keyof typeof dataType];

export interface TensorProto {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data_type: DataType;
  /** Little-endian element bytes. */
  readonly raw_data: Uint8Array;
  readonly doc_string?: string;
}

/** AttributeProto.AttributeType values. */
export const attributeType = { float: 1, int: 2, string: 3, floats: 6, ints: 7, strings: 8 } as const;

export type AttributeProto =
  | { readonly name: string; readonly type: typeof attributeType.float; readonly f: number }
  | { readonly name: string; readonly type: typeof attributeType.int; readonly i: number }
  | { readonly name: string; readonly type: typeof attributeType.string; readonly s: Uint8Array }
  | { readonly name: string; readonly type: typeof attributeType.floats; readonly floats: readonly number[] }
  | { readonly name: string; readonly type: typeof attributeType.ints; readonly ints: readonly number[] }
  | { readonly name: string; readonly type: typeof attributeType.strings; readonly strings: readonly Uint8Array[] };

export interface NodeProto {
  readonly name: string;
  readonly op_type: string;
  /** An empty name leaves an optional input out (e.g. an RNN's bias when the layer has none). */
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly attribute: readonly AttributeProto[];
  readonly doc_string?: string;
}

/** One dimension: a size, or a name for a size known only at run time (`batch`). */
export type Dimension = { readonly dim_value: number } | { readonly dim_param: string };

export interface ValueInfoProto {
  readonly name: string;
  readonly type: { readonly tensor_type: { readonly elem_type: DataType; readonly shape: { readonly dim: readonly Dimension[] } } };
  readonly doc_string?: string;
}

export interface GraphProto {
  readonly name: string;
  readonly node: readonly NodeProto[];
  readonly initializer: readonly TensorProto[];
  readonly input: readonly ValueInfoProto[];
  readonly output: readonly ValueInfoProto[];
  readonly doc_string?: string;
}

export interface ModelProto {
  readonly ir_version: number;
  readonly opset_import: readonly { readonly domain: string; readonly version: number }[];
  readonly producer_name: string;
  readonly producer_version: string;
  readonly doc_string?: string;
  readonly graph: GraphProto;
  readonly metadata_props: readonly { readonly key: string; readonly value: string }[];
}
