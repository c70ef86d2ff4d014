/**
 * The time zone of a file's date-times, from evidence only: an offset or `Z` in the values (no zone
 * needed), epoch numbers (UTC), a column name saying UTC (`event_time_utc`, `Created (UTC)`), or an
 * exporter whose documented times are UTC, found by its own column names (Amplitude's
 * `amplitude_id`). Never from the language of other columns: Korean text says where the people
 * are, not the clock that wrote the file. Where nothing says, the zone is left to the user.
 */

/** What one Datetime column shows about its zone. */
export type ZoneEvidence =
  /** Every value carries `Z` or an offset: read as written, whatever the zone. */
  | { readonly kind: "offset" }
  /** Numbers since 1970: UTC by definition. */
  | { readonly kind: "epoch" }
  /** Wall-clock times whose column name says UTC. */
  | { readonly kind: "named-utc" }
  /** Wall-clock times, nothing saying where. */
  | { readonly kind: "local" };

const OFFSET = /\d(?:\s?Z|\s?[+-]\d{2}(?::?\d{2})?|\s(?:UTC|GMT))$/i;
const UTC_NAME = /(?:^|[_\W])utc(?:$|[_\W])|[a-z]Utc|UTC|GMT/;

/** True when a value carries its own offset (`Z`, `+09:00`, `+0900`, ` UTC`). */
export function hasOffset(text: string): boolean {
  return OFFSET.test(text.trim());
}

/** True when a column's name says its times are UTC. */
export function namesUtc(column: string): boolean {
  return UTC_NAME.test(column);
}

/** The evidence of one Datetime column: its format (an epoch_… one) and its cells' texts. */
export function zoneOfColumn(
  column: string,
  texts: readonly string[],
  format: string | undefined,
): ZoneEvidence {
  if (format?.startsWith("epoch_") === true) return { kind: "epoch" };
  if (texts.length > 0 && texts.every(hasOffset)) return { kind: "offset" };
  if (namesUtc(column)) return { kind: "named-utc" };
  return { kind: "local" };
}

/** Exporters whose documentation says their date-times are UTC, known by their column names. */
const UTC_EXPORTERS: readonly { readonly name: string; readonly columns: readonly string[] }[] = [
  { name: "Amplitude's export (its times are UTC)", columns: ["amplitude_id", "event_time"] },
];

/** The exporter a file's columns name, when its times are UTC. */
export function utcExporter(columns: readonly string[]): string | undefined {
  const names = new Set(columns.map((c) => c.toLowerCase()));
  return UTC_EXPORTERS.find((e) => e.columns.every((c) => names.has(c)))?.name;
}

export interface ZoneChoice {
  /** The zone to write; undefined: none needed (no wall-clock times); `TODO_zone`: ask. */
  readonly zone: string | undefined;
  /** Why, in one line, for the draft's comment. */
  readonly evidence: string;
}

export const TODO_TIMEZONE = "TODO_zone";

/** The file's zone from its Datetime columns' evidence and its column names. */
export function chooseZone(
  datetimes: readonly { readonly column: string; readonly evidence: ZoneEvidence }[],
  columns: readonly string[],
): ZoneChoice {
  const local = datetimes.filter((d) => d.evidence.kind === "local").map((d) => d.column);
  const named = datetimes.filter((d) => d.evidence.kind === "named-utc").map((d) => d.column);
  const list = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(", ");
  if (local.length === 0 && named.length === 0) {
    return {
      zone: undefined,
      evidence:
        datetimes.length === 0
          ? "no date-time column"
          : "every date-time carries its offset, Z, or is an epoch number (UTC)",
    };
  }
  const exporter = utcExporter(columns);
  if (local.length === 0 || exporter !== undefined) {
    return {
      zone: "UTC",
      evidence:
        exporter !== undefined
          ? `the columns are ${exporter}`
          : `the column name says UTC: ${list(named)}`,
    };
  }
  return {
    zone: TODO_TIMEZONE,
    evidence: `nothing in the sample says which zone ${list(local)} ${local.length === 1 ? "was" : "were"} written in (no offset, no UTC in the name)${named.length > 0 ? `, while ${list(named)} say${named.length === 1 ? "s" : ""} UTC` : ""}`,
  };
}
