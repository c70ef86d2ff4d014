import { InputError, type RowFailure, rowFailure } from "../errors.js";
import type { SourceFormat } from "../source/types.js";
import type { StateCommand } from "../state/index.js";

/**
 * A dead-letter file is a valid input. Each of its lines is turned back into what the original run
 * had: the original cells at their original line (to map again with a fixed mapping), or the stored
 * payload (to send again as it was).
 */
export type ReplayItem =
  | {
      readonly kind: "cells";
      readonly line: number;
      /** The file of a run of several: the row keeps it, so its dead letter names it again. */
      readonly file: string | undefined;
      readonly cells: Readonly<Record<string, unknown>>;
      readonly format: SourceFormat;
      /** What the record stored as sent (null: the row never got that far); the kind reads it. */
      readonly payload: unknown;
      /** Events: the n-th identical event in the first run (n ≥ 2), which keeps its id. */
      readonly occurrence?: number;
    }
  | {
      readonly kind: "unreadable";
      readonly line: number;
      readonly file: string | undefined;
      readonly row: unknown;
      readonly failure: RowFailure;
    };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** True when an NDJSON object has the shape of a dead-letter record (its line a line: 1, 2, …). */
export function isDeadLetterRecord(cells: Readonly<Record<string, unknown>>): boolean {
  return (
    Number.isSafeInteger(cells.line) &&
    (cells.line as number) >= 1 &&
    "row" in cells &&
    "payload" in cells &&
    isObject(cells.error) &&
    typeof cells.format === "string"
  );
}

const FORMATS: readonly string[] = ["csv", "tsv", "ndjson", "xlsx"];

/** One dead-letter line → what to replay. `fileLine` is the line in the dead-letter file itself. */
export function toReplayItem(
  cells: Readonly<Record<string, unknown>>,
  fileLine: number,
): ReplayItem {
  if (!isDeadLetterRecord(cells) || !FORMATS.includes(cells.format as string)) {
    return {
      kind: "unreadable",
      line: fileLine,
      file: undefined,
      row: cells,
      failure: rowFailure(
        "input",
        "REPLAY_RECORD",
        "not a dead-letter record (line, row, payload, error, format)",
      ),
    };
  }
  const line = cells.line as number;
  const file = typeof cells.file === "string" ? cells.file : undefined;
  // A row the reader refused (a sheet's cell outside the header) is kept whole, not mapped again.
  const refused = isObject(cells.error) && cells.error.stage === "input";
  if (!isObject(cells.row) || refused) {
    return {
      kind: "unreadable",
      line,
      file,
      row: cells.row,
      failure: rowFailure(
        "input",
        "REPLAY_UNREADABLE",
        "this row could not be read in the original file; correct it there and import it again",
      ),
    };
  }
  return {
    kind: "cells",
    line,
    file,
    cells: cells.row,
    format: cells.format as SourceFormat,
    payload: cells.payload ?? null,
    ...(isOccurrence(cells.occurrence) ? { occurrence: cells.occurrence } : {}),
  };
}

/** The command whose dead-letter file a record comes from. */
export type ReplayCommand = StateCommand;

/**
 * The commands whose records name them (`command`): their payloads are alike (an identity alone),
 * and a file of identities to link must never be replayed as people to delete.
 */
export const NAMED_RECORDS: readonly ReplayCommand[] = [
  "dfinery-import identities",
  "dfinery-import delete",
];

const PAYLOAD_IS: Readonly<Record<ReplayCommand, string>> = {
  "import-profiles": "a user profile",
  "import-events": "an events request body",
  "dfinery-import identities": "an identity to link",
  "dfinery-import delete": "an identity to delete",
};

/** The command that wrote a record: as it names itself, else told by its payload (none: unknown). */
function recordCommand(record: Readonly<Record<string, unknown>>): ReplayCommand | undefined {
  const named = record.command;
  if (typeof named === "string" && named in PAYLOAD_IS) return named as ReplayCommand;
  const payload = record.payload;
  if (!isObject(payload)) return undefined;
  if ("common" in payload || "events" in payload) return "import-events";
  if ("user_properties" in payload) return "import-profiles";
  return undefined;
}

/** Without --map, an input whose first record is not a dead-letter record (or not JSON at all). */
export function notDeadLetters(command: ReplayCommand, file: string, fileLine: number): InputError {
  return new InputError(
    file,
    `without --map, the input must be a dead-letter file of ${command} (its stored payloads are sent again); pass --map FILE to import rows`,
    fileLine,
  );
}

/**
 * Replaying stored payloads without --map: the input must be a dead-letter file (its first record
 * tells), and a record of the other command's dead-letter file stops the run (exit 2). Its
 * payloads are all of that kind, so this comes before any request is sent.
 */
export function checkReplayCommand(
  record: Readonly<Record<string, unknown>>,
  command: ReplayCommand,
  file: string,
  fileLine: number,
  first = false,
): void {
  if (first && !isDeadLetterRecord(record)) throw notDeadLetters(command, file, fileLine);
  const other = recordCommand(record);
  if (other === command) return;
  if (other === undefined) {
    // Not a record at all: dead-lettered again, as unreadable.
    if (!NAMED_RECORDS.includes(command) || !isDeadLetterRecord(record)) return;
    throw new InputError(
      file,
      `this dead-letter record names no command: ${command} replays only the records its own runs wrote`,
      fileLine,
    );
  }
  const what = PAYLOAD_IS[other];
  throw new InputError(
    file,
    `this dead-letter record was written by ${other} (its payload is ${what}): replay the file with ${other}, not ${command}`,
    fileLine,
  );
}

const isOccurrence = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 2;
