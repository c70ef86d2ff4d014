/**
 * A request's `request_datetime`: the time it is sent, in ISO 8601 UTC as `Date#toISOString`
 * writes it (`2024-03-01T09:00:00.123Z`). Written without a Date object (isoUtc: ~0.18 µs against
 * ~0.48), and once a millisecond: the requests one answer lets go start in the same one.
 */
import type { ProfileRequestBody, ProfileUpdate } from "../api/dfinery.js";
import { isoUtc } from "../mapping/convert/datetime.js";

/** isoUtc's range, years 0100 to 9999 (a clock a test injects may be anywhere). */
const FIRST_MS = Date.UTC(100, 0, 1);
const END_MS = Date.UTC(10_000, 0, 1);

let lastMs = Number.NaN;
let lastText = "";

/** The request time of a request sent at `ms` (epoch ms; a fraction is cut, as Date does). */
export function requestDatetime(ms: number): string {
  const at = Math.trunc(ms);
  if (at === lastMs) return lastText;
  const text = at >= FIRST_MS && at < END_MS ? isoUtc(at) : new Date(at).toISOString();
  lastMs = at;
  lastText = text;
  return text;
}

/**
 * A profile update's request body, sent at `ms`: its two parts named, not spread (a spread copies
 * by the object's keys, ~0.5 µs a request).
 */
export function profileRequestBody(update: ProfileUpdate, ms: number): ProfileRequestBody {
  return {
    identity: update.identity,
    user_properties: update.user_properties,
    request_datetime: requestDatetime(ms),
  };
}
