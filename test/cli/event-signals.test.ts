import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { flags, ORDERS_MAPPING, ordersNdjson } from "./event-fixtures.js";
import { readJson, spawnCli, TOKEN, tempDir, waitFor, write } from "./helpers.js";
import { answer, hostileServerPerTest } from "./hostile-server.js";

const hostile = hostileServerPerTest();

describe("stopping import-events", () => {
  it("on a second Ctrl-C exits at once, its report naming the first line of a batch in flight", async () => {
    // Every request is answered after 5 s: the batches are in flight when Ctrl-C comes.
    const server = await hostile((_n, _req, res) => {
      setTimeout(() => answer(res, 200, "20000"), 5_000).unref();
    });
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", ordersNdjson(200, 10));
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const child = spawnCli(
      [input, "--map", map, ...flags(dir, server.url)],
      { DFINERY_ACCESS_TOKEN: TOKEN },
      dir,
      { program: "import-events" },
    );
    await waitFor(() => server.requests.length >= 10); // the 10 users' batches
    child.kill("SIGINT");
    await waitFor(() => child.stderr().includes("stopping")); // the first signal was heard
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
