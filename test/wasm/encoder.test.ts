import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ModuleBuilder, signedLeb128, unsignedLeb128 } from "../../src/emit/wasm/encoder.ts";
import { wasm } from "./harness.ts";

/** Reads a LEB128 back: the spec's decoding, independent of the encoder. */
function decodeLeb128(bytes: readonly number[], signed: boolean): { value: number; length: number } {
  let result = 0n;
  let shift = 0n;
  let index = 0;
  for (;;) {
    const byte = bytes[index++];
    if (byte === undefined) throw new Error("truncated LEB128");
    result |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
    if ((byte & 0x80) === 0) {
      if (signed && (byte & 0x40) !== 0) result -= 1n << shift;
      return { value: Number(result), length: index };
    }
  }
}

function instantiate(mod: ModuleBuilder, imports: Record<string, Record<string, unknown>> = {}): Record<string, (...args: number[]) => number> {
  const { bytes } = mod.encode();
  expect(wasm.validate(bytes)).toBe(true);
  return new wasm.Instance(new wasm.Module(bytes), imports).exports as Record<string, (...args: number[]) => number>;
}

describe("LEB128", () => {
  it("encodes the spec's examples", () => {
    expect(unsignedLeb128(0)).toEqual([0x00]);
    expect(unsignedLeb128(127)).toEqual([0x7f]);
    expect(unsignedLeb128(128)).toEqual([0x80, 0x01]);
    expect(unsignedLeb128(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(unsignedLeb128(0xffff_ffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(signedLeb128(0)).toEqual([0x00]);
    expect(signedLeb128(-1)).toEqual([0x7f]);
    expect(signedLeb128(63)).toEqual([0x3f]);
    expect(signedLeb128(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb128(-64)).toEqual([0x40]);
    expect(signedLeb128(-65)).toEqual([0xbf, 0x7f]);
    expect(signedLeb128(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(signedLeb128(-0x8000_0000)).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
  });

  it("rejects what does not fit 32 bits", () => {
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN]) expect(() => unsignedLeb128(bad)).toThrow(RangeError);
    for (const bad of [2 ** 31, -(2 ** 31) - 1, 0.5]) expect(() => signedLeb128(bad)).toThrow(RangeError);
  });

  it("round-trips every u32 and s32 in the fewest bytes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (value) => {
        const bytes = unsignedLeb128(value);
        expect(decodeLeb128(bytes, false)).toEqual({ value, length: bytes.length });
        expect(bytes.length).toBe(Math.max(1, Math.ceil(value.toString(2).length / 7)));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }), (value) => {
        const bytes = signedLeb128(value);
        expect(decodeLeb128(bytes, true)).toEqual({ value, length: bytes.length });
        const bits = value >= 0 ? value.toString(2).length + 1 : (-value - 1).toString(2).length + 1; // with the sign bit
        expect(bytes.length).toBe(Math.ceil(bits / 7));
      }),
    );
  });
});

describe("ModuleBuilder", () => {
  it("builds a module with exported functions that call each other, across declaration order", () => {
    const mod = new ModuleBuilder();
    mod.func("twice_plus", [["x", "i32"], ["y", "i32"]] as const, ["i32"], { exportName: "twicePlus", doc: "" }, (f, { x, y }) => {
      f.get(x).call(double).get(y).op("i32.add");
    });
    const double = mod.func("double", [["x", "i32"]] as const, ["i32"], { doc: "" }, (f, { x }) => {
      f.get(x).i32(1).op("i32.shl");
    });
    const exports = instantiate(mod);
    expect(exports["twicePlus"]!(20, 2)).toBe(42);
    expect(exports["double"]).toBeUndefined();
  });

  it("resolves named labels to relative depths (block, loop, while, if/else)", () => {
    const mod = new ModuleBuilder();
    // for (i = 0; i < n; i++) { if (i % 4 == 0) continue; if (i odd) total += i; else { total += 2i; continue; } total += 100; }
    mod.func("sum", [["n", "i32"]] as const, ["i32"], { exportName: "sum", doc: "" }, (f, { n }) => {
      const i = f.local("i", "i32");
      const total = f.local("total", "i32");
      f.while(
        "outer",
        () => void f.get(i).get(n).op("i32.lt_s"),
        () => {
          f.block("next", () => {
            f.get(i).i32(3).op("i32.and").op("i32.eqz").brIf("next");
            f.get(i).i32(1).op("i32.and");
            f.if(
              () => void f.get(total).get(i).op("i32.add").set(total),
              () => void f.get(total).get(i).i32(2).op("i32.mul").op("i32.add").set(total).br("next"), // out of the if and the block
            );
            f.get(total).i32(100).op("i32.add").set(total);
          });
          f.get(i).i32(1).op("i32.add").set(i);
        },
      );
      f.get(total);
    });
    // odd i < 10: 1+3+5+7+9 + 5·100; even, not multiples of 4: 2·(2+6).
    expect(instantiate(mod)["sum"]!(10)).toBe(25 + 500 + 16);
  });

  it("rejects branches to labels that are not in scope, and duplicate names", () => {
    const mod = new ModuleBuilder();
    mod.func("bad", [], [], { doc: "" }, (f) => {
      f.block("a", () => undefined);
      f.br("a");
    });
    expect(() => mod.encode()).toThrow(/no enclosing label \$a/);
    const dup = new ModuleBuilder();
    dup.func("f", [["x", "i32"]] as const, [], { doc: "" }, (f) => void f.local("x", "i32"));
    expect(() => dup.encode()).toThrow(/duplicate local/);
    expect(() => dup.func("f", [], [], { doc: "" }, () => undefined)).toThrow(/duplicate function/);
  });

  it("encodes SIMD arithmetic, shuffles, lane access and memory through an imported memory", () => {
    const memory = new wasm.Memory({ initial: 1, maximum: 1 });
    const f32 = new Float32Array(memory.buffer);
    f32.set([1, 2, 3, 4, 10, 20, 30, 40]);
    const mod = new ModuleBuilder().importMemory("env", "memory", 1);
    // out[0…4) = reverse(a[0…4)) · splat(b[0]) + a[4…8); returns lane 2 of it.
    mod.func("simd", [["out", "i32"]] as const, ["f32"], { exportName: "simd", doc: "" }, (f, { out }) => {
      const v = f.local("v", "v128");
      f.i32(0).simdMemory("v128.load", { align: 2 });
      f.i32(0).simdMemory("v128.load", { align: 2 });
      f.shuffle([12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3]);
      f.i32(16).simdMemory("v128.load32_splat", { align: 2 });
      f.simd("f32x4.mul");
      f.i32(0).simdMemory("v128.load", { offset: 16, align: 2 });
      f.simd("f32x4.add").set(v);
      f.get(out).get(v).simdMemory("v128.store", { align: 2 });
      f.get(out).get(v).simdLane("f32x4.extract_lane", 3).memory("f32.store", { offset: 16, align: 2 }); // out[4] = lane 3
      f.get(v).simdLane("f32x4.extract_lane", 2);
      expect(() => f.simdLane("f32x4.extract_lane", 4)).toThrow(RangeError);
    });
    // The same in f64 lanes with v128.const and a lane store.
    mod.func("simd64", [], ["f64"], { exportName: "simd64", doc: "" }, (f) => {
      const half = [...new Uint8Array(new Float64Array([0.5, 0.25]).buffer)];
      f.v128Const(half).i32(0).simdMemory("v128.load64_zero", { align: 3 }).simd("f64x2.add");
      f.i32(0).simdMemory("v128.load64_splat", { align: 3 }).simd("f64x2.mul");
      f.simdLane("f64x2.extract_lane", 0);
    });
    const exports = instantiate(mod, { env: { memory } });
    expect(exports["simd"]!(64)).toBe(2 * 10 + 30);
    expect([...f32.subarray(16, 21)]).toEqual([4 * 10 + 10, 3 * 10 + 20, 2 * 10 + 30, 1 * 10 + 40, 1 * 10 + 40]);
    const f64 = new Float64Array(memory.buffer);
    f64[0] = 3;
    expect(exports["simd64"]!()).toBe((3 + 0.5) * 3);
  });

  it("shares one type entry between functions of the same signature", () => {
    const mod = new ModuleBuilder();
    for (const name of ["a", "b", "c"]) mod.func(name, [["x", "i32"]] as const, ["i32"], { doc: "" }, (f, { x }) => void f.get(x));
    const { bytes } = mod.encode();
    expect(bytes[8]).toBe(1); // the type section comes first
    expect(bytes[10]).toBe(1); // …and holds one type
  });

  it("prints WAT-like text for each function", () => {
    const mod = new ModuleBuilder();
    mod.func("f", [["x", "i32"]] as const, ["i32"], { exportName: "f", doc: "identity" }, (f, { x }) => {
      f.block("out", () => void f.get(x).brIf("out"));
      f.get(x);
    });
    const [entry] = mod.encode().functions;
    expect(entry?.wat).toBe(['(func $f (export "f") (param $x i32) (result i32)', "  block $out", "    local.get $x", "    br_if $out", "  end", "  local.get $x", ")"].join("\n"));
  });
});
