/**
 * Stopping a run, for every kind: Ctrl-C (the requests in flight finish, the report is whole, exit
 * 130), a second Ctrl-C (exit at once), SIGKILL (a dead-letter file of whole lines), and Ctrl-C at
 * a slow rate (no waiting out the queue).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { flags, ORDERS_MAPPING, ordersNdjson } from "./event-fixtures.js";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runFlags,
  signalledCli,
  spawnCli,
  tempDir,
  waitFor,
  write,
} from "./helpers.js";
import { hostileServerPerTest } from "./hostile-server.js";
import { ENV, KINDS, type KindCase } from "./kinds.js";

const startEmulator = emulatorPerTest();
const hostile = hostileServerPerTest();

const everyTenth = (rows: number) =>
  new Set(Array.from({ length: rows / 10 }, (_, i) => i * 10 + 3));

// biome-ignore lint/suspicious/noExplicitAny: reports are checked field by field
const balances = (r: any, word: string) =>
  r.rows === r[word] + r.deadLettered + r.unchanged + r.notAttempted;

describe.each(KINDS)("stopping $program", (kind: KindCase) => {
  /** Writes `rows` units (every tenth invalid) and the mapping; the importer's argv. */
  function argv(dir: string, url: string, rows: number, rate: string) {
    const input = write(dir, kind.file, kind.rows(rows, everyTenth(rows)));
    const map = write(dir, "m.yaml", kind.mapping);
    return [input, "--map", map, ...runFlags(dir, url, { rate }), ...kind.confirm];
  }
  const emulator = () => startEmulator(kind.catalog === undefined ? {} : { catalog: kind.catalog });

  it("on Ctrl-C stops reading, lets requests in flight finish, writes the report and exits 130", async () => {
    const e = await startEmulator({ latencyMs: 50, catalog: kind.catalog });
    const dir = tempDir();
    // 20,000 units at 100/s take 200 s: Ctrl-C comes long before the end however loaded the
    // machine (2,000 could all be read and sent while a loaded test waited to see the first 20).
    const child = spawnCli(argv(dir, e.url, 20_000, "100/s"), ENV, dir, { program: kind.program });
    await waitFor(() => kind.sent(e).length >= 20, "20 units accepted");
    child.kill("SIGINT");
    const { code } = await child.exited;
    expect(code).toBe(130);
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy.reason).toBe("interrupt");
    expect(balances(report, kind.word)).toBe(true);
    expect(report.rows).toBeLessThan(20_000);
    // Every request that was sent got its answer before exit: none is unaccounted for.
    expect(report[kind.word]).toBe(kind.sent(e).length);
    const letters = readNdjson(join(dir, "dl.ndjson"));
    expect(letters.every((r) => r.error.code === kind.invalidCode)).toBe(true);
    expect(child.stderr()).toMatch(/stopping/);
  });

  it("on a second Ctrl-C exits at once, still with a whole report and dead-letter file", async () => {
    // No request is ever answered: the first units are in flight when Ctrl-C comes, and stay so.
    const server = await hostile(() => {});
    const dir = tempDir();
    // In this process, so "at once" is exact: the exit comes within the second signal's handler,
    // before any answer or timer could (a spawned importer's exit would be timed, under load).
    const run = signalledCli(argv(dir, server.url, 500, "1000/s"), kind.program);
    await waitFor(() => server.requests.length > 0, "a request in flight");
    await waitFor(() => existsSync(join(dir, "dl.ndjson")), "the first bad row dead-lettered");
    run.signal("SIGINT");
    await waitFor(() => run.stderr().includes("stopping"), "the first signal heard");
    expect(run.exits).toEqual([]); // the first waits for the requests in flight
    run.signal("SIGINT");
    expect(run.exits).toEqual([130]);
    const report = readJson(join(dir, "report.json"));
    expect(balances(report, kind.word)).toBe(true);
    expect(report[kind.word]).toBe(0);
    expect(report.notAttempted).toBeGreaterThan(0);
    expect(report.firstNotAttemptedLine).toBe(kind.firstLine); // the first unit was in flight
    expect(readNdjson(join(dir, "dl.ndjson")).length).toBe(report.deadLettered);
    await server.close(); // the requests fail: the run in this process ends too
    await run.done;
  });

  it("killed with SIGKILL mid-run, leaves a dead-letter file of whole lines", async () => {
    const e = await startEmulator({ latencyMs: 2, catalog: kind.catalog });
    const dir = tempDir();
    const rows = 5_000;
    const child = spawnCli(argv(dir, e.url, rows, "400/s"), ENV, dir, { program: kind.program });
    await waitFor(() => kind.sent(e).length >= 200, "200 units accepted");
    child.kill("SIGKILL");
    const { signal } = await child.exited;
    expect(signal).toBe("SIGKILL");
    const text = readFileSync(join(dir, "dl.ndjson"), "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const records = readNdjson(join(dir, "dl.ndjson"));
    expect(records.length).toBeGreaterThan(10);
    // Dead-lettered rows are exactly the bad ones read so far, in order, none torn.
    expect(records.map((r) => r.line)).toEqual(records.map((_, i) => kind.firstLine + i * 10 + 3));
  });

  it("on Ctrl-C at a slow rate, stops at once instead of waiting out the queue", async () => {
    const e = await emulator();
    const dir = tempDir();
    // One request every 0.5 s: 300 units would take up to 150 s. In this process, so the test sees
    // whether the run ended on its own or the grace period (10 s) had to force it.
    const run = signalledCli(argv(dir, e.url, 300, "120/m"), kind.program);
    await waitFor(() => kind.sent(e).length >= 2, "2 units accepted");
    run.signal("SIGINT");
    const { code } = await run.done;
    expect(code).toBe(130);
    expect(run.exits).toEqual([]); // ended by itself: the grace period was not needed
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy.reason).toBe("interrupt");
    expect(report.notAttempted).toBeGreaterThan(0);
    expect(report[kind.word]).toBe(kind.sent(e).length);
  });
});

// What is particular to events: a unit in flight is a batch of many rows.
describe("stopping import-events with batches in flight", () => {
  it("on a second Ctrl-C exits at once, its report naming the first line of a batch in flight", async () => {
    // No request is ever answered: the batches are in flight when Ctrl-C comes, and stay so.
    const server = await hostile(() => {});
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", ordersNdjson(200, 10));
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
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
