import type { CountryCode } from "libphonenumber-js";
import type { Invalid } from "./invalid.js";
import { makePhoneNormalizer } from "./phone.js";

export const TRANSFORMS = ["trim", "lowercase", "uppercase", "phone"] as const;
export type Transform = (typeof TRANSFORMS)[number];

type Step = (text: string) => string | Invalid;

const STEPS: Record<Exclude<Transform, "phone">, Step> = {
  trim: (s) => s.trim(),
  lowercase: (s) => s.toLowerCase(),
  uppercase: (s) => s.toUpperCase(),
};

/**
 * Compiles a list of transforms, applied in order to a cell's text before type conversion.
 * Undefined when the list is empty, so the hot path can skip it.
 */
export function compileTransforms(
  transforms: readonly Transform[],
  country: CountryCode,
): Step | undefined {
  const steps = transforms.map((t) => (t === "phone" ? makePhoneNormalizer(country) : STEPS[t]));
  const [only] = steps;
  if (steps.length === 0) return undefined;
  if (steps.length === 1 && only !== undefined) return only;
  return (text) => {
    let s = text;
    for (const step of steps) {
      const next = step(s);
      if (typeof next !== "string") return next;
      s = next;
    }
    return s;
  };
}
