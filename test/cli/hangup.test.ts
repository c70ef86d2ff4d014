/**
 * SIGHUP (the terminal closed under an interactive run, or `kill -HUP`) stops a run as SIGTERM
 * does, for every kind: reading stops, requests in flight finish, the report and the state are
 * written, exit 130, and `--resume` sends exactly the rest; a `--group-by-identity` run removes its
 * scratch file. A second Ctrl-C or SIGTERM exits at once; a second SIGHUP (a closing terminal
 * often sends two) changes nothing.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG, KEYWORD_MAPPING, ordersNdjson } from "./event-fixtures.js";
import {
  emulatorPerTest,
  importersPerTest,
  ownScratch,
  readJson,
  readNdjson,
  runFlags,
  signalledCli,
  tempDir,
  waitFor,
  write,
} from "./helpers.js";
import { hostileServerPerTest } from "./hostile-server.js";
import { KINDS, type KindCase } from "./kinds.js";
import { history, stateArgs, stateRun, stateSetup } from "./state-runs.js";

const startEmulator = emulatorPerTest();
const spawnImporter = importersPerTest();
const hostile = hostileServerPerTest();

// biome-ignore lint/suspicious/noExplicitAny: reports are checked field by field
const balances = (r: any, word: string) =>
  r.rows === r[word] + r.deadLettered + r.unchanged + r.filtered + r.notAttempted;

describe.each(KINDS)("SIGHUP to $program", (kind: KindCase) => {
  it("stops as on SIGTERM: exit 130, the report balanced, the state recorded; --resume sends exactly the rest", async () => {
    const e = await startEmulator({ catalog: kind.catalog, latencyMs: 20 });
    // 2,000 units at 100/s take 20 s: the hangup comes long before the end however loaded the machine.
    const rows = 2_000;
    const bad = new Set([5, 1_000, 1_999]);
    const { dir, input } = stateSetup(kind, rows, bad);
    const argv = stateArgs(kind, dir, input, e.url, ["--rate", "100/s"]);
    const child = spawnImporter(argv, dir, {}, { program: kind.program });
    await waitFor(() => kind.sent(e).length >= 20, "20 units accepted");
    child.kill("SIGHUP");
    expect(await child.exited).toEqual({ code: 130, signal: null });
    expect(child.stderr()).toMatch(/stopping: waiting for requests in flight/);
    const atStop = kind.sent(e).length;
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy.reason).toBe("interrupt");
    expect(balances(report, kind.word)).toBe(true);
    expect(report.notAttempted).toBeGreaterThan(0);
    // Every request sent was answered and recorded before the exit: none is in doubt.
    expect(report[kind.word]).toBe(atStop);
    expect(history(dir)[0]).toMatchObject({ status: "stopped", exitCode: 130, accepted: atStop });

    const resumed = await stateRun(kind)(dir, input, e.url, ["--resume", "--rate", "5000/s"]);
    expect(resumed.code).toBe(1); // the three bad units are dead-lettered
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows,
      [kind.word]: rows - bad.size,
      deadLettered: bad.size,
      notAttempted: 0,
    });
    // Each good unit reached the API once, as its row made it: the resumed run sent exactly the
    // units the stopped one had not.
    const index = new Map(Array.from({ length: rows }, (_, i) => [kind.userOf(i), i]));
    const sent = kind.sent(e);
    const good = [...index.keys()].filter((user) => !bad.has(index.get(user) ?? -1));
    expect([...sent].sort()).toEqual(good.sort());
    expect(kind.held(e)).toEqual(sent.map((user) => kind.unit(index.get(user) ?? -1)));
    expect(readNdjson(join(dir, "dl.ndjson")).map((r) => r.line)).toEqual(
      [...bad].map((i) => kind.firstLine + i),
    );
  }, 120_000);
});

describe("SIGHUP to a --group-by-identity run", () => {
  it("import-events --state: exit 130, its scratch file removed; --resume sends every event once", async () => {
    const e = await startEmulator({ catalog: CATALOG, remember: true, latencyMs: 5 });
    const dir = tempDir();
    // 6,000 events of 600 users: a request a user once grouped, 12 s of them at 50/s.
    const rows = 6_000;
    const bad = new Set([10, 3_000, 5_998]);
    const input = write(dir, "events.ndjson", ordersNdjson(rows, 600, bad));
    const map = write(dir, "events.yaml", KEYWORD_MAPPING);
    const args = (rate: string, extra: string[] = []) => [
      ...[input, "--map", map, "--group-by-identity"],
      ...runFlags(dir, e.url, { rate, state: true }),
      ...extra,
    ];
    const child = spawnImporter(args("50/s"), dir, {}, { program: "import-events" });
    await waitFor(() => e.store.eventCount() >= 1_000, "1,000 events accepted");
    expect(ownScratch(child.pid)).toHaveLength(1); // the rows sorted by identity, being sent
    child.kill("SIGHUP");
    expect(await child.exited).toEqual({ code: 130, signal: null });
    expect(ownScratch(child.pid)).toEqual([]);
    const atStop = e.store.eventCount();
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy.reason).toBe("interrupt");
    expect(balances(report, "accepted")).toBe(true);
    expect(report.accepted).toBe(atStop);
    expect(history(dir)[0]).toMatchObject({ status: "stopped", exitCode: 130, accepted: atStop });

    const resumed = spawnImporter(
      args("5000/s", ["--resume"]),
      dir,
      {},
      { program: "import-events" },
    );
    expect((await resumed.exited).code).toBe(1); // the three refused events
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows,
      accepted: rows - bad.size,
      deadLettered: bad.size,
      notAttempted: 0,
    });
    expect(e.store.eventCount()).toBe(rows - bad.size);
    expect(e.store.duplicateEvents()).toBe(0);
    expect(new Set(e.store.events().map((s) => s.event.event_log_id)).size).toBe(rows - bad.size);
  }, 120_000);
});

describe("a second signal after SIGHUP, or SIGHUP after another", () => {
  /** A run whose requests are never answered, its first units in flight, stopping on `first`. */
  async function stopping(first: "SIGHUP" | "SIGINT") {
    const server = await hostile(() => {});
    const dir = tempDir();
    const [kind] = KINDS as [KindCase];
    const input = write(dir, kind.file, kind.rows(50));
    const map = write(dir, "m.yaml", kind.mapping);
    const argv = [input, "--map", map, ...runFlags(dir, server.url, { rate: "1000/s" })];
    // In this process, so "at once" is exact: a forced exit comes within the signal's handler.
    const run = signalledCli(argv, kind.program);
    await waitFor(() => server.requests.length > 0, "a request in flight");
    run.signal(first);
    await waitFor(() => run.stderr().includes("stopping"), "the first signal heard");
    expect(run.exits).toEqual([]); // the first waits for the requests in flight
    return { server, dir, run };
  }

  it.each([
    ["SIGHUP", "SIGTERM"],
    ["SIGHUP", "SIGINT"],
  ] as const)("%s then %s: exits 130 at once, the report whole", async (first, second) => {
    const { server, dir, run } = await stopping(first);
    run.signal(second);
    expect(run.exits).toEqual([130]);
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({ rows: report.notAttempted, accepted: 0, deadLettered: 0 });
    expect(report.notAttempted).toBeGreaterThan(0);
    await server.close(); // the requests fail: the run in this process ends too
    await run.done;
  });

  it.each([
    ["SIGHUP", "SIGHUP"],
    ["SIGINT", "SIGHUP"],
  ] as const)(
    "%s then %s: no forced exit, the requests in flight still finish",
    async (first, second) => {
      // A closing terminal sends SIGHUP twice (the shell's, then the kernel's to the foreground group).
      const { server, dir, run } = await stopping(first);
      run.signal(second);
      expect(run.exits).toEqual([]);
      await server.close(); // the requests in flight end (they fail): the stop completes by itself
      const { code } = await run.done;
      expect(code).toBe(130);
      expect(run.exits).toEqual([]);
      const report = readJson(join(dir, "report.json"));
      expect(report.stoppedBy.reason).toBe("interrupt");
      expect(report.rows).toBe(report.accepted + report.deadLettered + report.notAttempted);
    },
  );
});
