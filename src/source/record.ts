/** A record as the tokenizer read it, with the 1-based line it starts on. */
export interface CsvRecord {
  readonly kind: "record";
  readonly line: number;
  readonly cells: readonly string[];
  /** The record's text, without the blank lines before it or its closing line break. */
  readonly raw: string;
}

/** A record that could not be read; `raw` is the text dead-lettered for it (one physical line). */
export interface CsvSkip {
  readonly kind: "skip";
  readonly line: number;
  readonly raw: string;
  readonly error: { readonly code: string; readonly message: string };
}

export type CsvParsed = CsvRecord | CsvSkip;

/**
 * The longest record read (in characters): past it, a quote still open is an unclosed quote, and
 * a record outside quotes (one line with no line break, a dump cell of escaped lines) is skipped
 * to its end, dead-lettered. It is also what bounds memory: the tokenizer holds at most one
 * record's text.
 */
export const MAX_RECORD_SIZE = 8 * 1024 * 1024;

/** How much of a record (or NDJSON line) past the bound its dead letter keeps, to recognise it by. */
export const KEPT = 1024;

/**
 * Why a record grew past the bound: an open quote when it holds one; else no line break was
 * found (a wrong format, delimiter or encoding, or a file of bare carriage returns).
 */
export function tooLongMessage(limit: string, text: string, quote: string | null): string {
  const why =
    quote !== null && text.includes(quote)
      ? "a quote is probably unbalanced on this line"
      : "it holds no line break where one was expected: check the format, delimiter and encoding";
  return `a record starting here is longer than ${limit}; ${why}`;
}
