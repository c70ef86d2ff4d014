import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG, flags, ORDERS_MAPPING, ordersNdjson } from "./event-fixtures.js";
import { emulatorPerTest, readJson, spawnCli, TOKEN, tempDir, write } from "./helpers.js";

const emulator = emulatorPerTest();

describe("stopping import-events", () => {
  it("on a second Ctrl-C exits at once, its report naming the first line of a batch in flight", async () => {
    const e = await emulator({ catalog: CATALOG, latencyMs: 5_000 });
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", ordersNdjson(200, 10));
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const child = spawnCli(
      [input, "--map", map, ...flags(dir, e.url)],
      { DFINERY_ACCESS_TOKEN: TOKEN },
      dir,
      { program: "import-events" },
    );
    // The 10 users' batches go out after --batch-wait (50 ms); their answers take 5 s.
    await new Promise((r) => setTimeout(r, 1_000));
    child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 100));
    const signalled = Date.now();
    child.kill("SIGINT");
    const { code } = await child.exited;
    expect(Date.now() - signalled).toBeLessThan(3_000);
    expect(code).toBe(130);
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({ rows: 200, accepted: 0, deadLettered: 0, notAttempted: 200 });
    expect(report.firstNotAttemptedLine).toBe(1); // u0's first event, in a batch still in flight
  });
});
