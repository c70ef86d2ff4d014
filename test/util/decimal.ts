/**
 * A JSON number's exact value, as digits without leading or trailing zeros and a power of ten:
 * `1.50e2` and `150` are both `15e1`. What a test compares to tell a number kept from one rounded.
 * `Infinity` (a number that overflowed) equals no decimal.
 */
export function decimal(text: string): string {
  const [, sign, whole, fraction = "", exponent = "0"] =
    /^(-?)(\d+)(?:\.(\d+))?(?:[eE]\+?(-?\d+))?$/.exec(text) ?? [];
  if (whole === undefined) return text;
  const digits = `${whole}${fraction}`.replace(/^0+/, "");
  const significant = digits.replace(/0+$/, "");
  if (significant === "") return "0";
  const power = Number(exponent) - fraction.length + digits.length - significant.length;
  return `${sign}${significant}e${power}`;
}
