/**
 * --group-by-identity with --state, killed outright (kill -9) while sending and resumed: nothing
 * lost, and nothing sent again but what was in flight at the kill; the rows are read back sorted
 * again and those the killed pass finished are skipped, row by row.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG, KEYWORD_MAPPING, ordersNdjson } from "./event-fixtures.js";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runCli,
  runFlags,
  spawnCli,
  TOKEN,
  tempDir,
  waitFor,
  write,
} from "./helpers.js";
import { history } from "./state-runs.js";

const emulator = emulatorPerTest();
const ENV = { DFINERY_ACCESS_TOKEN: TOKEN };
const CONCURRENCY = 8;

/** The argv of a grouped run with --state in `dir`, at a pace that leaves time to kill it. */
function args(dir: string, input: string, map: string, url: string, extra: string[] = []) {
  return [
    ...[input, "--map", map, "--group-by-identity"],
    ...runFlags(dir, url, { rate: "50/s", state: true }),
    ...["--concurrency", String(CONCURRENCY), ...extra],
  ];
}

describe("--group-by-identity --state, killed and resumed", () => {
  it("import-events: every event accepted once, but those in flight at the kill", async () => {
    const e = await emulator({ catalog: CATALOG, remember: true, latencyMs: 5, jitterMs: 10 });
    const dir = tempDir();
    // 6,000 events of 600 users, time-ordered: 10 a user, one request each once grouped.
    const rows = 6_000;
    const users = 600;
    const bad = new Set([10, 3_000, 5_998]); // orders (every 7th event is a sign-up)
    const input = write(dir, "events.ndjson", ordersNdjson(rows, users, bad));
    const map = write(dir, "events.yaml", KEYWORD_MAPPING);
    const child = spawnCli(args(dir, input, map, e.url), ENV, dir, { program: "import-events" });
    await waitFor(() => e.store.eventCount() >= 2_000, "2,000 events accepted");
    child.kill("SIGKILL");
    expect((await child.exited).signal).toBe("SIGKILL");
    const atKill = e.store.eventCount();
    expect(atKill).toBeLessThan(rows - bad.size);
    const recorded = history(dir)[0]?.accepted ?? 0;
    // In flight at the kill: requests the emulator took, of a user's 10 events at most each.
    expect(atKill - recorded).toBeGreaterThanOrEqual(0);
    expect(atKill - recorded).toBeLessThanOrEqual(CONCURRENCY * 10);

    const resumed = await runCli(
      args(dir, input, map, e.url, ["--resume"]),
      ENV,
      undefined,
      "import-events",
    );
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(1); // the three refused events
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows,
      accepted: rows - bad.size,
      deadLettered: bad.size,
      notAttempted: 0,
    });
    expect(e.store.eventCount() - atKill).toBe(rows - bad.size - recorded); // exact: the rest
    const ids = new Set(e.store.events().map((s) => s.event.event_log_id));
    expect(ids.size).toBe(rows - bad.size);
    expect(e.store.duplicateEvents()).toBe(atKill - recorded);
    // After the resume, still a user's events together: a request per user (and the halves of
    // the three refused ones), not one per event.
    expect(e.store.stats().requests).toBeLessThan(users * 2);
    const dead = readNdjson(join(dir, "dl.ndjson")).map((r) => r.line);
    expect(dead.sort((a, b) => a - b)).toEqual([11, 3_001, 5_999]);
  }, 120_000);

  it("import-profiles: each identity's last snapshot held, nothing lost, only what was in flight sent again", async () => {
    const e = await emulator({ catalog: { points: "Long" }, latencyMs: 5, jitterMs: 10 });
    const dir = tempDir();
    // 3,000 snapshots of 300 users, interleaved: user i % 300 has 10 points values, the last wins.
    const rows = 3_000;
    const users = 300;
    const lines = ["id,points"];
    for (let i = 0; i < rows; i++) lines.push(`u${i % users},${i === 1_234 ? "lots" : i}`);
    const input = write(dir, "snapshots.csv", `${lines.join("\n")}\n`);
    const map = write(
      dir,
      "m.yaml",
      "identity: { external_id: id }\nproperties:\n  points: { column: points, type: Long }\n",
    );
    const child = spawnCli(args(dir, input, map, e.url), ENV, dir);
    await waitFor(() => e.store.count() >= 100, "100 identities updated");
    child.kill("SIGKILL");
    await child.exited;
    const atKill = e.store.count();
    expect(atKill).toBeLessThan(users);

    const resumed = await runCli(args(dir, input, map, e.url, ["--resume"]), ENV);
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(1); // the row with "lots"
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows,
      accepted: rows - 1,
      deadLettered: 1,
      notAttempted: 0,
    });
    for (let u = 0; u < users; u++) {
      expect(e.store.last("external_id", `u${u}`), `u${u}`).toEqual({ points: rows - users + u });
    }
    // One update an identity, but those in flight at the kill, sent again.
    expect(e.store.count() - users).toBeLessThanOrEqual(CONCURRENCY);
    expect(readNdjson(join(dir, "dl.ndjson")).map((r) => r.line)).toEqual([1_236]);
  }, 120_000);
});
