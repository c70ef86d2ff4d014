/**
 * The one date or date-time format that reads every sample cell of a column, tried over the
 * styles exports write (Korean Excel and Sheets, US, European, ISO, MySQL, Shopify). Formats that
 * read every cell alike count as one; two that read them differently leave the choice to the user.
 */
import { compileFormats } from "../mapping/convert/formats.js";
import { Invalid } from "../mapping/convert/invalid.js";

const DATE_FORMATS = [
  "iso",
  "yyyy. M. d.",
  "M/d/yyyy",
  "d/M/yyyy",
  "dd.MM.yyyy",
  "yyyy-MM-dd HH:mm:ss",
];
const DATETIME_FORMATS = [
  "iso",
  "yyyy-MM-dd a h:mm:ss",
  "yyyy-MM-dd a h:mm",
  "yyyy. M. d. a h:mm:ss",
  "yyyy. M. d. a h:mm",
  "yyyy. M. d. H:mm:ss",
  "yyyy. M. d. H:mm",
  "M/d/yyyy H:mm:ss",
  "M/d/yyyy H:mm",
  "M/d/yyyy h:mm:ss a",
  "M/d/yyyy h:mm a",
  "d/M/yyyy H:mm:ss",
  "d/M/yyyy H:mm",
  "dd.MM.yyyy HH:mm:ss",
  "dd.MM.yyyy HH:mm",
  "yyyy-MM-dd HH:mm:ss ZZZ",
];
export type Dated =
  | { kind: "one"; type: "Date" | "Datetime"; format: string }
  | { kind: "ambiguous"; formats: string[] }
  | { kind: "most"; type: "Date" | "Datetime"; format: string; read: number; miss: string }
  | { kind: "none" };

/** The one format (Date first, then Datetime) that reads every cell, or why there is none. */
export function datesOf(texts: readonly string[], zone: string): Dated {
  let best: Extract<Dated, { kind: "most" }> | undefined;
  for (const type of ["Date", "Datetime"] as const) {
    const groups = new Map<string, string[]>();
    // A date-time column at midnight throughout (MySQL DATETIME for a birthday) is a Date.
    const midnight = texts.every((t) => t.endsWith(" 00:00:00"));
    const formats =
      type === "Datetime"
        ? DATETIME_FORMATS
        : DATE_FORMATS.filter((f) => midnight || !f.includes("H"));
    for (const format of formats) {
      const read = compileFormats([format], type, zone);
      const out: string[] = [];
      let miss: string | undefined;
      for (const t of texts) {
        const v = read(t);
        if (v instanceof Invalid) miss ??= t;
        else out.push(v);
      }
      if (miss === undefined) {
        const key = out.join("\n");
        groups.set(key, [...(groups.get(key) ?? []), format]);
      } else if (out.length >= texts.length / 2 && (best === undefined || out.length > best.read)) {
        best = { kind: "most", type, format, read: out.length, miss };
      }
    }
    if (groups.size === 1) {
      const [formats] = [...groups.values()];
      return { kind: "one", type, format: (formats as string[])[0] as string };
    }
    if (groups.size > 1)
      return { kind: "ambiguous", formats: [...groups.values()].map((f) => f[0] as string) };
  }
  return best ?? { kind: "none" };
}
