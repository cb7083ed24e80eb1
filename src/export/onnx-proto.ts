import { readFileSync } from "node:fs";
import protobuf from "protobufjs";
import type { ModelProto } from "./onnx-types.ts";

/**
 * Encodes a ModelProto with protobufjs from ONNX's own schema (src/export/onnx/onnx.proto, vendored unchanged, see
 * NOTICE.md there): no hand-written wire format. The schema is parsed on each call (a few milliseconds), so that
 * nothing here holds state.
 */
function onnxModelType(): protobuf.Type {
  const schema = readFileSync(new URL("./onnx/onnx.proto", import.meta.url), "utf8");
  return protobuf.parse(schema, { keepCase: true }).root.lookupType("onnx.ModelProto");
}

/** The model's bytes, as an `.onnx` file holds them. Throws only on a bug (a field the schema does not have). */
export function encodeModel(model: ModelProto): Uint8Array {
  const type = onnxModelType();
  const plain = model as unknown as Record<string, unknown>;
  const problem = type.verify(plain);
  if (problem !== null) throw new Error(`the ONNX model does not fit onnx.proto: ${problem}`);
  return type.encode(type.fromObject(plain)).finish();
}

/** The inverse, for tests and tools: a plain object with onnx.proto's field names (64-bit integers as numbers). */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  const type = onnxModelType();
  return type.toObject(type.decode(bytes), { longs: Number, bytes: Array, defaults: false, arrays: true });
}
