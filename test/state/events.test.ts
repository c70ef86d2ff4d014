import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { eventKey, forgetInSteps } from "../../src/state/events.js";
import { formatStatus } from "../../src/state/status.js";
import { StateStore } from "../../src/state/store.js";
import { accepted, BEFORE_ROW_KEYS, openLocked, request, statePath } from "./helpers.js";

const KEY = Buffer.alloc(32, 7);
const ID = "0b9f1c5e-6a47-5f7e-9d3a-2f1e8c7b6a50";
/** Forgets the events accepted before `ms` to the end; how many. */
async function forget(store: StateStore, ms: number): Promise<number> {
  const { forgotten, finished } = await store.forgetEventsAcceptedBefore(ms);
  expect(finished).toBe(true);
  return forgotten;
}
const event = (id: string, at = "2024-05-14T06:05:46.363Z") => ({
  event_log_id: id,
  event_datetime: at,
});

describe("the events import-events --state remembers", () => {
  it("keys an event id with the state key, after its time: never the id itself", () => {
    const key = eventKey(event(ID), KEY);
    expect(key).toMatch(/^[0-9a-z]{9}[A-Za-z0-9_-]{22}$/);
    expect(key).not.toContain(ID.slice(0, 8));
    expect(eventKey(event(ID), KEY)).toBe(key);
    expect(eventKey(event(ID), Buffer.alloc(32, 8))).not.toBe(key);
    expect(eventKey(event(ID.replace("0b9f", "0b9e")), KEY)).not.toBe(key);
    // Later events sort after earlier ones: a night's events go to the end of the table.
    const later = eventKey(event(ID, "2024-05-14T06:05:46.364Z"), KEY);
    const years = eventKey(event(ID, "2031-01-01T00:00:00Z"), KEY);
    expect([years, later, key].sort()).toEqual([key, later, years]);
  });

  it("records a request's accepted events and all its rows in one commit", () => {
    const path = statePath();
    const store = openLocked(path);
    store.claimFor("import-events", false);
    const run = store.beginRun(request());
    for (const line of [2, 3, 4, 5, 6]) run.noteRead(line);
    const keys = [eventKey(event("a"), KEY), eventKey(event("b"), KEY)];
    run.completeAll([4, 5, 6], { kind: "accepted", eventKeys: keys }); // rows 4-6 made 2 events
    run.completeAll([2], { kind: "dead-lettered" });
    expect(store.knownEvent(keys[0] as string)).toBe(true);
    expect(store.knownEvent(eventKey(event("c"), KEY))).toBe(false);
    // What a kill -9 now leaves: every row above, nothing of row 3 (still in flight).
    const db = new Database(path, { readonly: true });
    // Done: every line to 6 but 3 (schema 9: the last line read and the open ones).
    expect(
      db.prepare("SELECT watermark, read_to, open_lines, accepted, dead_lettered FROM runs").get(),
    ).toEqual({ watermark: 2, read_to: 6, open_lines: "[3]", accepted: 3, dead_lettered: 1 });
    expect(db.prepare("SELECT count(*) FROM events").pluck().get()).toBe(2);
    db.close();
    store.close();

    const again = openLocked(path);
    const resumed = again.beginRun(request({ mode: "resume" }));
    expect([2, 3, 4, 5, 6].map((line) => resumed.isDone(line))).toEqual([
      true,
      false,
      true,
      true,
      true,
    ]);
    expect(resumed.carried).toEqual({
      rows: 5,
      accepted: 3,
      deadLettered: 1,
      unchanged: 0,
      filtered: 0,
    });
    expect(again.eventCount()).toBe(2);
    expect(formatStatus(again)).toContain("events known: 2 (of import-events)");
    again.close();
  });

  it("forgets the events accepted before a time (--keep-events), whatever their own time", async () => {
    const path = statePath();
    const day = 86_400_000;
    const t0 = Date.parse("2026-03-01T02:00:00Z");
    let now = t0;
    const store = openLocked(path, { now: () => now });
    store.claimFor("import-events", false);
    const accept = (ids: string[], times: string[]) => {
      const run = store.beginRun(request());
      const keys = ids.map((id, i) => eventKey(event(id, times[i]), KEY));
      const lines = ids.map((_, i) => i + 2);
      for (const line of lines) run.noteRead(line);
      run.completeAll(lines, { kind: "accepted", eventKeys: keys });
      store.finishRun(run.runId, { report: {}, exitCode: 0 });
      return keys;
    };
    // A night's events, then 60 days later a backfill of events years old, and one untimed.
    const night = accept(["a", "b"], ["2026-02-28T23:00:00Z", "2026-03-01T01:00:00Z"]);
    now = t0 + 60 * day;
    const backfill = accept(["c", "d"], ["2019-01-01T00:00:00Z", "not a time"]);
    expect(await forget(store, now - 30 * day)).toBe(2);
    expect([...night, ...backfill].map((k) => store.knownEvent(k))).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(await forget(store, now - 30 * day)).toBe(0);
    // Accepted again (--full), an event counts from then.
    now = t0 + 100 * day;
    const [again] = accept(["c"], ["2019-01-01T00:00:00Z"]);
    expect(await forget(store, now - 30 * day)).toBe(1); // d
    expect(store.knownEvent(again as string)).toBe(true);
    store.close();
  });

  it("forgets many events in steps of their keys, exactly those accepted before, kept ones on both sides of every step's end", async () => {
    const path = statePath();
    const store = openLocked(path);
    store.claimFor("import-events", false);
    store.close();
    // 25,001 events (three steps of 10,000 keys), every third accepted recently, in key order.
    const db = new Database(path);
    const insert = db.prepare("INSERT INTO events (key, accepted) VALUES (?, ?)");
    db.transaction(() => {
      for (let i = 0; i <= 25_000; i++)
        insert.run(`${String(i).padStart(9, "0")}k`, i % 3 === 0 ? 500 : 100);
    })();
    db.close();
    const again = openLocked(path);
    expect(await forget(again, 200)).toBe(16_667);
    again.close();
    const left = new Database(path, { readonly: true });
    const keys = left.prepare("SELECT key FROM events ORDER BY key").pluck().all() as string[];
    left.close();
    expect(keys).toHaveLength(8_334);
    expect(keys.every((key) => Number(key.slice(0, 9)) % 3 === 0)).toBe(true);
    expect(keys.at(-1)).toBe("000024999k");
  });

  it("lets the event loop in between steps, and stops before the next once stopped (a signal)", async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 0); // runs only when the loop lets the event loop in
    let steps = 0;
    const busyStep = (after: string) => {
      const until = performance.now() + 20; // a step of 20 ms of work
      while (performance.now() < until) {}
      steps++;
      return { forgotten: 2, last: `${after}x` }; // never at the end: only the stop ends it
    };
    const stopped = await forgetInSteps(busyStep, stop.signal);
    expect(stopped).toEqual({ forgotten: 2 * steps, finished: false });
    // The breather lets the event loop in after each 50 ms of steps (3 of 20 ms); the first turn
    // may come before the loop's timers' phase, the second passes it: at most 6 steps.
    expect(steps).toBeLessThanOrEqual(6);
    // Already stopped: no step at all.
    let more = 0;
    const counted = (after: string) => {
      more++;
      return { forgotten: 1, last: after === "" ? "a" : undefined };
    };
    expect(await forgetInSteps(counted, stop.signal)).toEqual({ forgotten: 0, finished: false });
    expect(more).toBe(0);
    expect(await forgetInSteps(counted, undefined)).toEqual({ forgotten: 2, finished: true });
    expect(more).toBe(2);
  });

  it("drops the remembered events when --full binds the file to another state key", () => {
    const path = statePath();
    const store = openLocked(path);
    store.bindKey(KEY, { rekey: false, readOnly: false });
    store.claimFor("import-events", false);
    const run = store.beginRun(request());
    run.noteRead(2);
    run.completeAll([2], { kind: "accepted", eventKeys: [eventKey(event(ID), KEY)] });
    store.finishRun(run.runId, { report: {}, exitCode: 0 });
    expect(store.eventCount()).toBe(1);
    const other = Buffer.alloc(32, 9);
    expect(() => store.bindKey(other, { rekey: false, readOnly: false })).toThrow(
      /another state key/,
    );
    expect(store.bindKey(other, { rekey: true, readOnly: false })).toBe("cleared");
    expect(store.eventCount()).toBe(0);
    store.close();
  });
});

describe("one state file per command", () => {
  it("refuses import-events a file import-profiles wrote, and the other way round", () => {
    const profiles = statePath();
    const store = openLocked(profiles);
    const run = store.beginRun(request()); // a file of an earlier version: runs, no owner recorded
    run.noteRead(2);
    run.complete(2, accepted("k", "h"));
    expect(store.owner()).toBe("import-profiles");
    expect(() => store.claimFor("import-events", false)).toThrow(
      `state file ${profiles} belongs to import-profiles (it remembers the user profiles DFINERY accepted): give import-events a --state file of its own`,
    );
    store.close();

    const events = statePath();
    const fresh = StateStore.open(events);
    expect(fresh.owner()).toBeNull();
    fresh.claimFor("import-events", true); // a dry run claims nothing
    expect(fresh.owner()).toBeNull();
    fresh.claimFor("import-events", false);
    expect(fresh.owner()).toBe("import-events");
    fresh.claimFor("import-events", false);
    expect(() => fresh.claimFor("import-profiles", true)).toThrow(
      `state file ${events} belongs to import-events (it remembers the events DFINERY accepted): give import-profiles a --state file of its own`,
    );
    expect(formatStatus(fresh)).toContain("events known: 0 (of import-events)");
    fresh.close();
  });

  it("migrates a version 6 file: its events count as accepted when it is opened, none forgotten sooner", async () => {
    const path = statePath();
    const store = openLocked(path);
    store.claimFor("import-events", false);
    const run = store.beginRun(request());
    run.noteRead(2);
    const key = eventKey(event(ID, "2019-01-01T00:00:00Z"), KEY);
    run.completeAll([2], { kind: "accepted", eventKeys: [key] });
    store.finishRun(run.runId, { report: {}, exitCode: 0 });
    store.close();
    const db = new Database(path);
    db.exec(
      "CREATE TABLE old (key TEXT PRIMARY KEY) WITHOUT ROWID; INSERT INTO old SELECT key FROM events;",
    );
    db.exec(`DROP TABLE events; ALTER TABLE old RENAME TO events; ${BEFORE_ROW_KEYS}`);
    db.pragma("user_version = 6");
    db.close();
    const opened = Date.now();
    const migrated = StateStore.open(path);
    expect(await forget(migrated, opened - 1000)).toBe(0);
    expect(migrated.knownEvent(key)).toBe(true);
    expect(await forget(migrated, opened + 60_000)).toBe(1);
    migrated.close();
  });

  it("migrates a version 3 file: keeps its hashes and runs, adds the events table", () => {
    const path = statePath();
    const store = openLocked(path);
    const run = store.beginRun(request());
    run.noteRead(2);
    run.complete(2, accepted("k", "h"));
    store.close();
    const db = new Database(path);
    db.exec(BEFORE_ROW_KEYS);
    db.exec("DROP TABLE events; DROP TABLE files; ALTER TABLE runs DROP COLUMN filtered"); // version 3
    db.pragma("user_version = 3");
    db.close();
    const migrated = StateStore.open(path);
    expect(migrated.lastHash("k")).toBe("h");
    expect(migrated.eventCount()).toBe(0);
    expect(migrated.history()).toHaveLength(1);
    migrated.close();
  });
});
