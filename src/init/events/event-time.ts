/**
 * When the event happened: the column named like the event's time (`event_time`,
 * `event_timestamp`, `주문일시`, …; not an upload's, a change's or a delivery's time) whose every
 * sample cell reads as one Datetime format (infer.ts), else the first other time column that does,
 * else the first column of date-times whatever its name.
 */

import type { ColumnGuess } from "../infer.js";
import { inferColumn } from "../infer.js";
import { TIME_NAME } from "../vocabulary.js";
import type { EventColumns } from "./columns.js";
import { EVENT_TIME_HEADER, headerKey, NOT_EVENT_TIME } from "./words.js";

export type EventTime =
  | { readonly column: string; readonly guess: ColumnGuess; readonly evidence: string }
  | { readonly column: undefined; readonly evidence: string };

/** The zone types are inferred in: it decides no format, only the values the draft never shows. */
export const INFER_ZONE = "UTC";

export function findEventTime(columns: EventColumns): EventTime {
  const timeLike = columns.names.filter((c) => TIME_NAME.test(c) && !NOT_EVENT_TIME.test(c));
  // Named as the event's time first, then other times, then any column of date-times.
  const ranked = [
    ...timeLike.filter((c) => EVENT_TIME_HEADER.test(headerKey(c))),
    ...timeLike.filter((c) => !EVENT_TIME_HEADER.test(headerKey(c))),
    ...columns.names.filter((c) => !TIME_NAME.test(c) && !NOT_EVENT_TIME.test(c)),
  ];
  const notes: string[] = [];
  for (const column of ranked) {
    const guess = inferColumn(column, columns.cells.get(column) ?? [], INFER_ZONE);
    if (guess?.type === "Datetime") {
      return {
        column,
        guess,
        evidence: `the event's time: ${JSON.stringify(column)}, ${guess.evidence}`,
      };
    }
    if (guess !== undefined && TIME_NAME.test(column))
      notes.push(`${JSON.stringify(column)}: ${guess.evidence}`);
  }
  return {
    column: undefined,
    evidence: `TODO: no column reads as the event's date-time${notes.length > 0 ? ` (${notes.join("; ")})` : ""}: write the column and its format`,
  };
}
