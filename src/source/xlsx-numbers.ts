/**
 * A cell's number read from its digits in the sheet's bytes, exactly as `Number` reads its text,
 * without making the text: a shared string's index, a style's, and a value `-?d+(.d+)?`. NaN (or
 * -1 for a whole number) when the digits are written otherwise or the result could differ from
 * `Number`'s by a rounding; the caller then makes the text and asks `Number`.
 */

/** The digits b[start, end) as a whole number; -1 when they are not only digits (or none, or 16+). */
export function digitsValue(b: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = (b[i] as number) - 0x30;
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);
/** Half the spacing of doubles in [2^e, 2^(e+1)), by e (0 to 30). */
const HALF_ULP = Array.from({ length: 31 }, (_, e) => 2 ** (e - 53));
/** A bound of the rounding of a fraction below 1 (half the spacing of doubles below 1). */
const FRACTION_ERROR = 2 ** -54;

/**
 * The decimal `-?d+(.d+)?` in b[start, end) as `Number` reads it (the double nearest it), or NaN.
 *
 * Up to 15 digits in all: the digits as one integer (below 2^53) over an exact power of ten,
 * one rounding. A longer one (Excel writes a date-time's serial with 17: `44928.000011574077`)
 * whose whole part is below 2^31 and whose fraction has at most 15 digits: s = whole + fraction,
 * where the fraction (its digits over a power of ten) is rounded once, by at most 2^-54, and the
 * sum once more; the sum's own rounding is known exactly (Fast2Sum), so s is the nearest double
 * to the decimal when that rounding and the fraction's together stay below half the spacing of
 * doubles at s (s not a power of two, where the spacing changes). Else NaN: about one decimal in
 * 65,000 is that close to a tie, and Number reads it.
 */
export function decimalAt(b: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = b[i] === 0x2d;
  if (negative) i++;
  let whole = 0;
  let wholeDigits = 0;
  for (; i < end; i++) {
    const d = (b[i] as number) - 0x30;
    if (!(d >= 0 && d <= 9)) break;
    whole = whole * 10 + d;
    wholeDigits++;
  }
  if (wholeDigits === 0) return Number.NaN;
  let fraction = 0;
  let fractionDigits = 0;
  if (i < end) {
    if (b[i] !== 0x2e) return Number.NaN;
    for (i++; i < end; i++) {
      const d = (b[i] as number) - 0x30;
      if (!(d >= 0 && d <= 9)) return Number.NaN;
      fraction = fraction * 10 + d;
      fractionDigits++;
    }
    if (fractionDigits === 0) return Number.NaN;
  }
  let value: number;
  if (wholeDigits + fractionDigits <= 15) {
    const scale = POW10[fractionDigits] as number;
    value = (whole * scale + fraction) / scale;
  } else if (fractionDigits <= 15 && whole < 2 ** 31) {
    const part = fraction / (POW10[fractionDigits] as number);
    if (whole === 0) value = part;
    else {
      value = whole + part;
      const error = part - (value - whole); // whole + part = value + error, exactly
      const e = 31 - Math.clz32(whole);
      if (value === 2 ** e || value === 2 ** (e + 1)) return Number.NaN;
      if (!(Math.abs(error) + FRACTION_ERROR < (HALF_ULP[e] as number))) return Number.NaN;
    }
  } else return Number.NaN;
  return negative ? -value : value;
}
