// Generated from models/simple-rnn.yaml (sha256 c1f8ee78073db3973bc4756240f59441e67950f04dced7ccc666ddebcd9826a7) — do not edit.
// rnnc 0.1.0: simple-rnn = rnn rnn(10→20, tanh) → last_step last → linear fc(20→5); cross_entropy; adam.
// Regenerate with `npx compile models/simple-rnn.yaml`. Self-contained: no imports, runs in Node and browsers.
/** SHA-256 of the spec this module was generated from. */
export const SPEC_SHA256 = "c1f8ee78073db3973bc4756240f59441e67950f04dced7ccc666ddebcd9826a7";
/** The spec's `name`. */
export const MODEL_NAME = "simple-rnn";
/** Storage type of parameters, activations and float inputs. */
export const PRECISION = "float32";
/** Buffers are sized for this many samples; a batch may be smaller. */
export const MAX_BATCH = 16;
/** Number of learned scalars. */
export const PARAMETER_COUNT = 745;
/** The spec's inputs: the fields of a Batch. */
export const INPUTS = [
  { name: "x", shape: ["batch", 7, 10], dtype: "float32" },
  { name: "y", shape: ["batch"], dtype: "int32" },
] as const;
/** The loss and the input that holds its target. */
export const LOSS = { op: "cross_entropy", input: "fc", target: "y", classes: 5 } as const;
/** Adam's hyperparameters, fixed at compile time. */
export const OPTIMIZER = { op: "adam", lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 } as const;
/** Training settings from the spec. */
export const TRAIN = { epochs: 10, batchSize: 16, seed: 0 } as const;
/** Learned tensors by PyTorch state_dict name, where each lives in `Model.parameters`, and PyTorch's default init U(−initBound, initBound). */
export const PARAMETERS = [
  { name: "rnn.weight_ih_l0", shape: [20, 10], offset: 0, size: 200, initBound: 0.22360679774997896 },
  { name: "rnn.weight_hh_l0", shape: [20, 20], offset: 200, size: 400, initBound: 0.22360679774997896 },
  { name: "rnn.bias_ih_l0", shape: [20], offset: 600, size: 20, initBound: 0.22360679774997896 },
  { name: "rnn.bias_hh_l0", shape: [20], offset: 620, size: 20, initBound: 0.22360679774997896 },
  { name: "fc.weight", shape: [5, 20], offset: 640, size: 100, initBound: 0.22360679774997896 },
  { name: "fc.bias", shape: [5], offset: 740, size: 5, initBound: 0.22360679774997896 },
] as const;

/** One mini-batch, batch-first. */
export interface Batch {
  /** [batch, 7, 10] float32, row-major; at least batchSize·70 elements. */
  readonly x: Float32Array;
  /** [batch] int32, row-major; at least batchSize·1 elements. */
  readonly y: Int32Array;
}

/** Adam's moments (same layout as the parameters) and its step count. */
export interface OptimizerState {
  readonly m: Float32Array;
  readonly v: Float32Array;
  step: number;
}

export interface Model {
  /** All parameters, flat, laid out as PARAMETERS says. Write into it to load weights. */
  readonly parameters: Float32Array;
  /** Gradients from the last lossAndGradients call, same layout. */
  readonly gradients: Float32Array;
  readonly optimizerState: OptimizerState;
  /** Logits [batchSize, 5] in the first batchSize·5 elements of a reused buffer. */
  forward(batch: Batch, batchSize: number): Float32Array;
  /** Mean loss of a batch, without gradients. */
  loss(batch: Batch, batchSize: number): number;
  /** Mean loss of a batch; overwrites `gradients` with its gradient (full backpropagation through time). */
  lossAndGradients(batch: Batch, batchSize: number): number;
  /** One Adam step from `gradients`. */
  step(): void;
  /** lossAndGradients, then step. Returns the loss before the step. */
  trainStep(batch: Batch, batchSize: number): number;
}

/** A model with its own preallocated parameters, gradients, optimizer state and activations. Training steps allocate nothing. */
export function createModel(): Model {
  // Parameters, gradients and Adam's moments: one flat array each, with a named view per tensor
  const parameters = new Float32Array(PARAMETER_COUNT);
  const gradients = new Float32Array(PARAMETER_COUNT);
  const optimizerState: OptimizerState = { m: new Float32Array(PARAMETER_COUNT), v: new Float32Array(PARAMETER_COUNT), step: 0 };
  const w_rnn_weight_ih_l0 = parameters.subarray(0, 200); // rnn.weight_ih_l0 [20, 10]
  const w_rnn_weight_hh_l0 = parameters.subarray(200, 600); // rnn.weight_hh_l0 [20, 20]
  const w_rnn_bias_ih_l0 = parameters.subarray(600, 620); // rnn.bias_ih_l0 [20]
  const w_rnn_bias_hh_l0 = parameters.subarray(620, 640); // rnn.bias_hh_l0 [20]
  const w_fc_weight = parameters.subarray(640, 740); // fc.weight [5, 20]
  const w_fc_bias = parameters.subarray(740, 745); // fc.bias [5]
  const dw_rnn_weight_ih_l0 = gradients.subarray(0, 200); // rnn.weight_ih_l0 [20, 10]
  const dw_rnn_weight_hh_l0 = gradients.subarray(200, 600); // rnn.weight_hh_l0 [20, 20]
  const dw_rnn_bias_ih_l0 = gradients.subarray(600, 620); // rnn.bias_ih_l0 [20]
  const dw_rnn_bias_hh_l0 = gradients.subarray(620, 640); // rnn.bias_hh_l0 [20]
  const dw_fc_weight = gradients.subarray(640, 740); // fc.weight [5, 20]
  const dw_fc_bias = gradients.subarray(740, 745); // fc.bias [5]

  // Activations and their gradients, sized for MAX_BATCH
  const out_rnn = new Float32Array(MAX_BATCH * 140); // rnn: [batch, 7, 20]
  const dout_rnn = new Float32Array(MAX_BATCH * 140);
  const tmp_rnn_dPre = new Float32Array(20);
  const tmp_rnn_dCarry = new Float32Array(20);
  const out_last = new Float32Array(MAX_BATCH * 20); // last: [batch, 20]
  const dout_last = new Float32Array(MAX_BATCH * 20);
  const out_fc = new Float32Array(MAX_BATCH * 5); // fc: [batch, 5]
  const dout_fc = new Float32Array(MAX_BATCH * 5);

  function checkBatch(batch: Batch, batchSize: number): void {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
      throw new RangeError(`batchSize must be an integer in [1, ${MAX_BATCH}], got ${batchSize}`);
    }
    if (batch.x.length < batchSize * 70) {
      throw new RangeError(`batch.x holds ${batch.x.length} elements; 70 per sample are needed`);
    }
    if (batch.y.length < batchSize * 1) {
      throw new RangeError(`batch.y holds ${batch.y.length} elements; 1 per sample are needed`);
    }
  }

  function forward(batch: Batch, batchSize: number): Float32Array {
    checkBatch(batch, batchSize);
    const in_x = batch.x;
    // rnn `rnn` forward: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), [batch, 7, 10] → [batch, 7, 20]
    for (let b = 0; b < batchSize; b++) {
      for (let t = 0; t < 7; t++) {
        const xAt = (b * 7 + t) * 10;
        const hAt = (b * 7 + t) * 20;
        for (let j = 0; j < 20; j++) {
          let sum = w_rnn_bias_ih_l0[j]! + w_rnn_bias_hh_l0[j]!;
          const inputRow = j * 10;
          for (let i = 0; i < 10; i++) {
            sum += w_rnn_weight_ih_l0[inputRow + i]! * in_x[xAt + i]!;
          }
          if (t > 0) {
            const hiddenRow = j * 20;
            const previous = hAt - 20;
            for (let k = 0; k < 20; k++) {
              sum += w_rnn_weight_hh_l0[hiddenRow + k]! * out_rnn[previous + k]!;
            }
          }
          out_rnn[hAt + j] = Math.tanh(sum);
        }
      }
    }
    // last_step `last` forward: out[b, :] = in[b, 6, :]
    for (let b = 0; b < batchSize; b++) {
      const from = (b * 7 + 6) * 20;
      for (let f = 0; f < 20; f++) {
        out_last[b * 20 + f] = out_rnn[from + f]!;
      }
    }
    // linear `fc` forward: out = in Wᵀ + b, [batch, 20] → [batch, 5]
    for (let b = 0; b < batchSize; b++) {
      const inAt = b * 20;
      for (let o = 0; o < 5; o++) {
        let sum = w_fc_bias[o]!;
        const row = o * 20;
        for (let i = 0; i < 20; i++) {
          sum += w_fc_weight[row + i]! * out_last[inAt + i]!;
        }
        out_fc[b * 5 + o] = sum;
      }
    }
    return out_fc;
  }

  function computeLoss(batch: Batch, batchSize: number): number {
    forward(batch, batchSize);
    const in_y = batch.y;
    // cross_entropy: loss = mean_b(logsumexp(logits_b) − logits_b[target_b]); dLogits = (softmax − onehot) / batchSize
    const scale = 1 / batchSize;
    let total = 0;
    for (let b = 0; b < batchSize; b++) {
      const row = b * 5;
      let max = out_fc[row]!;
      for (let c = 0; c < 5; c++) {
        if (out_fc[row + c]! > max) max = out_fc[row + c]!;
      }
      let sumExp = 0;
      for (let c = 0; c < 5; c++) {
        sumExp += Math.exp(out_fc[row + c]! - max);
      }
      const logSumExp = max + Math.log(sumExp);
      const label = in_y[b]!;
      total += logSumExp - out_fc[row + label]!;
      for (let c = 0; c < 5; c++) {
        dout_fc[row + c] = (Math.exp(out_fc[row + c]! - logSumExp) - (c === label ? 1 : 0)) * scale;
      }
    }
    const loss = total * scale;
    return loss;
  }

  function backward(batch: Batch, batchSize: number): void {
    // gradients accumulate with +=, so start from zero (the loss input's gradient was just written by the loss)
    gradients.fill(0);
    dout_rnn.fill(0, 0, batchSize * 140);
    dout_last.fill(0, 0, batchSize * 20);
    const in_x = batch.x;
    // linear `fc` backward: dW += dOutᵀ in, db += Σ dOut, dIn += dOut W
    for (let b = 0; b < batchSize; b++) {
      const inAt = b * 20;
      for (let o = 0; o < 5; o++) {
        const d = dout_fc[b * 5 + o]!;
        dw_fc_bias[o]! += d;
        const row = o * 20;
        for (let i = 0; i < 20; i++) {
          dw_fc_weight[row + i]! += d * out_last[inAt + i]!;
          dout_last[inAt + i]! += d * w_fc_weight[row + i]!;
        }
      }
    }
    // last_step `last` backward: only the last step receives gradient
    for (let b = 0; b < batchSize; b++) {
      const to = (b * 7 + 6) * 20;
      for (let f = 0; f < 20; f++) {
        dout_rnn[to + f]! += dout_last[b * 20 + f]!;
      }
    }
    // rnn `rnn` backward through time; dCarry is dL/dh_t flowing back from step t+1
    for (let b = 0; b < batchSize; b++) {
      tmp_rnn_dCarry.fill(0);
      for (let t = 7 - 1; t >= 0; t--) {
        const xAt = (b * 7 + t) * 10;
        const hAt = (b * 7 + t) * 20;
        // dL/d(pre-activation) = (dL/dh_t) · tanh'
        for (let j = 0; j < 20; j++) {
          const h = out_rnn[hAt + j]!;
          tmp_rnn_dPre[j] = (dout_rnn[hAt + j]! + tmp_rnn_dCarry[j]!) * (1 - h * h);
        }
        for (let j = 0; j < 20; j++) {
          const d = tmp_rnn_dPre[j]!;
          dw_rnn_bias_ih_l0[j]! += d;
          dw_rnn_bias_hh_l0[j]! += d;
          const inputRow = j * 10;
          for (let i = 0; i < 10; i++) {
            dw_rnn_weight_ih_l0[inputRow + i]! += d * in_x[xAt + i]!;
          }
        }
        if (t > 0) {
          const previous = hAt - 20;
          for (let j = 0; j < 20; j++) {
            const d = tmp_rnn_dPre[j]!;
            const hiddenRow = j * 20;
            for (let k = 0; k < 20; k++) {
              dw_rnn_weight_hh_l0[hiddenRow + k]! += d * out_rnn[previous + k]!;
            }
          }
          for (let k = 0; k < 20; k++) {
            let sum = 0;
            for (let j = 0; j < 20; j++) {
              sum += w_rnn_weight_hh_l0[j * 20 + k]! * tmp_rnn_dPre[j]!;
            }
            tmp_rnn_dCarry[k] = sum;
          }
        }
      }
    }
  }

  function step(): void {
    // adam: lr 0.001, betas (0.9, 0.999), eps 1e-8, weight_decay 0
    optimizerState.step += 1;
    const stepSize = 0.001 / (1 - 0.9 ** optimizerState.step);
    const correction2Sqrt = Math.sqrt(1 - 0.999 ** optimizerState.step);
    const m = optimizerState.m;
    const v = optimizerState.v;
    for (let i = 0; i < PARAMETER_COUNT; i++) {
      const g = gradients[i]!;
      m[i] = 0.9 * m[i]! + (1 - 0.9) * g;
      v[i] = 0.999 * v[i]! + (1 - 0.999) * g * g;
      parameters[i]! -= (stepSize * m[i]!) / (Math.sqrt(v[i]!) / correction2Sqrt + 1e-8);
    }
  }

  return {
    parameters,
    gradients,
    optimizerState,
    forward,
    loss: computeLoss,
    lossAndGradients(batch: Batch, batchSize: number): number {
      const loss = computeLoss(batch, batchSize);
      backward(batch, batchSize);
      return loss;
    }
    ,
    step,
    trainStep(batch: Batch, batchSize: number): number {
      const loss = computeLoss(batch, batchSize);
      backward(batch, batchSize);
      step();
      return loss;
    }
    ,
  };
}
