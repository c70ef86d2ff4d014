import { EVENT_ID_NAMESPACE, uuidV5 } from "../event-id.js";
import type { Invalid } from "./invalid.js";
import { makePhoneNormalizer } from "./phone.js";
import { makeRowPhoneNormalizer, type PhoneCountry } from "./phone-country.js";

export const TRANSFORMS = ["trim", "lowercase", "uppercase", "phone"] as const;
export type NamedTransform = (typeof TRANSFORMS)[number];

/** Transforms with an argument: literal text, never a regular expression. */
export type TextTransform =
  /** Drop each listed character (`"'₩ ,"`). */
  | { readonly remove: string }
  /** Replace every occurrence of the first text by the second. */
  | { readonly replace: readonly [string, string] }
  /** Drop the text once from the start of the cell (Excel's text apostrophe: `"'"`). */
  | { readonly strip_prefix: string }
  /**
   * The name-based UUID (version 5, in our event-id namespace) of the given text and the cell's:
   * an `event.id` from an id that is no UUID (an order id), the same id giving the same UUID.
   */
  | { readonly uuid: string };

export type Transform = NamedTransform | TextTransform;

/** One step; `cells` (the row) is read by `phone` with a per-row country only. */
export type Step = (text: string, cells?: Readonly<Record<string, unknown>>) => string | Invalid;

const STEPS: Record<Exclude<NamedTransform, "phone">, Step> = {
  trim: (s) => s.trim(),
  lowercase: (s) => s.toLowerCase(),
  uppercase: (s) => s.toUpperCase(),
};

function textStep(t: TextTransform): Step {
  if ("remove" in t) {
    const chars = new Set(t.remove);
    const escaped = [...chars].map((c) => c.replace(/[\\\]^-]/g, "\\$&")).join("");
    const pattern = new RegExp(`[${escaped}]`, "gu");
    return (s) => s.replace(pattern, "");
  }
  if ("uuid" in t) {
    const kind = t.uuid;
    return (s) => uuidV5(EVENT_ID_NAMESPACE, JSON.stringify([kind, s]));
  }
  if ("replace" in t) {
    const [from, to] = t.replace;
    return (s) => s.replaceAll(from, to);
  }
  const prefix = t.strip_prefix;
  return (s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s);
}

function step(t: Transform, country: PhoneCountry): Step {
  if (t === "phone") {
    return typeof country === "string"
      ? makePhoneNormalizer(country)
      : makeRowPhoneNormalizer(country);
  }
  return typeof t === "string" ? STEPS[t] : textStep(t);
}

/**
 * Compiles a list of transforms, applied in order to a cell's text before type conversion.
 * Undefined when the list is empty, so the hot path can skip it.
 */
export function compileTransforms(
  transforms: readonly Transform[],
  country: PhoneCountry,
): Step | undefined {
  const steps = transforms.map((t) => step(t, country));
  const [only] = steps;
  if (steps.length === 0) return undefined;
  if (steps.length === 1 && only !== undefined) return only;
  return (text, cells) => {
    let s = text;
    for (const next of steps) {
      const out = next(s, cells);
      if (typeof out !== "string") return out;
      s = out;
    }
    return s;
  };
}

/** How a transform is named in messages. */
export function transformName(t: Transform): string {
  return typeof t === "string" ? t : (Object.keys(t)[0] as string);
}
