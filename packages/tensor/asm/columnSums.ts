/**
 * Column sums of `rows` rows of `cols` float32 (row stride `ld` floats) in float64, rounded once
 * into float32 `out`: eight rows are added (in row order) before each add into the running sum
 * `acc` (`cols` float64 of scratch), as `columnSums` in nn does, so the sums are the same bit for bit.
 */
export function columnSums(d: usize, rows: i32, ld: i32, cols: i32, acc: usize, out: usize): void {
  const s = <usize>ld * 4;
  for (let j = 0; j < cols; j++) store<f64>(acc + <usize>j * 8, 0);
  let q = 0;
  for (; q + 8 <= rows; q += 8) {
    const o = d + <usize>q * s;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const p = o + <usize>j * 4;
      let v = v128.load(p);
      let lo = f64x2.promote_low_f32x4(v);
      let hi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
      for (let r: usize = 1; r < 8; r++) {
        v = v128.load(p + r * s);
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
        hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
      }
      const a = acc + <usize>j * 8;
      v128.store(a, f64x2.add(v128.load(a), lo));
      v128.store(a + 16, f64x2.add(v128.load(a + 16), hi));
    }
    for (; j < cols; j++) {
      const p = o + <usize>j * 4;
      let t = <f64>load<f32>(p);
      for (let r: usize = 1; r < 8; r++) t += <f64>load<f32>(p + r * s);
      const a = acc + <usize>j * 8;
      store<f64>(a, load<f64>(a) + t);
    }
  }
  for (; q < rows; q++) {
    const o = d + <usize>q * s;
    for (let j = 0; j < cols; j++) {
      const a = acc + <usize>j * 8;
      store<f64>(a, load<f64>(a) + <f64>load<f32>(o + <usize>j * 4));
    }
  }
  for (let j = 0; j < cols; j++) store<f32>(out + <usize>j * 4, <f32>load<f64>(acc + <usize>j * 8));
}
