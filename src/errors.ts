/**
 * Typed errors with stable codes. Two families:
 *  - run errors (ImporterError subclasses): stop the run before or while sending; each maps to an exit code;
 *  - row failures (RowFailure): one row could not be delivered; it goes to the dead-letter file and the run goes on.
 * Messages never contain the access token.
 */

/** Codes of errors that end a run. Closed list: tests and users may match on them. */
export type RunErrorCode =
  | "E_USAGE" // bad command line
  | "E_CONFIG" // the mapping file is invalid
  | "E_INPUT" // the input cannot be opened or read (missing file, bad encoding, missing columns)
  | "E_OUTPUT" // an output file (dead letter, report) cannot be written
  | "E_FATAL_API" // the API refused the credentials (40101, 40201)
  | "E_INTERNAL"; // a bug: never a user's mistake

export class ImporterError extends Error {
  override readonly name: string = "ImporterError";
  constructor(
    readonly code: RunErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class UsageError extends ImporterError {
  override readonly name = "UsageError";
  constructor(message: string) {
    super("E_USAGE", message);
  }
}

/** One problem in a mapping file, with its place. */
export interface ConfigIssue {
  /** Dotted path in the YAML document, e.g. `properties.points.type`; empty for the whole file. */
  readonly path: string;
  /** 1-based line in the mapping file, when known. */
  readonly line?: number;
  readonly message: string;
}

export class ConfigError extends ImporterError {
  override readonly name = "ConfigError";
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super("E_CONFIG", formatConfigIssues(file, issues));
  }
}

export function formatConfigIssues(file: string, issues: readonly ConfigIssue[]): string {
  const lines = issues.map((i) => {
    const where = i.line === undefined ? file : `${file}:${i.line}`;
    return `  ${where}  ${i.path === "" ? "" : `${i.path}: `}${i.message}`;
  });
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  return `mapping ${file} has ${count}:\n${lines.join("\n")}`;
}

export class InputError extends ImporterError {
  override readonly name = "InputError";
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(
      "E_INPUT",
      line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`,
      options,
    );
  }
}

export class OutputError extends ImporterError {
  override readonly name = "OutputError";
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super("E_OUTPUT", `${file}: ${message}`, options);
  }
}

export class FatalApiError extends ImporterError {
  override readonly name = "FatalApiError";
  constructor(
    readonly apiCode: string,
    message: string,
  ) {
    super("E_FATAL_API", message);
  }
}

/** Where a row failed. */
export type FailureStage = "input" | "mapping" | "api";

/**
 * Why one row was not delivered. `code` is stable: for the input and mapping stages one of
 * RowFailureCode, for the api stage the API's result code ("40001"), `HTTP_<status>`, or a
 * network code (`NETWORK`, `TIMEOUT`, `BAD_RESPONSE`).
 */
export interface RowFailure {
  readonly stage: FailureStage;
  readonly code: string;
  readonly message: string;
  /** The mapped property or identity field at fault, when there is one. */
  readonly field?: string;
  /** Mapping stage: every cell of the row that failed, so one fix covers them all. */
  readonly errors?: readonly CellError[];
}

/** One cell of a row that could not be mapped. */
export interface CellError {
  readonly stage: FailureStage;
  readonly code: string;
  /** What is wrong with the value: `"maybe" is not a Boolean (expected …)`. */
  readonly message: string;
  /** The property or identity field. */
  readonly field?: string;
  /** The column read (a template's text for a template). */
  readonly column?: string;
  /** The cell as read. */
  readonly value?: unknown;
}

export type RowFailureCode =
  // input stage
  | "CSV_PARSE" // a record csv-parse could not read (bad quoting)
  | "CSV_COLUMN_COUNT" // more or fewer cells than the header
  | "JSON_PARSE" // an NDJSON line that is not JSON
  | "JSON_NOT_OBJECT" // an NDJSON line that is JSON but not an object
  | "SHEET_NO_HEADER" // a worksheet cell with a value right of the header's last column
  | "LINE_TOO_LONG" // an NDJSON line beyond the size bound (its start is kept)
  | "REPLAY_RECORD" // a line of a replayed dead-letter file that is not a dead-letter record
  | "REPLAY_UNREADABLE" // a replayed row that could not be read in the original file
  | "REPLAY_NO_PAYLOAD" // replay without --map of a row that never had a payload
  // mapping stage
  | "NO_IDENTITY" // none of the five identifiers has a value
  | "INVALID_VALUE" // a cell that does not convert to its type
  | "UNMAPPED_VALUE" // a cell missing from a `values` table with no default
  | "TOO_LARGE"; // user_properties over 8 KB

export function rowFailure(
  stage: FailureStage,
  code: string,
  message: string,
  field?: string,
): RowFailure {
  return field === undefined ? { stage, code, message } : { stage, code, message, field };
}

/** The errno code of a file-system error (ENOENT, EACCES…), or the error as text: for messages. */
export function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
