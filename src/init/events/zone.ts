/**
 * The time zone a draft may state, only from evidence in the file: epoch numbers (UTC by
 * definition), an offset or `Z` written in every value, or a column name saying UTC. Never from the
 * language of other columns; otherwise a TODO_ that does not load.
 */
import { FORMAT_KEYWORDS } from "../../mapping/convert/formats.js";
import { filled } from "./columns.js";

export interface TimeColumn {
  readonly column: string;
  readonly cells: readonly unknown[];
  /** The format the draft reads it with (undefined: iso). */
  readonly format: string | undefined;
}

export interface Zone {
  /** An IANA zone, or TODO_zone. */
  readonly zone: string;
  readonly evidence: string;
}

const OFFSET = /\d:\d{2}(:\d{2}([.,]\d+)?)?\s*(Z|UTC|[+-]\d{2}(:?\d{2})?)$/i;
const UTC_NAME = /(^|[^a-z])utc([^a-z]|$)|UTC/;
const EPOCH: ReadonlySet<string> = new Set(FORMAT_KEYWORDS.filter((k) => k.startsWith("epoch")));

/** Why `time` needs no zone, or undefined when it does. */
function zoneFree(time: TimeColumn): string | undefined {
  const name = JSON.stringify(time.column);
  if (time.format !== undefined && EPOCH.has(time.format)) {
    return `${name} is an epoch number (UTC by definition)`;
  }
  const texts = filled(time.cells);
  if (texts.length > 0 && texts.every((t) => OFFSET.test(t))) {
    return `every value of ${name} carries its offset or Z`;
  }
  if (UTC_NAME.test(time.column)) return `the name ${name} says UTC`;
  return undefined;
}

/** The zone: UTC when every time the draft reads is free of one, else TODO_zone and why. */
export function findZone(times: readonly TimeColumn[], hint: string | undefined): Zone {
  const reasons = times.map((t) => ({ time: t, why: zoneFree(t) }));
  const open = reasons.filter((r) => r.why === undefined);
  if (open.length === 0) {
    const why = reasons.map((r) => r.why).join("; ");
    return {
      zone: "UTC",
      evidence: times.length === 0 ? "no date-time is read" : `UTC: ${why}`,
    };
  }
  const example = filled(open[0]?.time.cells ?? [])[0];
  const names = open.map((r) => JSON.stringify(r.time.column)).join(", ");
  return {
    zone: "TODO_zone",
    evidence: `TODO: ${names} hold${open.length === 1 ? "s" : ""} times without an offset${example === undefined ? "" : ` (${JSON.stringify(example)})`} and nothing in the file says their zone: write the zone they were written in (UTC, Asia/Seoul, …)${hint === undefined ? "" : `; ${hint}`}`,
  };
}
