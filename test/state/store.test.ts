import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { identityHash, propertiesHash } from "../../src/state/hash.js";
import { SCHEMA_VERSION } from "../../src/state/schema.js";
import { KEEP_RUNS, StateStore } from "../../src/state/store.js";
import {
  accepted,
  BEFORE_DONE_RANGES,
  deadLettered,
  mortal,
  openLocked,
  request,
  statePath,
  unchanged,
} from "./helpers.js";

const doneLineRows = (path: string): number => {
  const db = new Database(path, { readonly: true });
  const count = db.prepare("SELECT count(*) FROM done_lines").pluck().get() as number;
  db.close();
  return count;
};

const KEY = Buffer.alloc(32, 7);

describe("StateStore files", () => {
  it("creates the file, and its -wal, with mode 0600", () => {
    const path = statePath();
    const store = openLocked(path);
    store.beginRun(request()).noteRead(2);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    store.close();
  });

  it("names the file when it cannot be created", () => {
    const path = `${statePath()}.d/missing/state.db`;
    expect(() => StateStore.open(path)).toThrow(
      expect.objectContaining({
        code: "E_USAGE",
        message: `state file ${path} cannot be created or opened (ENOENT)`,
      }),
    );
  });

  it("never changes the mode of a file it did not create", () => {
    const path = statePath();
    writeFileSync(path, "", { mode: 0o640 });
    StateStore.open(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o640);
    const foreign = statePath();
    writeFileSync(foreign, "some text of the user's\n", { mode: 0o644 });
    expect(() => StateStore.open(foreign)).toThrow(/is not a state file/);
    expect(statSync(foreign).mode & 0o777).toBe(0o644);
  });

  it("holds no raw identity value, in the database or its WAL", () => {
    const path = statePath();
    const store = openLocked(path);
    const run = store.beginRun(request());
    const email = "distinctive.kim.9931@example.com";
    const phone = "+821099318877";
    run.noteRead(2);
    run.complete(
      2,
      accepted(identityHash({ email, phone_no: phone }, KEY), propertiesHash({ name: "Kim" }, KEY)),
    );
    expect(existsSync(`${path}-wal`)).toBe(true);
    for (const file of [path, `${path}-wal`]) {
      const bytes = readFileSync(file).toString("latin1");
      expect(bytes).not.toContain(email);
      expect(bytes).not.toContain("distinctive");
      expect(bytes).not.toContain(phone);
      expect(bytes).not.toContain("1099318877");
    }
    store.close();
  });

  it("refuses a file that is not an SQLite database, naming it", () => {
    const path = statePath();
    writeFileSync(path, "email,points\nkim@example.com,1\n");
    expect(() => StateStore.open(path)).toThrow(
      expect.objectContaining({
        code: "E_USAGE",
        message: `state file ${path} is not a state file (not an SQLite database)`,
      }),
    );
  });

  it("refuses an SQLite database of another application", () => {
    const path = statePath();
    const db = new Database(path);
    db.exec("CREATE TABLE users (email TEXT)");
    db.close();
    expect(() => StateStore.open(path)).toThrow(/not an import-profiles state file/);
  });

  it("refuses a state file written with a newer schema", () => {
    const path = statePath();
    StateStore.open(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => StateStore.open(path)).toThrow(
      expect.objectContaining({ code: "E_USAGE", message: expect.stringMatching(/newer/) }),
    );
  });

  it("reopens its own file without migrating again", () => {
    const path = statePath();
    StateStore.open(path).close();
    const store = StateStore.open(path);
    expect(store.identityCount()).toBe(0);
    store.close();
  });
});

describe("StateStore hashes", () => {
  it("changes lastHash only for accepted rows", () => {
    const store = openLocked(statePath());
    const run = store.beginRun(request());
    const key = identityHash({ external_id: "42" }, KEY);
    expect(store.lastHash(key)).toBeUndefined();
    for (const line of [2, 3, 4, 5]) run.noteRead(line);
    run.complete(2, accepted(key, "h1"));
    expect(store.lastHash(key)).toBe("h1");
    run.complete(3, deadLettered);
    run.complete(4, unchanged);
    expect(store.lastHash(key)).toBe("h1");
    run.complete(5, accepted(key, "h2"));
    expect(store.lastHash(key)).toBe("h2");
    expect(store.identityCount()).toBe(1);
    store.close();
  });

  it("has an accepted row on disk when complete() returns, however many lookups came before", () => {
    const path = statePath();
    const store = openLocked(path);
    const run = store.beginRun(request());
    const other = new Database(path, { readonly: true }); // another process's view of the file
    const held = other.prepare("SELECT hash FROM identities WHERE key = ?").pluck();
    const done = other.prepare("SELECT unchanged, accepted FROM runs WHERE id = ?");
    for (const line of [2, 3, 4]) run.noteRead(line);
    for (const name of ["a", "b", "c"]) expect(store.lastHash(name)).toBeUndefined();
    run.complete(2, unchanged);
    expect(store.lastHash("a")).toBeUndefined(); // the lookups' read span is open again
    run.complete(3, accepted("a", "h1"));
    expect(held.get("a")).toBe("h1");
    expect(done.get(run.runId)).toEqual({ unchanged: 1, accepted: 1 });
    expect(store.lastHash("a")).toBe("h1"); // a span opened after the write sees it
    expect(store.lastHash("b")).toBeUndefined();
    run.complete(4, accepted("b", "h2"));
    expect(held.get("b")).toBe("h2");
    other.close();
    store.close();
  });
});

describe("StateStore progress", () => {
  it("knows exactly which rows completed out of order after a crash", () => {
    const path = statePath();
    const crash = mortal();
    const crashed = openLocked(path, crash);
    const run = crashed.beginRun(request());
    for (const line of [2, 3, 5, 6, 9]) run.noteRead(line);
    run.complete(5, accepted("k5", "h5"));
    run.complete(9, deadLettered);
    run.complete(2, accepted("k2", "h2"));
    // Crash: the store is dropped without finishRun, suspendRun or close.
    crash.die();

    const store = StateStore.open(path);
    expect(store.acquireLock()).toMatchObject({ pid: process.pid }); // our own stale lock
    const resumed = store.beginRun(request({ mode: "resume" }));
    expect(resumed.resumed).toBe(true);
    expect(resumed.runId).toBe(run.runId);
    expect(resumed.carried).toEqual({
      rows: 5,
      accepted: 2,
      deadLettered: 1,
      unchanged: 0,
      filtered: 0,
    });
    expect([2, 3, 5, 6, 9].filter((l) => resumed.isDone(l))).toEqual([2, 5, 9]);
    expect(store.lastHash("k5")).toBe("h5");
    store.close();
  });

  it("resumes to the end and counts each row once", () => {
    const path = statePath();
    const first = openLocked(path);
    const run = first.beginRun(request());
    for (const line of [2, 3, 4]) run.noteRead(line);
    run.complete(3, accepted("k3", "h3"));
    first.suspendRun(run.runId, { report: { stoppedBy: "interrupt" }, exitCode: 130 });
    expect(first.history(1)[0]).toMatchObject({ status: "stopped", finishedAt: null });
    first.close();

    const store = openLocked(path);
    const again = store.beginRun(request({ mode: "resume" }));
    for (const line of [2, 3, 4, 5]) {
      if (again.noteRead(line)) continue;
      again.complete(line, line === 5 ? deadLettered : unchanged);
    }
    const summary = store.finishRun(again.runId, { report: {}, exitCode: 0 });
    expect(summary).toMatchObject({
      status: "finished",
      rows: 4,
      accepted: 1,
      unchanged: 2,
      deadLettered: 1,
      notAttempted: 0,
      resumes: 1,
      exitCode: 0,
    });
    expect(() => store.beginRun(request({ mode: "resume" }))).toThrow(/nothing to resume/);
    store.close();
  });

  it("resumes a run a schema-8 version left: its done lines one by one, then its own", () => {
    const path = statePath();
    const crash = mortal();
    const crashed = openLocked(path, crash);
    const run = crashed.beginRun(request());
    for (const line of [2, 3, 4, 5, 6, 7]) run.noteRead(line);
    crash.die();
    crashed.close();
    // What schema 8 wrote for 2 and 4-5 done, 3, 6 and 7 in flight: a done_lines row each.
    const db = new Database(path);
    db.exec(BEFORE_DONE_RANGES);
    db.exec("UPDATE runs SET watermark = 2, row_count = 6, unchanged = 3");
    db.exec(
      "INSERT INTO done_lines (run_id, line) SELECT runs.id, value FROM runs, json_each('[4, 5]')",
    );
    db.pragma("user_version = 8");
    db.close();

    const migrating = mortal();
    const store = openLocked(path, migrating);
    const resumed = store.beginRun(request({ mode: "resume" }));
    expect([2, 3, 4, 5, 6, 7].filter((l) => resumed.isDone(l))).toEqual([2, 4, 5]);
    for (const line of [2, 3, 4, 5, 6, 7]) resumed.noteRead(line);
    resumed.complete(7, unchanged);
    resumed.complete(3, accepted("k3", "h3")); // its commit: watermark 5, read to 7, 6 open
    migrating.die();
    store.close();

    const last = openLocked(path);
    const again = last.beginRun(request({ mode: "resume" }));
    // 4 and 5 from the done lines of schema 8, 3 and 7 from the pass of schema 9; 6 never done.
    expect([2, 3, 4, 5, 6, 7].filter((l) => again.isDone(l))).toEqual([2, 3, 4, 5, 7]);
    expect(again.carried).toMatchObject({ rows: 6, unchanged: 4, accepted: 1 });
    last.close();
  });

  it("writes unchanged rows with the next accepted commit", () => {
    const path = statePath();
    const crash = mortal();
    const crashed = openLocked(path, crash);
    const run = crashed.beginRun(request());
    for (const line of [2, 3, 4, 5]) run.noteRead(line);
    run.complete(2, unchanged); // in memory only
    run.complete(4, unchanged);
    const beforeCommit = StateStore.open(path);
    expect(beforeCommit.history(1)[0]?.unchanged).toBe(0);
    beforeCommit.close();
    run.complete(5, accepted("k5", "h5")); // carries 2 and 4
    crash.die();

    const store = openLocked(path);
    const resumed = store.beginRun(request({ mode: "resume" }));
    expect([2, 3, 4, 5].filter((l) => resumed.isDone(l))).toEqual([2, 4, 5]);
    expect(resumed.carried).toMatchObject({ unchanged: 2, accepted: 1 });
    store.close();
  });

  it("keeps the done-lines table small by advancing the watermark", () => {
    const path = statePath();
    const store = openLocked(path);
    const run = store.beginRun(request());
    // 10,000 rows, 8 in flight, completing out of order within the window.
    const lines = Array.from({ length: 10_000 }, (_, i) => 2 + i * 2);
    for (let i = 0; i < lines.length; i++) {
      run.noteRead(lines[i] ?? 0);
      if (i % 8 === 7) {
        for (const j of [i, i - 2, i - 1, i - 4, i - 3, i - 7, i - 5, i - 6]) {
          run.complete(lines[j] ?? 0, accepted(`k${j}`, "h"));
        }
      }
    }
    expect(doneLineRows(path)).toBeLessThan(100);
    store.suspendRun(run.runId, { report: {}, exitCode: 1 });
    expect(doneLineRows(path)).toBe(0);
    store.close();
  });
});

describe("StateStore runs", () => {
  it("refuses to resume a changed input or mapping, with the way out", () => {
    const path = statePath();
    const first = openLocked(path, { now: () => Date.parse("2026-03-01T02:00:00Z") });
    first.beginRun(request());
    first.close();
    const store = openLocked(path);
    expect(() => store.beginRun(request({ mode: "resume", inputFingerprint: "200:b" }))).toThrow(
      expect.objectContaining({
        code: "E_USAGE",
        message:
          "cannot resume: the input changed since the interrupted run #1 (was users.csv, " +
          "started at 2026-03-01T02:00:00.000Z); pass --full to start over",
      }),
    );
    expect(() => store.beginRun(request({ mode: "resume", mappingFingerprint: "m2" }))).toThrow(
      /^cannot resume: the mapping changed since the interrupted run #1 .*pass --full to start over$/,
    );
    expect(() => store.beginRun(request({ mode: "resume", inputFingerprint: null }))).toThrow(
      /^cannot resume from standard input/,
    );
    expect(store.beginRun(request({ mode: "resume" })).resumed).toBe(true);
    store.close();
  });

  it("says there is nothing to resume in a new file or after a finished run", () => {
    const path = statePath();
    const store = openLocked(path);
    expect(() => store.beginRun(request({ mode: "resume" }))).toThrow(
      expect.objectContaining({
        code: "E_USAGE",
        message: `nothing to resume: no run is recorded in ${path}; run without --resume`,
      }),
    );
    const run = store.beginRun(request());
    store.finishRun(run.runId, { report: {}, exitCode: 0 });
    expect(() => store.beginRun(request({ mode: "resume" }))).toThrow(
      /^nothing to resume: the last run \(#1 over users.csv\) ended as finished at /,
    );
    store.close();
  });

  it("abandons an unfinished run when a new run starts", () => {
    const path = statePath();
    const first = openLocked(path);
    const old = first.beginRun(request());
    old.noteRead(2);
    first.close();
    const store = openLocked(path);
    const run = store.beginRun(request({ inputFingerprint: "other" }));
    expect(run.resumed).toBe(false);
    expect(run.abandonedRunIds).toEqual([old.runId]);
    expect(run.isDone(2)).toBe(false);
    expect(store.history().map((r) => [r.id, r.status, r.finishedAt === null])).toEqual([
      [run.runId, "running", true],
      [old.runId, "abandoned", false],
    ]);
    store.close();
  });

  it("lists runs newest first and keeps only the last hundred", () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const store = openLocked(statePath(), { now: () => now++ });
    for (let i = 0; i < KEEP_RUNS + 5; i++) {
      const run = store.beginRun(request({ input: `day-${i}.csv` }));
      store.finishRun(run.runId, { report: {}, exitCode: 0 });
    }
    expect(store.history(3).map((r) => r.input)).toEqual([
      "day-104.csv",
      "day-103.csv",
      "day-102.csv",
    ]);
    const all = store.history(1000);
    expect(all).toHaveLength(KEEP_RUNS);
    expect(all.at(-1)?.input).toBe("day-5.csv");
    store.close();
  });

  it("needs the lock to begin a run, and an open run to finish one", () => {
    const store = StateStore.open(statePath());
    expect(() => store.beginRun(request())).toThrow(/needs the lock/);
    store.acquireLock();
    const run = store.beginRun(request());
    run.noteRead(2);
    expect(() => store.finishRun(run.runId, { report: {}, exitCode: 0 })).toThrow(/in flight/);
    run.complete(2, unchanged);
    store.finishRun(run.runId, { report: {}, exitCode: 0 });
    expect(() => run.noteRead(3)).toThrow(/has ended/);
    expect(() => store.suspendRun(run.runId, { report: {}, exitCode: 0 })).toThrow(/not the open/);
    store.close();
  });
});
