/**
 * torch's float32 normal fill for 16+ values, step for step in float32 arithmetic, so
 * `randn` matches torch on x86 (its AVX2 kernel: Box–Muller with Cephes-style float32 log and
 * sincos polynomials, then a fused multiply-add for `· std + mean`). Every operation rounds
 * to float32 with Math.fround, as the vector instructions do.
 */

const f = Math.fround;
const fma = (a: number, b: number, c: number) => Math.fround(a * b + c);
const buf = new ArrayBuffer(4);
const asF32 = new Float32Array(buf);
const asI32 = new Int32Array(buf);

function bitsOf(x: number): number {
  asF32[0] = x;
  return asI32[0]!;
}
function fromBits(b: number): number {
  asI32[0] = b;
  return asF32[0]!;
}

const SQRTHF = f(0.707106781186547524);
const LOG_P = [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1].map(f);
const LOG_Q1 = f(-2.12194440e-4);
const LOG_Q2 = f(0.693359375);
const MIN_NORM = fromBits(0x00800000);

/** Natural log in float32 (Cephes logf polynomial, as the vector kernel computes it). */
export function logf32(x0: number): number {
  if (!(x0 > 0)) return NaN;
  let x = Math.max(x0, MIN_NORM);
  const bits = bitsOf(x);
  let e = f((bits >>> 23) - 0x7f);
  x = fromBits((bits & ~0x7f800000) | bitsOf(0.5));
  e = f(e + 1);
  const below = x < SQRTHF;
  const tmp = below ? x : 0;
  x = f(x - 1);
  if (below) e = f(e - 1);
  x = f(x + tmp);
  const z = f(x * x);
  let y = LOG_P[0]!;
  for (let i = 1; i < LOG_P.length; i++) y = fma(y, x, LOG_P[i]!);
  y = f(y * x);
  y = f(y * z);
  y = fma(e, LOG_Q1, y);
  y = fma(-z, 0.5, y);
  x = f(x + y);
  return fma(e, LOG_Q2, x);
}

const FOPI = f(1.27323954473516);
const DP1 = f(-0.78515625);
const DP2 = f(-2.4187564849853515625e-4);
const DP3 = f(-3.77489497744594108e-8);
const SIN_P = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1].map(f);
const COS_P = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2].map(f);

/** `[sin x, cos x]` in float32 (Cephes sinf/cosf with extended-precision range reduction). */
export function sincosf32(x0: number): [number, number] {
  const signSin = x0 < 0 || Object.is(x0, -0) ? -1 : 1;
  let x = Math.abs(x0);
  let j = Math.trunc(f(x * FOPI)) | 0;
  j = (j + 1) & ~1;
  const y = f(j);
  const swapSin = (j & 4) !== 0;
  const polyIsCos = (j & 2) === 0;
  x = fma(y, DP1, x);
  x = fma(y, DP2, x);
  x = fma(y, DP3, x);
  const swapCos = (~(j - 2) & 4) !== 0;
  const z = f(x * x);
  let c = COS_P[0]!;
  c = fma(c, z, COS_P[1]!);
  c = fma(c, z, COS_P[2]!);
  c = f(c * z);
  c = f(c * z);
  c = fma(-z, 0.5, c);
  c = f(c + 1);
  let s = SIN_P[0]!;
  s = fma(s, z, SIN_P[1]!);
  s = fma(s, z, SIN_P[2]!);
  s = f(s * z);
  s = fma(s, x, x);
  const sinV = polyIsCos ? s : c;
  const cosV = polyIsCos ? c : s;
  const sinSign = signSin * (swapSin ? -1 : 1);
  return [sinSign < 0 ? -sinV : sinV, swapCos ? -cosV : cosV];
}

const TWO_PI = f(2 * Math.PI);

/**
 * Box–Muller on 16 uniforms in place (pairs j and j + 8), float32 throughout;
 * `out = fma(n, std, mean)` rounded once to float32.
 */
export function boxMuller16f32(data: Float32Array, at: number, mean: number, std: number): void {
  const m = f(mean);
  const sd = f(std);
  for (let j = 0; j < 8; j++) {
    const u1 = f(1 - data[at + j]!);
    const u2 = data[at + j + 8]!;
    const radius = f(Math.sqrt(f(-2 * logf32(u1))));
    const theta = f(TWO_PI * u2);
    const [s, c] = sincosf32(theta);
    const n1 = f(radius * c);
    const n2 = f(radius * s);
    data[at + j] = n1 * sd + m;
    data[at + j + 8] = n2 * sd + m;
  }
}
