/**
 * Issue 21, item 15: with --state, a kill -9 sends again at most 2,000 events, however high
 * --concurrency: units sent and not yet saved in the state file are bounded. Counted exactly from
 * what the emulators took: the killed run's emulator answers only after 10 s (without the bound,
 * everything it took before the kill would be in flight); the resumed run's answers at once.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG, flags, ORDERS_MAPPING, ordersNdjson } from "./event-fixtures.js";
import { emulatorPerTest, readJson, runCli, spawnCli, tempDir, waitFor, write } from "./helpers.js";
import { ENV } from "./kinds.js";
import { history } from "./state-runs.js";

const emulator = emulatorPerTest();

/** The ids of the events an emulator took, in arrival order. */
const ids = (e: Awaited<ReturnType<typeof emulator>>) =>
  e.store.events().map((s) => String(s.event.event_log_id));

describe("import-events --state --concurrency 1000, killed with SIGKILL", () => {
  it("sends again at most 2,000 events on --resume, and loses none", async () => {
    const slow = await emulator({ catalog: CATALOG, latencyMs: 10_000 });
    const dir = tempDir();
    const events = 10_000;
    // 100 users' 100 events each, a user's together: one request of 100 events a user.
    const lines = ordersNdjson(events, 100).trim().split("\n");
    const byUser = lines.map((line, i) => ({ line, user: i % 100 }));
    byUser.sort((a, b) => a.user - b.user); // stable: a user's events stay in time order
    const input = write(dir, "orders.ndjson", `${byUser.map((u) => u.line).join("\n")}\n`);
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const argv = (url: string, extra: string[] = []) => [
      input,
      "--map",
      map,
      ...flags(dir, url, ["--state", join(dir, "state.db"), "--concurrency", "1000"]),
      // No slow start (the breaker off): every batch may go at once; one of 100 events a user.
      ...["--rate", "100000/s", "--max-error-rate", "1", "--batch-wait", "1h", ...extra],
    ];
    const child = spawnCli(argv(slow.url), ENV, dir, { program: "import-events" });
    // Nothing is answered for 10 s: all that the emulator takes until then is in flight.
    await waitFor(() => slow.store.events().length >= 2_000, "2,000 events taken");
    child.kill("SIGKILL");
    expect((await child.exited).signal).toBe("SIGKILL");
    const first = ids(slow);
    const [killed] = history(dir);
    const saved = killed?.accepted ?? 0;

    const fast = await emulator({ catalog: CATALOG });
    const resumed = await runCli(argv(fast.url, ["--resume"]), ENV, undefined, "import-events");
    expect(resumed.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: events,
      accepted: events,
      notAttempted: 0,
    });
    const second = ids(fast);
    const taken = new Set(first);
    const again = second.filter((id) => taken.has(id));
    // Exactly those the killed run sent and had not saved are sent again; at most 2,000.
    expect(again.length).toBe(first.length - saved);
    expect(again.length).toBeLessThanOrEqual(2_000);
    expect(new Set([...first, ...second]).size).toBe(events); // none lost
    expect(second.length).toBe(new Set(second).size);
  }, 120_000);
});
