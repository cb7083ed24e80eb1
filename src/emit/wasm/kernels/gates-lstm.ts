import type { Local, ModuleBuilder } from "../encoder.ts";
import type { GateHelpers } from "./gates-helpers.ts";
import { assign, eachQuad, loadQuad, oneMinus, product, storeQuad, type Factor, type Walked } from "./gates-common.ts";
import { i32s } from "./params.ts";
import { sigmoidLocals, sigmoidQuads, splat32 } from "./sigmoid.ts";
import { tanhQuads, type TanhLocals } from "./tanh.ts";

/**
 * The LSTM's gate passes over one time step (src/ops/lstm.ts emits the same arithmetic as JavaScript for float64 and
 * whenever these kernels do not apply). Rows b = 0 … batch−1; pointers are byte offsets of row 0; gates rows are 4H
 * floats [i f g o], the others H. `hasPrev` = 0: the previous cell state is 0 (the first step).
 *
 *   lstm_forward_f32(gates, cPrev, cell, h, batch, H, hasPrev):
 *     i, f, o = σ(gates), g = tanh(gates), stored over the pre-activations; c = f·c_prev + i·g; h = o·tanh(c)
 *   lstm_backward_f32(gates, cell, cPrev, dh, dCell, dGates, batch, H, hasPrev):
 *     dc = dCell + dh·o·(1 − tanh(c)²); dGates = flush([dc·g·i(1−i), dc·c_prev·f(1−f), dc·i(1−g²), dh·tanh(c)·o(1−o)]);
 *     dCell = flush(dc·f)
 */
const v128s = (f: { local: (name: string, type: "v128") => Local }, names: readonly string[]): Local[] => names.map((name) => f.local(name, "v128"));

export function defineLstm(mod: ModuleBuilder, { tanh, flush }: GateHelpers): void {
  const forwardParams = i32s(["gates", "cPrev", "cell", "h", "batch", "H", "hasPrev"]);
  mod.func("lstm_forward_f32", forwardParams, [], { exportName: "lstm_forward_f32", doc: "one step's LSTM gates, c and h (float32 rows, H a multiple of 4)" }, (f, p) => {
    const [xi, xf, xo, i, fg, o, c, prev, one, zero] = v128s(f, ["xi", "xf", "xo", "i", "fg", "o", "c", "prev", "one", "zero"]) as [Local, Local, Local, Local, Local, Local, Local, Local, Local, Local];
    const tanhLocals = (name: string): TanhLocals => {
      const [x, x2, pp, q] = v128s(f, [name, `${name}_x2`, `${name}_p`, `${name}_q`]) as [Local, Local, Local, Local];
      return { x, x2, p: pp, q };
    };
    const g = tanhLocals("g");
    const tanhC = tanhLocals("tanhC");
    const sigmoids = [sigmoidLocals(f, "i", xi, i), sigmoidLocals(f, "f", xf, fg), sigmoidLocals(f, "o", xo, o)];
    const gates: Walked = { row: p.gates, width: 4 };
    const cPrev: Walked = { row: p.cPrev, width: 1 };
    const cell: Walked = { row: p.cell, width: 1 };
    const h: Walked = { row: p.h, width: 1 };
    splat32(f, 1);
    f.set(one);
    splat32(f, 0);
    f.set(zero);
    // four values at a time, in float32 (each operation rounded, as the JavaScript loop's Math.fround)
    eachQuad(
      f,
      p.batch,
      p.H,
      [gates, cPrev, cell, h],
      ({ at }) => {
        // i, f, o = σ(·) and g = tanh(·): four independent chains, written as one straight run so that they overlap
        for (const [local, block] of [[xi, 0], [xf, 1], [g.x, 2], [xo, 3]] as const) assign(f, local, () => loadQuad(f, () => at(gates, block)));
        sigmoidQuads(f, sigmoids, one, zero);
        tanhQuads(f, [g]);
        for (const [local, block] of [[i, 0], [fg, 1], [g.x, 2], [o, 3]] as const) storeQuad(f, () => at(gates, block), () => void f.get(local));
        f.get(zero).set(prev);
        f.get(p.hasPrev).if(() => assign(f, prev, () => loadQuad(f, () => at(cPrev))));
        // c = f·c_prev + i·g; h = o·tanh(c)
        assign(f, c, () => void f.get(fg).get(prev).simd("f32x4.mul").get(i).get(g.x).simd("f32x4.mul").simd("f32x4.add"));
        storeQuad(f, () => at(cell), () => void f.get(c));
        f.get(c).set(tanhC.x);
        tanhQuads(f, [tanhC]);
        storeQuad(f, () => at(h), () => void f.get(o).get(tanhC.x).simd("f32x4.mul"));
      },
    );
  });

  const backwardParams = i32s(["gates", "cell", "cPrev", "dh", "dCell", "dGates", "batch", "H", "hasPrev"]);
  mod.func("lstm_backward_f32", backwardParams, [], { exportName: "lstm_backward_f32", doc: "one step's LSTM gate gradients (float32 rows)" }, (f, p) => {
    const [i, fg, g, o, tanhC, dh, dc, prev] = v128s(f, ["i", "fg", "g", "o", "tanhC", "dhv", "dc", "prev"]) as [Local, Local, Local, Local, Local, Local, Local, Local];
    const gates: Walked = { row: p.gates, width: 4 };
    const dGates: Walked = { row: p.dGates, width: 4 };
    const walked = (row: Local): Walked => ({ row, width: 1 });
    const [cell, cPrev, dhRow, dCell] = [walked(p.cell), walked(p.cPrev), walked(p.dh), walked(p.dCell)];
    eachQuad(f, p.batch, p.H, [gates, dGates, cell, cPrev, dhRow, dCell], ({ at }) => {
      for (const [local, block] of [[i, 0], [fg, 1], [g, 2], [o, 3]] as const) assign(f, local, () => loadQuad(f, () => at(gates, block)));
      assign(f, tanhC, () => {
        loadQuad(f, () => at(cell));
        tanh(f);
      });
      assign(f, dh, () => loadQuad(f, () => at(dhRow)));
      // dc = dCell + dh·o·(1 − tanhC²)
      assign(f, dc, () => {
        loadQuad(f, () => at(dCell));
        product(f, dh, o, oneMinus(f, tanhC, true));
        f.simd("f32x4.add");
      });
      splat32(f, 0);
      f.set(prev);
      f.get(p.hasPrev).if(() => assign(f, prev, () => loadQuad(f, () => at(cPrev))));
      const gradients: [number, Factor[]][] = [
        [0, [dc, g, i, oneMinus(f, i)]],
        [1, [dc, prev, fg, oneMinus(f, fg)]],
        [2, [dc, i, oneMinus(f, g, true)]],
        [3, [dh, tanhC, o, oneMinus(f, o)]],
      ];
      for (const [block, factors] of gradients) storeQuad(f, () => at(dGates, block), () => {
          product(f, ...factors);
          flush(f);
        });
      storeQuad(f, () => at(dCell), () => {
        product(f, dc, fg);
        flush(f);
      });
    });
  });
}
