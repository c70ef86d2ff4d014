import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runFlags,
  signalledCli,
  spawnCli,
  TOKEN,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  waitFor,
  write,
} from "./helpers.js";
import { hostileServerPerTest } from "./hostile-server.js";

const startEmulator = emulatorPerTest();
const hostile = hostileServerPerTest();

const PROFILES = "import-profiles";

/** Writes `rows` users (the rows in `bad` not Longs) and the mapping; the importer's argv. */
function argv(dir: string, url: string, rows: number, bad: Set<number>, rate: string) {
  const input = write(dir, "users.csv", usersCsv(rows, bad));
  const map = write(dir, "m.yaml", USERS_MAPPING);
  return [input, "--map", map, ...runFlags(dir, url, { rate })];
}

function start(dir: string, url: string, rows: number, bad: Set<number>, rate: string) {
  return spawnCli(argv(dir, url, rows, bad, rate), { DFINERY_ACCESS_TOKEN: TOKEN }, dir);
}

const everyTenth = (rows: number) =>
  new Set(Array.from({ length: rows / 10 }, (_, i) => i * 10 + 3));

describe("stopping the importer", () => {
  it("on Ctrl-C stops reading, lets requests in flight finish, writes the report and exits 130", async () => {
    const emulator = await startEmulator({ latencyMs: 50 });
    const dir = tempDir();
    const child = start(dir, emulator.url, 2_000, everyTenth(2_000), "100/s");
    await waitFor(() => (emulator.store.count() ?? 0) >= 20);
    child.kill("SIGINT");
    const { code } = await child.exited;
    expect(code).toBe(130);
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy.reason).toBe("interrupt");
    expect(report.rows).toBe(
      report.accepted + report.deadLettered + report.unchanged + report.notAttempted,
    );
    expect(report.rows).toBeLessThan(2_000);
    // Every request that was sent got its answer before exit: none is unaccounted for.
    expect(report.accepted).toBe(emulator.store.count());
    expect(readNdjson(join(dir, "dl.ndjson")).every((r) => r.error.code === "INVALID_VALUE")).toBe(
      true,
    );
    expect(child.stderr()).toMatch(/stopping/);
  });

  it("on a second Ctrl-C exits at once, still with a whole report and dead-letter file", async () => {
    // No request is ever answered: the first rows are in flight when Ctrl-C comes, and stay so.
    const server = await hostile(() => {});
    const dir = tempDir();
    // In this process, so "at once" is exact: the exit comes within the second signal's handler,
    // before any answer or timer could (a spawned importer's exit would be timed, under load).
    const run = signalledCli(argv(dir, server.url, 500, everyTenth(500), "1000/s"), PROFILES);
    await waitFor(() => server.requests.length > 0, "a request in flight");
    await waitFor(() => existsSync(join(dir, "dl.ndjson")), "the first bad row dead-lettered");
    run.signal("SIGINT");
    await waitFor(() => run.stderr().includes("stopping"), "the first signal heard");
    expect(run.exits).toEqual([]); // the first waits for the requests in flight
    run.signal("SIGINT");
    expect(run.exits).toEqual([130]);
    const report = readJson(join(dir, "report.json"));
    expect(report.rows).toBe(
      report.accepted + report.deadLettered + report.unchanged + report.notAttempted,
    );
    expect(report.accepted).toBe(0);
    expect(report.notAttempted).toBeGreaterThan(0);
    expect(report.firstNotAttemptedLine).toBe(2); // the first row was still in flight
    expect(readNdjson(join(dir, "dl.ndjson")).length).toBe(report.deadLettered);
    await server.close(); // the requests fail: the run in this process ends too
    await run.done;
  });

  it("killed with SIGKILL mid-run, leaves a dead-letter file of whole lines", async () => {
    const emulator = await startEmulator({ latencyMs: 2 });
    const dir = tempDir();
    const rows = 5_000;
    const child = start(dir, emulator.url, rows, everyTenth(rows), "400/s");
    await waitFor(() => (emulator.store.count() ?? 0) >= 200);
    child.kill("SIGKILL");
    const { signal } = await child.exited;
    expect(signal).toBe("SIGKILL");
    const text = readFileSync(join(dir, "dl.ndjson"), "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const records = readNdjson(join(dir, "dl.ndjson"));
    expect(records.length).toBeGreaterThan(10);
    // Dead-lettered rows are exactly the bad ones read so far, in order, none torn.
    expect(records.map((r) => r.row.id)).toEqual(records.map((_, i) => `u${i * 10 + 3}`));
  });

  it("on Ctrl-C at a slow rate, stops at once instead of waiting out the queue", async () => {
    const emulator = await startEmulator({});
    const dir = tempDir();
    // One request every 0.5 s: 300 rows would take 150 s. In this process, so the test sees
    // whether the run ended on its own or the grace period (10 s) had to force it.
    const run = signalledCli(argv(dir, emulator.url, 300, new Set(), "120/m"), PROFILES);
    await waitFor(() => emulator.store.count() >= 2, "2 rows accepted");
    run.signal("SIGINT");
    const { code } = await run.done;
    expect(code).toBe(130);
    expect(run.exits).toEqual([]); // ended by itself: the grace period was not needed
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy.reason).toBe("interrupt");
    expect(report.notAttempted).toBeGreaterThan(0);
    expect(report.accepted).toBe(emulator.store.count());
  });
});
