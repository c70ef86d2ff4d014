import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG, ORDERS_MAPPING, ordersNdjson } from "./event-fixtures.js";
import { emulatorPerTest, importersPerTest, readJson, tempDir, waitFor, write } from "./helpers.js";

const emulator = emulatorPerTest();
const importer = importersPerTest();

describe("import-events --batch-wait on a stalled input", () => {
  it("sends the pending events while stdin stays open, then the rest at its end", async () => {
    const e = await emulator({ catalog: CATALOG });
    const dir = tempDir();
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const [head, tail] = splitLines(ordersNdjson(30, 3), 20);
    const child = importer(
      [
        ...["-", "--format", "ndjson", "--map", map, "--batch-wait", "1s"],
        ...["--endpoint", e.url, "--service-id", "test-service"],
        ...["--dead-letter", join(dir, "dl.ndjson"), "--report", join(dir, "report.json")],
        ...["--log", join(dir, "log.ndjson")],
      ],
      dir,
      {},
      { program: "import-events", stdin: true },
    );
    child.stdin?.write(head);
    // The export stalls: no more input, stdin open. The 20 events of the 3 users go after the
    // wait, not at the end of the input. The wait is 1 s, not 100 ms: on a loaded machine reading
    // the 20 lines could outlast 100 ms, and the wait would then send a user's events in two
    // requests (seen once in CI as 4 requests).
    const stalledAt = Date.now();
    await waitFor(() => e.store.eventCount() === 20);
    const waited = Date.now() - stalledAt;
    expect(waited).toBeGreaterThanOrEqual(900); // a lower bound: load only makes it longer
    expect(e.store.stats().requests).toBe(3); // one batch per user
    child.stdin?.end(tail);
    const exit = await child.exited;
    expect(child.stderr()).toBe("");
    expect(exit.code).toBe(0);
    expect(e.store.eventCount()).toBe(30);
    expect(e.store.duplicateEvents()).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 30,
      accepted: 30,
      deadLettered: 0,
      notAttempted: 0,
    });
  });
});

/** The text's first `count` lines, and the rest. */
function splitLines(text: string, count: number): [string, string] {
  const lines = text.split("\n");
  return [`${lines.slice(0, count).join("\n")}\n`, lines.slice(count).join("\n")];
}
