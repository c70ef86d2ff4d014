import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG, flags, importEvents, ORDERS_MAPPING, ordersNdjson } from "./event-fixtures.js";
import { emulatorPerTest, readJson, readNdjson, tempDir, write } from "./helpers.js";
import { answer, hostileServerPerTest } from "./hostile-server.js";

const emulator = emulatorPerTest();
const hostile = hostileServerPerTest();

describe("import-events waits for the rate limit as import-profiles does", () => {
  it("stops with exit 3 and until when, once the events quota is spent beyond --max-wait", async () => {
    const e = await emulator({
      catalog: CATALOG,
      eventLimit: { count: 2, windowMs: 3_600_000 },
      resetUnit: "ms",
    });
    const dir = tempDir();
    // 3 users, 10 events each: 3 requests, of which the hour's quota takes 2.
    const input = write(dir, "orders.ndjson", ordersNdjson(30, 3));
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const result = await importEvents([
      input,
      "--map",
      map,
      // Batches go at the end only (the input never stalls for a minute), one at a time.
      ...flags(dir, e.url, ["--max-wait", "2s", "--concurrency", "1", "--batch-wait", "1m"]),
    ]);
    expect(result.code).toBe(3);
    const report = readJson(join(dir, "report.json"));
    // Not the hour: no wait beyond --max-wait was taken (one would hang the test till its timeout).
    expect(report.rateLimitWaitMs).toBeLessThanOrEqual(2_000);
    const nextHour = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000).toISOString();
    // The batches go oldest last event first: u0's, u1's, then u2's (lines 3, 6, …, 30).
    expect(report).toMatchObject({
      rows: 30,
      accepted: 20,
      deadLettered: 0,
      notAttempted: 10,
      firstNotAttemptedLine: 3,
      stoppedBy: { reason: "rate-limit", until: nextHour.replace(".000Z", ".100Z") },
    });
    expect(report.stoppedBy.untilLocal).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d$/);
    expect(report.stoppedBy.message).toContain(`quota is spent until ${report.stoppedBy.until}`);
    expect(result.stderr).toContain("beyond --max-wait 2 s");
    expect(e.store.eventCount()).toBe(20);
    expect(new Set(e.store.events().map((s) => s.identity.external_id))).toEqual(
      new Set(["u0", "u1"]),
    );
  });

  it("says until when and why it waits longer than 5 s: a warn line in the log and on stderr", async () => {
    let resetAt = 0;
    const server = await hostile((n, _req, res) => {
      if (n === 0) {
        resetAt = Date.now() + 5_600;
        answer(res, 429, "40401", {
          "x-ratelimit-reset": String(resetAt),
          "x-ratelimit-limit": "1m",
        });
      } else answer(res, 200, "20000");
    });
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", ordersNdjson(3, 1));
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const argv = [input, "--map", map, ...flags(dir, server.url, ["--batch-wait", "1m"])];
    const result = await importEvents(argv); // one batch of the 3 events
    expect(result.code).toBe(0);
    const waitLine =
      /waiting [56] s for the rate limit, until (\S+) \(.* local\): the API answered that the rate limit is exceeded/;
    expect(result.stderr).toMatch(waitLine);
    const warn = readNdjson(join(dir, "log.ndjson")).find((l) => l.level === 40);
    expect(warn.msg).toMatch(waitLine);
    expect(Date.parse(warn.until)).toBe(resetAt + 100);
    expect(server.requests.length).toBe(2); // the one batch, refused once, then accepted
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({ rows: 3, accepted: 3, rateLimited: 1 });
    expect(report.longestWaitMs).toBeGreaterThan(5_000);
  });
});
