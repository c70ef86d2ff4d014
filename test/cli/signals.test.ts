import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runFlags,
  spawnCli,
  TOKEN,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  waitFor,
  write,
} from "./helpers.js";

const startEmulator = emulatorPerTest();

function start(dir: string, url: string, rows: number, bad: Set<number>, rate: string) {
  const input = write(dir, "users.csv", usersCsv(rows, bad));
  const map = write(dir, "m.yaml", USERS_MAPPING);
  return spawnCli(
    [input, "--map", map, ...runFlags(dir, url, { rate })],
    { DFINERY_ACCESS_TOKEN: TOKEN },
    dir,
  );
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
    const emulator = await startEmulator({ latencyMs: 5_000 });
    const dir = tempDir();
    const child = start(dir, emulator.url, 500, everyTenth(500), "1000/s");
    // Requests are in flight (answers take 5 s) once the first bad row has been dead-lettered.
    await waitFor(() => existsSync(join(dir, "dl.ndjson")));
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGINT");
    await waitFor(() => child.stderr().includes("stopping")); // the first signal was heard
    const signalled = Date.now();
    child.kill("SIGINT");
    const { code } = await child.exited;
    expect(Date.now() - signalled).toBeLessThan(3_000);
    expect(code).toBe(130);
    const report = readJson(join(dir, "report.json"));
    expect(report.rows).toBe(
      report.accepted + report.deadLettered + report.unchanged + report.notAttempted,
    );
    expect(report.notAttempted).toBeGreaterThan(0);
    expect(report.firstNotAttemptedLine).toBe(2); // the first row was still in flight
    expect(readNdjson(join(dir, "dl.ndjson")).length).toBe(report.deadLettered);
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
    const child = start(dir, emulator.url, 300, new Set(), "120/m"); // one request every 0.5 s
    await waitFor(() => emulator.store.count() >= 2);
    const signalled = Date.now();
    child.kill("SIGINT");
    const { code } = await child.exited;
    expect(code).toBe(130);
    expect(Date.now() - signalled).toBeLessThan(3_000); // the grace period (10 s) was not needed
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy.reason).toBe("interrupt");
    expect(report.notAttempted).toBeGreaterThan(0);
    expect(report.accepted).toBe(emulator.store.count());
  });
});
