// The fast DCT-II of Byeong Gi Lee (1984) as ISO 24138 uses it for the Image-Code: split into sums and
// scaled differences, recurse on both halves, interleave. Unnormalised, like the reference: the Image-
// Code only compares coefficients with their median, so scaling does not matter, but the order of the
// floating-point operations does (ties at the median), hence the same recursion and not a matrix product.
import { IsccError } from './codec';

export function dct(input: ArrayLike<number>): Float64Array {
  const n = input.length;
  if (n === 1) return Float64Array.of(input[0]!);
  if (n === 0 || n % 2 !== 0) throw new IsccError(`the DCT needs a power-of-two length, not ${n}`);
  const half = n / 2;
  const alpha = new Float64Array(half);
  const beta = new Float64Array(half);
  for (let i = 0; i < half; i++) {
    const a = input[i]!;
    const b = input[n - 1 - i]!;
    alpha[i] = a + b;
    beta[i] = (a - b) / (Math.cos(((i + 0.5) * Math.PI) / n) * 2.0);
  }
  const lowHalf = dct(alpha);
  const highHalf = dct(beta);
  const out = new Float64Array(n);
  for (let i = 0; i < half - 1; i++) {
    out[2 * i] = lowHalf[i]!;
    out[2 * i + 1] = highHalf[i]! + highHalf[i + 1]!;
  }
  out[n - 2] = lowHalf[half - 1]!;
  out[n - 1] = highHalf[half - 1]!;
  return out;
}
