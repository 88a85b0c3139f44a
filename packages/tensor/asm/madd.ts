// The multiply-add every GEMM micro-kernel accumulates with, in one place so that all of them
// (the 4-row tile and the narrow ones) round each output element the same way.

/**
 * `c + a·b` on four lanes: one fused multiply-add (f32x4.relaxed_madd) in the relaxed-SIMD build,
 * a multiply then an add in the plain one (the build flag decides at compile time).
 */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
