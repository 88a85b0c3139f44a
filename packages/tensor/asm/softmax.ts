// Row-wise softmax / log-softmax and their backward over float32 rows of `cols` contiguous values,
// f32x4 lanes with the table exp of elementwise.ts; row sums accumulate in float64 (two f64x2
// halves per lane group) so a 4,000-class row sums as accurately as the JS kernel's.
import { expv } from "./elementwise";

/** Σ of the f64x2 pair, as one float64. */
@inline function hsum(a: v128, b: v128): f64 {
  const s = f64x2.add(a, b);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** e^x of one value through the lane exp (AssemblyScript's Mathf.exp would add lookup tables to the static data). */
@inline function exps(x: f32): f32 {
  return f32x4.extract_lane(expv(f32x4.splat(x)), 0);
}

/**
 * ln s for s > 0 without Math.log's lookup tables (the static data must stay below the host's
 * buffers at byte 1024): s = 2^e · m with m in [√½, √2), then ln m = 2·atanh(t), t = (m − 1)/(m + 1),
 * |t| ≤ 0.172, whose odd series to t^19 is within 1e-16 relative. 0 gives −∞, ∞ and NaN pass.
 */
function lnPositive(s: f64): f64 {
  if (!(s > 0) || s == Infinity) return s == 0 ? -Infinity : s;
  let bits = reinterpret<u64>(s);
  let e = <i32>((bits >> 52) & 0x7ff);
  if (e == 0) {
    // Subnormal: scale into the normal range first.
    bits = reinterpret<u64>(s * 18014398509481984.0); // 2^54
    e = <i32>((bits >> 52) & 0x7ff) - 54;
  }
  e -= 1023;
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e++;
  }
  const t = (m - 1) / (m + 1);
  const t2 = t * t;
  let p = 1.0 / 19;
  for (let k = 17; k >= 1; k -= 2) p = p * t2 + 1.0 / <f64>k;
  return <f64>e * 0.6931471805599453 + 2 * t * p;
}

/** The max of row `x` (cols values); a row of −∞ gives 0 so the shift stays finite. */
function rowMax(x: usize, cols: i32): f32 {
  let j = 0;
  let mv = f32x4.splat(-Infinity);
  for (; j + 4 <= cols; j += 4) mv = f32x4.max(mv, v128.load(x + <usize>j * 4));
  let m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
  for (; j < cols; j++) m = max(m, load<f32>(x + <usize>j * 4));
  return m == -Infinity ? 0 : m;
}

/**
 * `out[r] = softmax(x[r])` (or `log softmax` when `log`) for `rows` rows of `cols`: the max-shifted
 * exponentials (stored when not `log`), their float64 sum, then one scaling (or shifting) pass.
 */
export function softmaxRows(x: usize, out: usize, rows: i32, cols: i32, log: bool): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * <usize>cols * 4;
    const or = out + <usize>r * <usize>cols * 4;
    const m = rowMax(xr, cols);
    const mv = f32x4.splat(m);
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const e = expv(f32x4.sub(v128.load(xr + <usize>j * 4), mv));
      if (!log) v128.store(or + <usize>j * 4, e);
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
    }
    let s = hsum(s0, s1);
    for (; j < cols; j++) {
      const e = exps(load<f32>(xr + <usize>j * 4) - m);
      if (!log) store<f32>(or + <usize>j * 4, e);
      s += <f64>e;
    }
    j = 0;
    if (log) {
      // x − max − log s in float64, rounded once, as the JS kernel does.
      const sh = <f64>m + lnPositive(s);
      const shv = f64x2.splat(sh);
      for (; j + 4 <= cols; j += 4) {
        const v = v128.load(xr + <usize>j * 4);
        const lo = f32x4.demote_f64x2_zero(f64x2.sub(f64x2.promote_low_f32x4(v), shv));
        const hi = f32x4.demote_f64x2_zero(f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), shv));
        v128.store(or + <usize>j * 4, i32x4.shuffle(lo, hi, 0, 1, 4, 5));
      }
      for (; j < cols; j++) store<f32>(or + <usize>j * 4, <f32>(<f64>load<f32>(xr + <usize>j * 4) - sh));
    } else {
      const inv = f32x4.splat(<f32>(1 / s));
      for (; j + 4 <= cols; j += 4) v128.store(or + <usize>j * 4, f32x4.mul(v128.load(or + <usize>j * 4), inv));
      const is = <f32>(1 / s);
      for (; j < cols; j++) store<f32>(or + <usize>j * 4, load<f32>(or + <usize>j * 4) * is);
    }
  }
}

/**
 * The backward of `softmaxRows` from its output `y` and the output gradient `g`:
 * log-softmax `dx = g − e^y · Σ g`; softmax `dx = y · (g − Σ g·y)`, row by row into `out`.
 */
export function softmaxBackRows(y: usize, g: usize, out: usize, rows: i32, cols: i32, log: bool): void {
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * <usize>cols * 4;
    const yr = y + o;
    const gr = g + o;
    const or = out + o;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      let v = v128.load(gr + <usize>j * 4);
      if (!log) v = f32x4.mul(v, v128.load(yr + <usize>j * 4));
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
    }
    let s = hsum(s0, s1);
    for (; j < cols; j++) {
      const v = load<f32>(gr + <usize>j * 4);
      s += log ? <f64>v : <f64>(v * load<f32>(yr + <usize>j * 4));
    }
    const sf = <f32>s;
    const sv = f32x4.splat(sf);
    j = 0;
    if (log) {
      for (; j + 4 <= cols; j += 4) {
        const q = <usize>j * 4;
        v128.store(or + q, f32x4.sub(v128.load(gr + q), f32x4.mul(expv(v128.load(yr + q)), sv)));
      }
      for (; j < cols; j++) {
        const q = <usize>j * 4;
        store<f32>(or + q, load<f32>(gr + q) - exps(load<f32>(yr + q)) * sf);
      }
    } else {
      for (; j + 4 <= cols; j += 4) {
        const q = <usize>j * 4;
        v128.store(or + q, f32x4.mul(v128.load(yr + q), f32x4.sub(v128.load(gr + q), sv)));
      }
      for (; j < cols; j++) {
        const q = <usize>j * 4;
        store<f32>(or + q, load<f32>(yr + q) * (load<f32>(gr + q) - sf));
      }
    }
  }
}

/**
 * `softmaxBackRows` (log) for the one-hot output gradient of a negative log-likelihood, from each
 * row's target column `targets[r]` (int32) and coefficient `coef[r]` (f32) instead of the (rows, cols)
 * array: `dx = onehot·c − e^y · c`, with every lane, product and difference as `softmaxBackRows`
 * computes them on that array (0 off the target, so `0 − e^y·c` keeps its zero signs).
 */
export function nllLogSoftmaxBackRows(y: usize, targets: usize, coef: usize, out: usize, rows: i32, cols: i32): void {
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * <usize>cols * 4;
    const yr = y + o;
    const or = out + o;
    const t = load<i32>(targets + <usize>r * 4);
    const c = load<f32>(coef + <usize>r * 4);
    // The row sum of the one-hot gradient, in f64 from 0 as softmaxBackRows adds it.
    const sf = <f32>(<f64>0 + <f64>c);
    const sv = f32x4.splat(sf);
    const tb = t & ~3;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const q = <usize>j * 4;
      let gv = zero;
      if (j == tb) {
        v128.store(or + q, zero);
        store<f32>(or + <usize>t * 4, c);
        gv = v128.load(or + q);
      }
      v128.store(or + q, f32x4.sub(gv, f32x4.mul(expv(v128.load(yr + q)), sv)));
    }
    for (; j < cols; j++) {
      const q = <usize>j * 4;
      const g: f32 = j == t ? c : <f32>0;
      store<f32>(or + q, g - exps(load<f32>(yr + q)) * sf);
    }
  }
}
