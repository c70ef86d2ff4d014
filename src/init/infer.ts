/**
 * The type of one column from its sample cells, with the evidence in words. A `format` is given
 * only when exactly one reads every non-empty cell (formats that read them all alike count as
 * one); otherwise the column stays a String and the evidence says why. Nothing here is a guess
 * the user does not see: every choice comes with its comment.
 */
import type { PropertyType } from "../api/dfinery.js";
import { parseBoolean } from "../mapping/convert/boolean.js";
import { Invalid } from "../mapping/convert/invalid.js";
import { parseDouble, parseLong } from "../mapping/convert/number.js";
import { isSheetValue } from "../mapping/convert/sheet.js";
import type { Transform } from "../mapping/convert/transform.js";
import { SheetDate, SheetError } from "../util/sheet-values.js";
import { datesOf } from "./dates.js";
import {
  BIRTH_NAME,
  CONSENT_WORDS,
  consentSuggestion,
  GENDER_WORDS,
  looksLikeConsent,
  NAME_NAME,
  spellings,
  TIME_NAME,
} from "./vocabulary.js";

export interface ColumnGuess {
  readonly type: PropertyType;
  /** Not mapped (written as a comment): the cells are JSON objects. */
  readonly skip?: boolean;
  readonly format?: string;
  readonly transform?: readonly Transform[];
  /** A values table: cell → value. */
  readonly values?: Readonly<Record<string, string | boolean>>;
  /** The standard or consent property this column may be, for a comment. */
  readonly suggest?: string;
  /** Why, in one line: `200/200 sample cells read as Datetime with format "…"`. */
  readonly evidence: string;
}

// Currency signs (₩ and the fullwidth ￦ CP949 has), a backslash (the won sign of Korean code
// pages), Excel's text apostrophe and spaces.
const CURRENCY = /[₩￦\\$€£¥'\s]/g;
const LEADING_ZERO = /^[+-]?0\d/;

/** Guesses the type of a column; undefined when every sample cell is empty. */
export function inferColumn(
  column: string,
  raw: readonly unknown[],
  zone: string,
): ColumnGuess | undefined {
  const cells = raw.filter(
    (v) =>
      v !== undefined &&
      v !== null &&
      !(typeof v === "string" && v.trim() === "") &&
      !(v instanceof SheetError), // a workbook's #N/A is no evidence of a type
  );
  if (cells.length === 0) return undefined;
  const n = cells.length;
  const of = (k: number) => `${k}/${n} sample cells`;
  const dates = sheetDates(column, cells, of(n));
  if (dates !== undefined) return dates;
  if (cells.some((c) => typeof c === "object" && !isSheetValue(c))) return listOf(cells, of(n));
  const texts = cells.map((c) => (typeof c === "string" ? c.trim() : String(c)));
  const distinct = [...new Set(texts)];

  if (cells.every((c) => typeof c === "boolean")) {
    return {
      type: "Boolean",
      ...suggestConsent(column),
      evidence: `${of(n)} read as Boolean (${distinct.slice(0, 4).join(", ")})`,
    };
  }

  const vocabulary = cells.every((c) => typeof c === "string")
    ? fromVocabulary(column, distinct, n)
    : undefined;
  if (vocabulary !== undefined) return vocabulary;

  const epoch = epochOf(column, cells);
  if (epoch !== undefined) {
    return {
      type: "Datetime",
      format: epoch,
      evidence: `${of(n)} read as Datetime with format ${epoch} (a time column of ${EPOCH_DIGITS[epoch]}-digit numbers)`,
    };
  }

  const number = numberOf(texts);
  if (number !== undefined) {
    const { type, removed } = number;
    return {
      type,
      ...(removed === "" ? {} : { transform: [{ remove: removed }] }),
      evidence: `${of(n)} read as ${type}${removed === "" ? "" : ` once ${JSON.stringify(removed)} is removed`}`,
    };
  }

  const dated = datesOf(texts, zone);
  if (dated.kind === "one") {
    const { type, format } = dated;
    return {
      type,
      ...(format === "iso" ? {} : { format }),
      ...(type === "Date" && BIRTH_NAME.test(column) ? { suggest: "df_birth" } : {}),
      evidence: `${of(n)} read as ${type}${format === "iso" ? " (iso)" : ` with format ${JSON.stringify(format)}`}`,
    };
  }
  const name = NAME_NAME.test(column) ? { suggest: "df_name" } : {};
  if (dated.kind === "ambiguous") {
    return {
      type: "String",
      ...name,
      evidence: `String: ${dated.formats.map((f) => JSON.stringify(f)).join(" and ")} each read every cell, differently; state the format`,
    };
  }
  if (dated.kind === "most") {
    return {
      type: "String",
      ...name,
      evidence: `String: ${of(dated.read)} read as ${dated.type} with format ${JSON.stringify(dated.format)}, but ${JSON.stringify(dated.miss)} fits no format; fix or state it`,
    };
  }
  return {
    type: "String",
    ...name,
    evidence: `String: ${of(n)}, ${distinct.length} distinct values`,
  };
}

/** A workbook's date cells: a Date when every one is at midnight, else a Datetime. */
function sheetDates(column: string, cells: readonly unknown[], share: string) {
  if (!cells.every((c) => c instanceof SheetDate)) return undefined;
  const type = cells.every((c) => c.text.length === 10) ? "Date" : "Datetime";
  return {
    type,
    ...(type === "Date" && BIRTH_NAME.test(column) ? { suggest: "df_birth" } : {}),
    evidence: `${share} are date cells of the workbook, read as ${type}`,
  } as const;
}

function suggestConsent(column: string): { suggest?: string } {
  return suggested(looksLikeConsent(column) ? consentSuggestion(column) : undefined);
}

function suggested(property: string | undefined): { suggest?: string } {
  return property === undefined ? {} : { suggest: property };
}

/** JSON lists of texts or numbers are arrays; anything else nested is left out. */
function listOf(cells: readonly unknown[], share: string): ColumnGuess {
  const lists = cells.filter(Array.isArray) as unknown[][];
  const elements = lists.flat();
  if (lists.length === cells.length) {
    if (elements.every((e) => typeof e === "string")) {
      return { type: "Array of String", evidence: `${share} are JSON lists of texts` };
    }
    if (elements.every((e) => typeof e === "number" && Number.isSafeInteger(e))) {
      return { type: "Array of Long", evidence: `${share} are JSON lists of integers` };
    }
    if (elements.every((e) => typeof e === "number")) {
      return { type: "Array of Double", evidence: `${share} are JSON lists of numbers` };
    }
  }
  return {
    type: "String",
    skip: true,
    evidence: `${share} hold JSON objects or mixed lists; map their fields by path`,
  };
}

/**
 * The values table of a column of words: gender words → DFINERY's gender values, consent and
 * yes/no words → Booleans (each word as written, and its other cases). undefined when the words
 * are not all of one kind. Pure, for every draft that maps words.
 */
export function wordTable(
  distinct: readonly string[],
  consentHeader = false,
):
  | { readonly kind: "gender"; readonly values: Readonly<Record<string, string>> }
  | { readonly kind: "consent" | "boolean"; readonly values: Readonly<Record<string, boolean>> }
  | undefined {
  if (distinct.length === 0 || distinct.length > 6) return undefined;
  const folded = distinct.map((d) => d.toLowerCase());
  const table = <T>(read: (word: string) => T) =>
    Object.fromEntries(
      distinct.flatMap((d) => spellings(d).map((w) => [w, read(d.toLowerCase())])),
    );
  if (folded.every((d) => GENDER_WORDS.has(d))) {
    return { kind: "gender", values: table((d) => GENDER_WORDS.get(d) as string) };
  }
  const bool = (d: string) => CONSENT_WORDS.get(d) ?? (parseBoolean(d) as boolean);
  if (folded.every((d) => CONSENT_WORDS.has(d) || !(parseBoolean(d) instanceof Invalid))) {
    if (folded.some((d) => CONSENT_WORDS.has(d))) return { kind: "consent", values: table(bool) };
    if (distinct.length <= 2 && (!folded.every((d) => d === "0" || d === "1") || consentHeader)) {
      return { kind: "boolean", values: table(bool) };
    }
  }
  return undefined;
}

function fromVocabulary(
  column: string,
  distinct: readonly string[],
  n: number,
): ColumnGuess | undefined {
  const words = wordTable(distinct, looksLikeConsent(column));
  if (words === undefined) return undefined;
  const shown = distinct.join(", ");
  if (words.kind === "gender") {
    return {
      type: "String",
      values: words.values,
      suggest: "df_gender",
      evidence: `${n}/${n} sample cells are gender words (${shown})`,
    };
  }
  return {
    type: "Boolean",
    values: words.values,
    ...(words.kind === "consent" ? suggested(consentSuggestion(column)) : suggestConsent(column)),
    evidence: `${n}/${n} sample cells are ${words.kind === "consent" ? "consent" : "yes/no"} words (${shown})`,
  };
}

const EPOCH_S = [946_684_800, 4_102_444_800];
/** The epoch units by their scale over seconds; a GA4 export writes microseconds. */
const EPOCH_SCALES = [
  ["epoch_s", 1],
  ["epoch_ms", 1e3],
  ["epoch_us", 1e6],
  ["epoch_ns", 1e9],
] as const;
type EpochFormat = (typeof EPOCH_SCALES)[number][0];
const EPOCH_DIGITS: Readonly<Record<EpochFormat, number>> = {
  epoch_s: 10,
  epoch_ms: 13,
  epoch_us: 16,
  epoch_ns: 19,
};

function epochOf(column: string, cells: readonly unknown[]): EpochFormat | undefined {
  if (!TIME_NAME.test(column)) return undefined;
  const numbers = cells.map((c) =>
    typeof c === "number"
      ? c
      : typeof c === "string" && /^\d+$/.test(c.trim())
        ? Number(c)
        : Number.NaN,
  );
  const [lo, hi] = EPOCH_S as [number, number];
  for (const [format, scale] of EPOCH_SCALES) {
    if (numbers.every((x) => x >= lo * scale && x < hi * scale)) return format;
  }
  return undefined;
}

function numberOf(
  texts: readonly string[],
): { type: "Long" | "Double"; removed: string } | undefined {
  if (texts.some((t) => LEADING_ZERO.test(t.replace(CURRENCY, "")))) return undefined;
  const removedChars = new Set<string>();
  const bare = texts.map((t) => {
    for (const c of t.match(CURRENCY) ?? []) removedChars.add(c);
    return t.replace(CURRENCY, "");
  });
  if (bare.some((t) => t === "")) return undefined;
  const removed = [...removedChars].join("");
  if (bare.every((t) => !(parseLong(t) instanceof Invalid))) return { type: "Long", removed };
  if (bare.every((t) => !(parseDouble(t) instanceof Invalid))) return { type: "Double", removed };
  return undefined;
}
