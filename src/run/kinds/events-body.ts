/**
 * An events request body, `{"common":{"identity":…},"events":[…]}`, sent as the bytes it writes
 * itself (json-bytes.ts: no string of the whole body, no copy of it). JSON.stringify writes it as
 * the plain object it is (a sample, a dry run, a dead letter's payload), and its bytes are exactly
 * that text's UTF-8.
 *
 * Why a writer of its own: an event is a record as toEventRecord makes it, its keys always the same
 * four first (`event_log_id`, `event_name`, `event_datetime`, `event_properties`), ~70 of its ~200
 * bytes. Found in their place by the for…in that reads the record, they are written from runs of
 * their bytes four at a time, with the comma and brace around them; the values as any value is.
 * An event of another shape (a stored event sent again as it was read, a key left out) is written
 * as any plain data: the same text either way.
 */
import type { Identity } from "../../api/dfinery.js";
import type { EventRecord, EventsRequestBody } from "../../api/events.js";
import { AsciiRun, BytesBody, type JsonBytes, writeJson } from "../../util/json-bytes.js";
import type { Pending } from "../kind.js";

const COMMA = 0x2c;
const OPEN = new AsciiRun('{"common":');
const EVENTS = new AsciiRun(',"events":[');
const CLOSE = new AsciiRun("]}");
/** An event's four first keys as they are written, each with what comes before it. */
const KEYS = ["event_log_id", "event_name", "event_datetime", "event_properties"] as const;
const RUNS = KEYS.map((key, i) => new AsciiRun(`${i === 0 ? "{" : ","}"${key}":`));

export class EventsBody extends BytesBody implements EventsRequestBody {
  readonly common: { readonly identity: Identity };
  readonly events: EventRecord[];

  constructor(identity: Identity, units: readonly Pending<EventRecord>[]) {
    super();
    this.common = { identity };
    this.events = units.map((e) => e.unit);
  }

  override write(writer: JsonBytes): void {
    const start = writer.length;
    writer.run(OPEN);
    if (!writeJson(writer, this.common)) {
      writer.length = start; // no common at all: JSON.stringify leaves its key out
      super.write(writer);
      return;
    }
    writer.run(EVENTS);
    const events = this.events;
    for (let i = 0; i < events.length; i++) {
      if (i > 0) writer.byte(COMMA);
      writeEvent(writer, events[i] as EventRecord);
    }
    writer.run(CLOSE);
  }
}

/** One event: a record's four first keys from their runs; any other shape as plain data. */
function writeEvent(writer: JsonBytes, event: EventRecord): void {
  const start = writer.length;
  if (isRecord(event) && writeRecord(writer, event)) return;
  writer.length = start;
  if (!writeJson(writer, event)) writer.ascii("null");
}

const isRecord = (event: unknown): event is EventRecord =>
  typeof event === "object" && event !== null && Object.getPrototypeOf(event) === Object.prototype;

/**
 * A record whose four first keys are the four, each with a value written: true. False, partly
 * written, for any other (a key elsewhere, a value left out): then it is written as plain data.
 */
function writeRecord(writer: JsonBytes, event: EventRecord): boolean {
  let found = 0;
  for (const key in event) {
    const value = event[key as keyof EventRecord];
    if (found < KEYS.length) {
      if (key !== KEYS[found]) return false;
      writer.run(RUNS[found] as AsciiRun);
      found++;
      if (typeof value === "string") writer.string(value);
      else if (!writeJson(writer, value)) return false;
    } else {
      writer.key(key, false); // after the four (`event_items`): as an object's key
      if (!writeJson(writer, value)) return false;
    }
  }
  if (found < KEYS.length) return false;
  writer.byte(0x7d);
  return true;
}
