import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { flags, ORDERS_MAPPING, ordersNdjson } from "./event-fixtures.js";
import { readJson, signalledCli, tempDir, waitFor, write } from "./helpers.js";
import { hostileServerPerTest } from "./hostile-server.js";

const hostile = hostileServerPerTest();

describe("stopping import-events", () => {
  it("on a second Ctrl-C exits at once, its report naming the first line of a batch in flight", async () => {
    // No request is ever answered: the batches are in flight when Ctrl-C comes, and stay so.
    const server = await hostile(() => {});
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", ordersNdjson(200, 10));
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    // In this process, so "at once" is exact: the exit comes within the second signal's handler,
    // before any answer or timer could (a spawned importer's exit would be timed, under load).
    // Batches closed only at the end of the input (never by time): one per user, all 200 rows read.
    const argv = [input, "--map", map, ...flags(dir, server.url, ["--batch-wait", "1h"])];
    const run = signalledCli(argv, "import-events");
    await waitFor(() => server.requests.length >= 10, "the 10 users' batches in flight");
    run.signal("SIGINT");
    await waitFor(() => run.stderr().includes("stopping"), "the first signal heard");
    expect(server.requests).toHaveLength(10);
    expect(run.exits).toEqual([]); // the first waits for the requests in flight
    run.signal("SIGINT");
    expect(run.exits).toEqual([130]);
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({ rows: 200, accepted: 0, deadLettered: 0, notAttempted: 200 });
    expect(report.firstNotAttemptedLine).toBe(1); // u0's first event, in a batch still in flight
    await server.close(); // the requests fail: the run in this process ends too
    await run.done;
  });
});
