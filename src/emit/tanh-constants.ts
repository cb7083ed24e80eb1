/**
 * The float32 tanh's constants: Eigen's rational approximation of float tanh (`generic_fast_tanh_float`: odd degree 13
 * over even degree 6, in x²), as float32 values, since float32 builds evaluate it in float32 as Eigen does. The
 * generated JavaScript's `tanh` (math.ts) and the WebAssembly kernels (wasm/kernels/tanh.ts) both read them here, so
 * the two cannot drift apart.
 */
const f32 = Math.fround;

export const TANH_F32 = {
  /** Beyond ±clamp, tanh is ±1 to float32 precision. */
  clamp: f32(7.90531110763549805),
  /** Below this in magnitude, tanh(x) = x to float32 precision. */
  small: f32(0.0004),
  /** The numerator's coefficients, highest power of x² first: p(x²), and tanh x ≈ x·p(x²) / q(x²). */
  p: [-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8, 1.48572235717979e-5, 6.37261928875436e-4, 4.89352455891786e-3].map(f32),
  /** The denominator's, highest power first. */
  q: [1.19825839466702e-6, 1.18534705686654e-4, 2.268434632439e-3, 4.89352518554385e-3].map(f32),
} as const;
