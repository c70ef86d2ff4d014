import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/state/runs.js";
import { formatStatus } from "../../src/state/status.js";
import { StateStore } from "../../src/state/store.js";
import { accepted, request, statePath, unchanged } from "./helpers.js";

const run = (over: Partial<RunSummary>): RunSummary => ({
  id: 1,
  input: "users.csv",
  startedAt: "2026-03-01T02:00:00.000Z",
  finishedAt: "2026-03-01T03:10:00.000Z",
  status: "finished",
  resumes: 0,
  rows: 1_000_000,
  accepted: 12_345,
  deadLettered: 3,
  unchanged: 987_652,
  filtered: 0,
  notAttempted: 0,
  exitCode: 0,
  ...over,
});

describe("formatStatus", () => {
  it("shows the lock holder, the identities known and the last runs as a table", () => {
    const text = formatStatus({
      path: "state.db",
      lockInfo: () => ({ pid: 1234, hostname: "cron1", startedAt: "2026-03-02T02:00:00.000Z" }),
      lockHeld: () => true,
      identityCount: () => 1_000_000,
      eventCount: () => 0,
      owner: () => "import-profiles",
      history: () => [
        run({ id: 2, status: "running", finishedAt: null, exitCode: null, rows: 10 }),
        run({}),
      ],
    });
    expect(text).toBe(
      [
        "state file: state.db",
        "lock: held by pid 1234 on host cron1 since 2026-03-02T02:00:00.000Z",
        "identities known: 1,000,000",
        "last 2 runs:",
        "  run  started (UTC)        finished (UTC)       status         rows  accepted  unchanged  filtered  dead-lettered  not attempted  exit  input",
        "  #2   2026-03-01 02:00:00  -                    running          10    12,345    987,652         0              3              0     -  users.csv",
        "  #1   2026-03-01 02:00:00  2026-03-01 03:10:00  finished  1,000,000    12,345    987,652         0              3              0     0  users.csv\n",
      ].join("\n"),
    );
  });

  it("calls a running run without a lock interrupted and resumable", () => {
    const path = statePath();
    const store = StateStore.open(path);
    store.acquireLock();
    const r = store.beginRun(request());
    r.noteRead(2);
    r.noteRead(3);
    r.complete(2, accepted("k", "h"));
    r.complete(3, unchanged);
    store.close(); // leaves the run unfinished and releases the lock
    const reader = StateStore.open(path);
    const text = formatStatus(reader);
    expect(text).toContain("lock: free (no import is running)");
    expect(text).toContain("identities known: 1");
    expect(text).toMatch(/#1 .* interrupted, resumable +2 +1 +1 +0 +0 +0 +- +users\.csv/);
    reader.close();
  });

  it("says when there are no runs yet", () => {
    const store = StateStore.open(statePath());
    expect(formatStatus(store)).toContain("runs: none yet");
    store.close();
  });
});
