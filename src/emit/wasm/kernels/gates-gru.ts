import type { Local, ModuleBuilder } from "../encoder.ts";
import { assign, eachQuad, loadQuad, oneMinus, product, storeQuad, type Factor, type Walked } from "./gates-common.ts";
import type { GateHelpers } from "./gates-helpers.ts";
import { i32s } from "./params.ts";
import { sigmoidLocals, sigmoidQuads, splat32 } from "./sigmoid.ts";
import { tanhQuads, type TanhLocals } from "./tanh.ts";

/**
 * The GRU's gate passes over one time step (src/ops/gru.ts emits the same arithmetic as JavaScript for float64 and
 * whenever these kernels do not apply). Rows b = 0 … batch−1; pointers are byte offsets of row 0; gates, hidden,
 * dGates and dHidden rows are 3H floats [r z n], the others H. `hasPrev` = 0: h_prev is 0 (the first step).
 *
 *   gru_forward_f32(gates, hidden, hPrev, h, batch, H, hasPrev):
 *     r = σ(gates_r + hidden_r), z = σ(gates_z + hidden_z), n = tanh(gates_n + r·hidden_n), stored over gates;
 *     h = (1 − z)·n + z·h_prev
 *   gru_backward_f32(gates, hidden, hPrev, dh, dhPrev, dGates, dHidden, batch, H, hasPrev):
 *     dn = flush(dh·(1−z)·(1−n²)), dr = flush(dn·hidden_n·r(1−r)), dz = flush(dh·(h_prev − n)·z(1−z));
 *     dGates = [dr dz dn], dHidden = [dr dz flush(dn·r)]; hasPrev: dhPrev += flush(dh·z)
 */
export function defineGru(mod: ModuleBuilder, { flush }: GateHelpers): void {
  const walked = (row: Local, width = 1): Walked => ({ row, width });
  const forwardParams = i32s(["gates", "hidden", "hPrev", "h", "batch", "H", "hasPrev"]);
  mod.func("gru_forward_f32", forwardParams, [], { exportName: "gru_forward_f32", doc: "one step's GRU gates and h (float32 rows, H a multiple of 4)" }, (f, p) => {
    const [xr, xz, r, z, prev, one, zero] = ["xr", "xz", "r", "z", "prev", "one", "zero"].map((name) => f.local(name, "v128")) as [Local, Local, Local, Local, Local, Local, Local];
    const [nx, nx2, np, nq] = ["n", "n_x2", "n_p", "n_q"].map((name) => f.local(name, "v128")) as [Local, Local, Local, Local];
    const n: TanhLocals = { x: nx, x2: nx2, p: np, q: nq };
    const sigmoids = [sigmoidLocals(f, "r", xr, r), sigmoidLocals(f, "z", xz, z)];
    const [gates, hidden, hPrev, h] = [walked(p.gates, 3), walked(p.hidden, 3), walked(p.hPrev), walked(p.h)];
    splat32(f, 1);
    f.set(one);
    splat32(f, 0);
    f.set(zero);
    // four values at a time, in float32 (each operation rounded, as the JavaScript loop's Math.fround)
    eachQuad(
      f,
      p.batch,
      p.H,
      [gates, hidden, hPrev, h],
      ({ at }) => {
        // r, z = σ(gates + hidden): two independent chains, written as one run so that they overlap
        for (const [local, block] of [[xr, 0], [xz, 1]] as const) {
          assign(f, local, () => {
            loadQuad(f, () => at(gates, block));
            loadQuad(f, () => at(hidden, block));
            f.simd("f32x4.add");
          });
        }
        sigmoidQuads(f, sigmoids, one, zero);
        // n = tanh(gates + r·hidden)
        assign(f, n.x, () => {
          loadQuad(f, () => at(gates, 2));
          f.get(r);
          loadQuad(f, () => at(hidden, 2));
          f.simd("f32x4.mul").simd("f32x4.add");
        });
        tanhQuads(f, [n]);
        for (const [local, block] of [[r, 0], [z, 1], [n.x, 2]] as const) storeQuad(f, () => at(gates, block), () => void f.get(local));
        f.get(zero).set(prev);
        f.get(p.hasPrev).if(() => assign(f, prev, () => loadQuad(f, () => at(hPrev))));
        // h = (1 − z)·n + z·h_prev
        storeQuad(f, () => at(h), () => {
          f.get(one).get(z).simd("f32x4.sub").get(n.x).simd("f32x4.mul");
          f.get(z).get(prev).simd("f32x4.mul");
          f.simd("f32x4.add");
        });
      },
    );
  });

  const backwardParams = i32s(["gates", "hidden", "hPrev", "dh", "dhPrev", "dGates", "dHidden", "batch", "H", "hasPrev"]);
  mod.func("gru_backward_f32", backwardParams, [], { exportName: "gru_backward_f32", doc: "one step's GRU gate gradients (float32 rows)" }, (f, p) => {
    const [r, z, n, dh, prev, dn, dr, dz] = ["r", "z", "n", "dhv", "prev", "dn", "dr", "dz"].map((name) => f.local(name, "v128")) as [Local, Local, Local, Local, Local, Local, Local, Local];
    const [gates, hidden, dGates, dHidden] = [walked(p.gates, 3), walked(p.hidden, 3), walked(p.dGates, 3), walked(p.dHidden, 3)];
    const [hPrev, dhRow, dhPrev] = [walked(p.hPrev), walked(p.dh), walked(p.dhPrev)];
    const flushed = (...factors: Factor[]) => (): void => {
      product(f, ...factors);
      flush(f);
    };
    eachQuad(f, p.batch, p.H, [gates, hidden, dGates, dHidden, hPrev, dhRow, dhPrev], ({ at }) => {
      for (const [local, block] of [[r, 0], [z, 1], [n, 2]] as const) assign(f, local, () => loadQuad(f, () => at(gates, block)));
      assign(f, dh, () => loadQuad(f, () => at(dhRow)));
      splat32(f, 0);
      f.set(prev);
      f.get(p.hasPrev).if(() => assign(f, prev, () => loadQuad(f, () => at(hPrev))));
      assign(f, dn, flushed(dh, oneMinus(f, z), oneMinus(f, n, true)));
      assign(f, dr, flushed(dn, () => loadQuad(f, () => at(hidden, 2)), r, oneMinus(f, r)));
      assign(f, dz, flushed(dh, () => void f.get(prev).get(n).simd("f32x4.sub"), z, oneMinus(f, z)));
      for (const [local, block] of [[dr, 0], [dz, 1], [dn, 2]] as const) storeQuad(f, () => at(dGates, block), () => void f.get(local));
      for (const [local, block] of [[dr, 0], [dz, 1]] as const) storeQuad(f, () => at(dHidden, block), () => void f.get(local));
      storeQuad(f, () => at(dHidden, 2), flushed(dn, r));
      f.get(p.hasPrev).if(() =>
        storeQuad(f, () => at(dhPrev), () => {
          loadQuad(f, () => at(dhPrev));
          flushed(dh, z)();
          f.simd("f32x4.add");
        }),
      );
    });
  });
}
