import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { accepted, mortal, openLocked, request, statePath, unchanged } from "./helpers.js";

/** A run's file, begun, and what its last commit wrote (read by a connection of its own). */
function begun(now: () => number) {
  const path = statePath();
  const store = openLocked(path, { now });
  const run = store.beginRun(request());
  const reader = new Database(path, { readonly: true });
  const committed = () =>
    reader
      .prepare(
        "SELECT watermark, row_count, unchanged, accepted, read_to, open_lines FROM runs WHERE id = ?",
      )
      .get(run.runId);
  const close = () => {
    reader.close();
    store.close();
  };
  return { run, committed, close };
}

type Step =
  | { readonly rows: number } // a run of rows known as read, ended unchanged
  | { readonly flying: true } // a row read, in flight (its request not answered)
  | { readonly answered: true } // the row in flight, accepted
  | { readonly ms: number }; // time goes by between rows

describe("RunHandle.readUnchanged", () => {
  it("leaves the file as each row read and ended unchanged would, commit for commit", () => {
    let clock = Date.parse("2026-03-01T02:00:00Z");
    const now = () => clock;
    const one = begun(now); // each row: noteRead, then complete
    const all = begun(now); // a run at once
    const steps: Step[] = [
      { rows: 1 },
      { flying: true },
      { rows: 15 },
      { rows: 3_000 },
      { answered: true }, // a commit: the unchanged rows before it with it
      { rows: 4_999 }, // the 5,000th row unchanged since that commit is in it: a commit there
      { rows: 7_000 },
      { ms: 1_200 },
      { rows: 16 }, // the last commit is old: a commit after the first of them
      { flying: true },
      { ms: 999 },
      { rows: 12_000 },
      { ms: 1 },
      { rows: 1 },
      { answered: true },
    ];
    let line = 1;
    let flying = 0;
    const lines: number[] = [];
    for (const step of steps) {
      if ("ms" in step) {
        clock += step.ms;
        continue;
      }
      if ("flying" in step) {
        line += 2;
        flying = line;
        for (const { run } of [one, all]) run.noteRead(flying);
        continue;
      }
      if ("answered" in step) {
        const done = accepted(`k${flying}`, "h");
        for (const { run } of [one, all]) run.complete(flying, done);
        continue;
      }
      // Increasing lines, not contiguous (multi-line records, blank lines).
      lines.length = 0;
      for (let i = 0; i < step.rows; i++) {
        line += 1 + (i % 3);
        lines.push(line);
      }
      for (const at of lines) {
        one.run.noteRead(at);
        one.run.complete(at, unchanged);
      }
      all.run.readUnchanged((i) => lines[i] as number, 0, lines.length);
      expect(all.committed(), `after ${lines.length} rows`).toEqual(one.committed());
      expect(all.run.snapshot()).toEqual(one.run.snapshot());
    }
    expect(all.committed()).toEqual(one.committed());
    expect(all.committed()).toMatchObject({ accepted: 2, unchanged: 27_032 });
    one.close();
    all.close();
  });

  it("refuses rows out of read order, or that an interrupted pass may have done", () => {
    const { run, close } = begun(Date.now);
    const at = (lines: number[]) => (i: number) => lines[i] as number;
    run.noteRead(5);
    expect(() => run.readUnchanged(at([5, 6]), 0, 2)).toThrow(/must follow line 5/);
    expect(() => run.readUnchanged(at([7, 9, 8]), 0, 3)).toThrow(/rows must increase: 8 after 9/);
    close();
    // An interrupted pass read to line 6, line 4 in flight: a resumed pass reads rows at once
    // only after it.
    const path = statePath();
    const crash = mortal();
    const crashed = openLocked(path, crash);
    const first = crashed.beginRun(request());
    for (const line of [2, 3, 4, 5, 6]) first.noteRead(line);
    for (const line of [2, 3, 5]) first.complete(line, unchanged);
    first.complete(6, accepted("k6", "h6"));
    crash.die();
    crashed.close();
    const store = openLocked(path);
    const resumed = store.beginRun(request({ mode: "resume" }));
    expect(resumed.doneThrough).toBe(6);
    expect(() => resumed.readUnchanged(at([4, 7]), 0, 2)).toThrow(/any done before: 4/);
    resumed.noteRead(4);
    resumed.complete(4, unchanged);
    resumed.readUnchanged(at([7, 8]), 0, 2);
    expect(resumed.snapshot()).toMatchObject({
      watermark: 8,
      readTo: 8,
      unchanged: 6,
      accepted: 1,
    });
    store.close();
  });
});
