// Float32 elementwise kernels over f32x4 lanes. Pointers are byte addresses; counts are elements.
// exp/tanh/sigmoid use Cephes-style single-precision polynomials (about 1–3 ulp from the
// correctly rounded value); add/sub/mul/div are exact IEEE f32 and match the JS kernels bit for bit.

/**
 * The lane math's constants, four copies each, in a static table (placed below the host's
 * buffers by the build's --memoryBase): V8 rebuilds an inline v128 constant with several
 * instructions at every use inside a loop, while a load from this table is one (sigmoid over
 * 256K floats: 3.1 → 2.2 ns per element here, bit for bit the same).
 */
const K: usize = memory.data<f32>([
  89.0, 89.0, 89.0, 89.0, // 0: upper clamp of exp's argument
  -104.0, -104.0, -104.0, -104.0, // 16: lower clamp
  12582912.0, 12582912.0, 12582912.0, 12582912.0, // 32: 1.5 · 2^23, adding it to |t| < 2^22 rounds t to an integer (ties to even)
  1.44269504088896341, 1.44269504088896341, 1.44269504088896341, 1.44269504088896341, // 48: log2(e)
  0.693359375, 0.693359375, 0.693359375, 0.693359375, // 64: ln 2, high part
  -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, // 80: ln 2, low part
  1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, // 96: e^r polynomial, r^6 … r^2 coefficients
  1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, // 112
  8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, // 128
  4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, // 144
  1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, // 160
  5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, // 176
  1.0, 1.0, 1.0, 1.0, // 192
  2.0, 2.0, 2.0, 2.0, // 208
  0.625, 0.625, 0.625, 0.625, // 224: below it tanh uses its odd polynomial
  -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3, // 240: tanh polynomial, z^4 … z^0 coefficients
  2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2, // 256
  -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2, // 272
  1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1, // 288
  -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1, // 304
], 16);

/** 1.0 in every lane, from the table (for kernels elsewhere that would otherwise splat it inside a loop). */
@inline export function onesv(): v128 {
  return v128.load(K, 192);
}

/** e^x polynomial coefficient `i` (0: r^6 term … 5: r^2 term) from the table. */
@inline function expCoef(i: i32): v128 {
  return v128.load(K + 96 + <usize>i * 16);
}

/** tanh polynomial coefficient `i` from the table. */
@inline function tanhCoef(i: i32): v128 {
  return v128.load(K + 240 + <usize>i * 16);
}

/**
 * e^x on four lanes: x = n·ln2 + r, e^r by a degree-6 polynomial, 2^n applied in two halves so
 * denormals and overflow come out right. The clamp uses pmin/pmax (one instruction each; NaN
 * still passes through) and n comes from the round-by-magic-number trick, whose bits give n as an
 * integer directly (no nearest + saturating conversion).
 */
@inline export function expv(x0: v128): v128 {
  const x = f32x4.pmax(f32x4.pmin(x0, v128.load(K)), v128.load(K, 16));
  const magic = v128.load(K, 32);
  const shifted = f32x4.add(f32x4.mul(x, v128.load(K, 48)), magic);
  const n = f32x4.sub(shifted, magic);
  let r = f32x4.sub(x, f32x4.mul(n, v128.load(K, 64)));
  r = f32x4.sub(r, f32x4.mul(n, v128.load(K, 80)));
  let p = expCoef(0);
  p = f32x4.add(f32x4.mul(p, r), expCoef(1));
  p = f32x4.add(f32x4.mul(p, r), expCoef(2));
  p = f32x4.add(f32x4.mul(p, r), expCoef(3));
  p = f32x4.add(f32x4.mul(p, r), expCoef(4));
  p = f32x4.add(f32x4.mul(p, r), expCoef(5));
  const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), v128.load(K, 192));
  const ni = i32x4.sub(shifted, magic);
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(y, s1), s2);
}

/** tanh on four lanes: an odd polynomial below 0.625, else 1 − 2 / (e^{2|x|} + 1), sign restored. */
@inline export function tanhv(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = tanhCoef(0);
  p = f32x4.add(f32x4.mul(p, z), tanhCoef(1));
  p = f32x4.add(f32x4.mul(p, z), tanhCoef(2));
  p = f32x4.add(f32x4.mul(p, z), tanhCoef(3));
  p = f32x4.add(f32x4.mul(p, z), tanhCoef(4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const one = v128.load(K, 192);
  const e = expv(f32x4.add(ax, ax));
  const big = f32x4.sub(one, f32x4.div(v128.load(K, 208), f32x4.add(e, one)));
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(ax, v128.load(K, 224)));
}

/** σ(x) on four lanes from e = e^{−|x|}: 1 / (1 + e) for x ≥ 0, e / (1 + e) below, so nothing overflows. */
@inline export function sigmoidv(x: v128): v128 {
  const e = expv(f32x4.neg(f32x4.abs(x)));
  const one = v128.load(K, 192);
  const r = f32x4.div(one, f32x4.add(one, e));
  return v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(x, f32x4.splat(0)));
}

@inline function unaryv(op: i32, x: v128): v128 {
  if (op == 0) return expv(x);
  if (op == 1) return tanhv(x);
  if (op == 2) return sigmoidv(x);
  if (op == 3) return f32x4.max(x, f32x4.splat(0));
  return f32x4.neg(x);
}

@inline function unaryLoop(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    v128.store(out + o, unaryv(op, v128.load(x + o)));
  }
  if (i < n) {
    // The tail goes through the same lane math so every element rounds the same way.
    const rest = n - i;
    const tmp = v128.load(x + <usize>i * 4);
    let lanes = f32x4.splat(0);
    lanes = f32x4.replace_lane(lanes, 0, f32x4.extract_lane(tmp, 0));
    if (rest > 1) lanes = f32x4.replace_lane(lanes, 1, load<f32>(x + <usize>(i + 1) * 4));
    if (rest > 2) lanes = f32x4.replace_lane(lanes, 2, load<f32>(x + <usize>(i + 2) * 4));
    const y = unaryv(op, lanes);
    store<f32>(out + <usize>i * 4, f32x4.extract_lane(y, 0));
    if (rest > 1) store<f32>(out + <usize>(i + 1) * 4, f32x4.extract_lane(y, 1));
    if (rest > 2) store<f32>(out + <usize>(i + 2) * 4, f32x4.extract_lane(y, 2));
  }
}

/** out[i] = f(x[i]) for i < n; op 0 exp, 1 tanh, 2 sigmoid, 3 relu, 4 neg. `x` may equal `out`. */
export function unary(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case 0: unaryLoop(0, x, out, n); break;
    case 1: unaryLoop(1, x, out, n); break;
    case 2: unaryLoop(2, x, out, n); break;
    case 3: unaryLoop(3, x, out, n); break;
    default: unaryLoop(4, x, out, n); break;
  }
}

@inline function binv(op: i32, x: v128, y: v128): v128 {
  if (op == 0) return f32x4.add(x, y);
  if (op == 1) return f32x4.sub(x, y);
  if (op == 2) return f32x4.mul(x, y);
  return f32x4.div(x, y);
}

@inline function bins(op: i32, x: f32, y: f32): f32 {
  if (op == 0) return x + y;
  if (op == 1) return x - y;
  if (op == 2) return x * y;
  return x / y;
}

/** One row: out[j] = a[j·sa] op b[j·sb], each step 0 (a broadcast scalar) or 1. */
@inline function binRow(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let j = 0;
  if (sa == 1 && sb == 1) {
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j * 4;
      v128.store(out + o, binv(op, v128.load(a + o), v128.load(b + o)));
    }
  } else if (sa == 1) {
    const y = v128.load32_splat(b);
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j * 4;
      v128.store(out + o, binv(op, v128.load(a + o), y));
    }
  } else if (sb == 1) {
    const x = v128.load32_splat(a);
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j * 4;
      v128.store(out + o, binv(op, x, v128.load(b + o)));
    }
  }
  for (; j < n; j++) {
    store<f32>(out + <usize>j * 4, bins(op, load<f32>(a + <usize>(j * sa) * 4), load<f32>(b + <usize>(j * sb) * 4)));
  }
}

@inline function binLoop(
  op: i32, a: usize, ra: i32, sa: i32, b: usize, rb: i32, sb: i32, out: usize, rows: i32, cols: i32,
): void {
  for (let r = 0; r < rows; r++) {
    binRow(op, a + <usize>(r * ra) * 4, sa, b + <usize>(r * rb) * 4, sb, out + <usize>(r * cols) * 4, cols);
  }
}

/**
 * out[r, j] = a[r·ra + j·sa] op b[r·rb + j·sb] over a rows × cols output (row-major, contiguous);
 * op 0 add, 1 sub, 2 mul, 3 div. Row strides 0 broadcast a row, column steps 0 a scalar.
 */
export function binary(
  op: i32, a: usize, ra: i32, sa: i32, b: usize, rb: i32, sb: i32, out: usize, rows: i32, cols: i32,
): void {
  switch (op) {
    case 0: binLoop(0, a, ra, sa, b, rb, sb, out, rows, cols); break;
    case 1: binLoop(1, a, ra, sa, b, rb, sb, out, rows, cols); break;
    case 2: binLoop(2, a, ra, sa, b, rb, sb, out, rows, cols); break;
    default: binLoop(3, a, ra, sa, b, rb, sb, out, rows, cols); break;
  }
}

/** out[i] = a[i] + alpha · b[i], computed in f64 and rounded once, like the JS kernel. */
export function axpy(a: usize, b: usize, alpha: f64, out: usize, n: i32): void {
  const al = f64x2.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    const va = v128.load(a + o);
    const vb = v128.load(b + o);
    const lo = f64x2.add(f64x2.promote_low_f32x4(va), f64x2.mul(al, f64x2.promote_low_f32x4(vb)));
    const hi = f64x2.add(
      f64x2.promote_low_f32x4(i32x4.shuffle(va, va, 2, 3, 0, 1)),
      f64x2.mul(al, f64x2.promote_low_f32x4(i32x4.shuffle(vb, vb, 2, 3, 0, 1))),
    );
    v128.store(out + o, i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    store<f32>(out + o, <f32>(<f64>load<f32>(a + o) + alpha * <f64>load<f32>(b + o)));
  }
}
