/**
 * How a CSV/TSV file is written: plain CSV (RFC 4180), or the escape rules of database dumps:
 * MySQL's `SELECT … INTO OUTFILE` / `mysqldump --tab` and PostgreSQL's `COPY … TO` text format
 * (a backslash escapes the next character; `\N` alone is NULL). Pure data and one decoding function
 * per dialect; the one tokenizer (tokenizer.ts) applies them.
 */

export type Dialect = "mysql" | "postgres";

export const DIALECTS: readonly Dialect[] = ["mysql", "postgres"];

/** How a file of a format (csv or tsv) is read: plain CSV, or a dialect. */
export interface CsvRules {
  readonly name: Dialect | "csv";
  /** The enclosing quote, or null when cells are never quoted. */
  readonly quote: string | null;
  /**
   * Decodes the escape at `text[at]` (the character after the backslash); returns the decoded text
   * and how many characters the escape took after the backslash, or undefined when more text is
   * needed to tell (a PostgreSQL octal or hex escape cut by the end of a chunk).
   */
  readonly decodeEscape:
    | ((text: string, at: number, final: boolean) => Unescaped | undefined)
    | undefined;
  /** PostgreSQL's `\.` line ends the data. */
  readonly endMarker: boolean;
  /**
   * Plain CSV: a quote opens a cell only at its start and must close it before the delimiter or a
   * line end (else the record is bad), and a lone `\r` ends a line. Dumps: a quote elsewhere is
   * text, and lines end at `\n` or `\r\n` only.
   */
  readonly strict: boolean;
}

/** Plain CSV (RFC 4180), and PostgreSQL's CSV format, which is plain CSV. */
export const CSV_RULES: CsvRules = {
  name: "csv",
  quote: '"',
  decodeEscape: undefined,
  endMarker: false,
  strict: true,
};

export interface Unescaped {
  readonly text: string;
  readonly length: number;
  /** The escape stands for nothing a value may hold: the record is bad, for this reason. */
  readonly bad?: string;
}

/**
 * MySQL's escapes (LOAD DATA's list): `\0 \b \n \r \t \Z`, and a backslash before any other
 * character (`\\`, `\"`, `\'`, the delimiter, a real line break) stands for that character.
 */
const MYSQL: Readonly<Record<string, string>> = {
  "0": "\0",
  b: "\b",
  n: "\n",
  r: "\r",
  t: "\t",
  Z: "\x1a",
};

/**
 * PostgreSQL's: `\b \f \n \r \t \v`, `\` + 1–3 octal digits or `\x` + 1–2 hex digits (a byte);
 * else the character as is.
 */
const POSTGRES: Readonly<Record<string, string>> = {
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

function mysqlUnescape(text: string, at: number): Unescaped {
  const c = text.charAt(at);
  if (c === "\r" && text.charAt(at + 1) === "\n") return { text: "\r\n", length: 2 };
  return { text: MYSQL[c] ?? c, length: 1 };
}

const OCTAL = /^[0-7]{1,3}/;
const HEX = /^[0-9A-Fa-f]{1,2}/;

function postgresUnescape(text: string, at: number, final: boolean): Unescaped | undefined {
  const c = text.charAt(at);
  if (c === "\r" && text.charAt(at + 1) === "\n") return { text: "\r\n", length: 2 };
  const first = byteEscape(text, at, final);
  if (first === undefined) return undefined;
  if (first === NOT_A_BYTE) return { text: POSTGRES[c] ?? c, length: 1 };
  // The bytes of a run of escapes (`\303\251`) are text in UTF-8 together: é, not Ã©.
  const bytes = [first.byte];
  const ends = [at + first.length]; // where each escape of the run ends
  let cut = false; // the chunk ends within the run
  for (;;) {
    const end = ends[ends.length - 1] as number;
    if (!final && text.length < end + 2) {
      cut = text.length <= end || text.charAt(end) === "\\";
      break;
    }
    if (text.charAt(end) !== "\\") break;
    const next = byteEscape(text, end + 1, final);
    if (next === undefined) {
      cut = true;
      break;
    }
    if (next === NOT_A_BYTE) break;
    bytes.push(next.byte);
    ends.push(end + 1 + next.length);
  }
  // Cut by the chunk: the run's whole characters now, the rest with the next chunk (never the
  // whole run again, which would cost a long run of escapes its length squared).
  for (let n = bytes.length; n > 0 && n > bytes.length - 4; n--) {
    const end = ends[n - 1] as number;
    const written = text.slice(at - 1, end);
    if (bytes.indexOf(0) >= 0 && bytes.indexOf(0) < n) {
      return {
        text: "",
        length: end - at,
        bad: `${written} holds a NUL byte (\\0), which no text value may hold`,
      };
    }
    const decoded = utf8(bytes.slice(0, n));
    if (decoded !== undefined) return { text: decoded, length: end - at };
    if (!cut) {
      return {
        text: "",
        length: end - at,
        bad: `${written} is not UTF-8 (escaped bytes are read as UTF-8 text)`,
      };
    }
  }
  if (cut && bytes.length < 4) return undefined;
  const written = text.slice(at - 1, ends[ends.length - 1]);
  return {
    text: "",
    length: (ends[ends.length - 1] as number) - at,
    bad: `${written} is not UTF-8 (escaped bytes are read as UTF-8 text)`,
  };
}

function utf8(bytes: readonly number[]): string | undefined {
  try {
    return UTF8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });
const NOT_A_BYTE = 0;

/**
 * The byte of an octal (`\303`) or hex (`\xC3`) escape at `text[at]` (after its backslash) and
 * the characters it takes; NOT_A_BYTE for another escape; undefined when more text is needed.
 */
function byteEscape(
  text: string,
  at: number,
  final: boolean,
): { byte: number; length: number } | typeof NOT_A_BYTE | undefined {
  const c = text.charAt(at);
  const octal = c >= "0" && c <= "7";
  if (!octal && c !== "x") return NOT_A_BYTE;
  const start = octal ? at : at + 1;
  const width = octal ? 3 : 2;
  // The escape may go on in the next chunk.
  if (!final && text.length < start + width) return undefined;
  const digits = (octal ? OCTAL : HEX).exec(text.slice(start, start + width))?.[0];
  if (digits === undefined) return NOT_A_BYTE; // `\x` without hex digits: an x
  // `\777` is 511: PostgreSQL keeps its low byte.
  const byte = Number.parseInt(digits, octal ? 8 : 16) & 0xff;
  return { byte, length: start - at + digits.length };
}

/**
 * The rules for a dialect (or none) and a format. MySQL CSV (`FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY
 * '"'`) may quote cells; MySQL TSV (the default OUTFILE form) never does, so a `"` there is text.
 * PostgreSQL's text format never quotes; its CSV format is plain CSV and is not read here.
 */
export function csvRules(dialect: Dialect | undefined, format: "csv" | "tsv"): CsvRules {
  if (dialect === "mysql") {
    return {
      name: dialect,
      quote: format === "csv" ? '"' : null,
      decodeEscape: mysqlUnescape,
      endMarker: false,
      strict: false,
    };
  }
  if (dialect === "postgres" && format === "tsv") {
    return {
      name: dialect,
      quote: null,
      decodeEscape: postgresUnescape,
      endMarker: true,
      strict: false,
    };
  }
  return CSV_RULES;
}
