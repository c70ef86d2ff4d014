/**
 * Waiting for the rate limit, for every kind: the pace the server's headers give (in each spelling
 * the guide uses, or none at all), a quota spent beyond --max-wait (exit 3, resumable), and a long
 * wait told. Below, --quiet for cron.
 */
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { HeaderStyle, ResetUnit } from "../../src/emulator/options.js";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runCli,
  runFlags,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  write,
} from "./helpers.js";
import { answer, hostileServerPerTest } from "./hostile-server.js";
import { ENV, KINDS } from "./kinds.js";

const emulator = emulatorPerTest();
const hostile = hostileServerPerTest();

const styles: [HeaderStyle, ResetUnit][] = [
  ["hyphen", "s"],
  ["hyphen", "ms"],
  ["nohyphen", "s"],
  ["nohyphen", "ms"],
];

describe.each(KINDS)("$program and the rate limit", (kind) => {
  function setup(rows: number) {
    const dir = tempDir();
    const input = write(dir, kind.file, kind.rows(rows));
    const map = write(dir, "m.yaml", kind.mapping);
    const argv = (url: string, rate: string, extra: readonly string[] = []) => [
      ...[input, "--map", map, ...runFlags(dir, url, { rate }), ...kind.confirm, ...extra],
    ];
    return { dir, argv };
  }
  const run = (argv: readonly string[]) => runCli(argv, ENV, undefined, kind.program);
  const limited = (count: number, windowMs: number) => ({
    [kind.limitOption]: { count, windowMs },
    catalog: kind.catalog,
  });
  const users = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => kind.userOf(from + i));

  it.each(styles)(
    "paces to the server's 25/s when told 100/s, headers %s, reset in %s: no over-limit answer",
    async (headerStyle, resetUnit) => {
      const e = await emulator({
        ...limited(25, 1_000),
        headerStyle,
        resetUnit,
        overLimit: "code40401",
      });
      const { dir, argv } = setup(30);
      const result = await run(argv(e.url, "100/s"));
      expect(result.code).toBe(0);
      expect(readJson(join(dir, "report.json"))).toMatchObject({ [kind.word]: 30, rateLimited: 0 });
      expect(e.store.stats().byCode["40401"] ?? 0).toBe(0);
    },
  );

  it("without any rate-limit header, still delivers every unit through the over-limit answers", async () => {
    const e = await emulator({ ...limited(25, 1_000), headerStyle: "none" });
    const { dir, argv } = setup(60);
    const result = await run(argv(e.url, "100/s"));
    expect(result.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({ [kind.word]: 60, deadLettered: 0 });
    expect(kind.sent(e).sort()).toEqual(users(0, 60).sort());
  });

  it("waits for the limit its headers tell, and finishes: every unit sent, none refused", async () => {
    const e = await emulator(limited(20, 1_000));
    const { dir, argv } = setup(45);
    const result = await run(argv(e.url, "100/s"));
    expect(result.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 45,
      [kind.word]: 45,
      deadLettered: 0,
    });
    expect(kind.sent(e).sort()).toEqual(users(0, 45).sort());
    // 45 requests at 20 a window took three windows: the run waited instead of failing units.
    const times = e.store.list().map((r) => r.receivedAt);
    const events = e.store.events().map((s) => s.receivedAt);
    const all = [...times, ...events];
    expect(Math.max(...all) - Math.min(...all)).toBeGreaterThan(1_000);
  });

  it("stops with exit 3 when an hour-long quota is spent beyond --max-wait, and resumes later", async () => {
    const e = await emulator({ ...limited(5, 3_600_000), resetUnit: "ms" });
    const { dir, argv } = setup(20);
    const once = ["--state", join(dir, "state.db"), "--concurrency", "1"];
    const result = await run(argv(e.url, "100/s", [...once, "--max-wait", "2s"]));
    expect(result.code).toBe(3);
    const report = readJson(join(dir, "report.json"));
    // Not the hour: no wait beyond --max-wait was taken (one would hang the test till its timeout).
    expect(report.rateLimitWaitMs).toBeLessThanOrEqual(2_000);
    const nextHour = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000).toISOString();
    expect(report).toMatchObject({
      rows: 20,
      [kind.word]: 5,
      deadLettered: 0,
      notAttempted: 15,
      firstNotAttemptedLine: kind.firstLine + 5,
      stoppedBy: { reason: "rate-limit", until: nextHour.replace(".000Z", ".100Z") },
    });
    expect(report.stoppedBy.untilLocal).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d$/);
    expect(report.stoppedBy.message).toContain(`quota is spent until ${report.stoppedBy.until}`);
    expect(result.stderr).toContain("beyond --max-wait 2 s");
    const warns = readNdjson(join(dir, "log.ndjson")).filter((l) => l.level === 40);
    expect(warns.map((l) => l.msg)).toEqual([report.stoppedBy.message]);
    expect(kind.sent(e)).toEqual(users(0, 5));

    // The next window (a fresh quota here): --resume sends only the units not yet accepted.
    const next = await emulator(limited(100, 3_600_000));
    const resumed = await run(argv(next.url, "100/s", [...once, "--resume"]));
    expect(resumed.code).toBe(0);
    expect(kind.sent(next)).toEqual(users(5, 15));
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
    const { dir, argv } = setup(3);
    const result = await run(argv(server.url, "10/s"));
    expect(result.code).toBe(0);
    const waitLine =
      /waiting [56] s for the rate limit, until (\S+) \(.* local\): the API answered that the rate limit is exceeded/;
    expect(result.stderr).toMatch(waitLine);
    const warn = readNdjson(join(dir, "log.ndjson")).find((l) => l.level === 40);
    expect(warn.msg).toMatch(waitLine);
    expect(Date.parse(warn.until)).toBe(resetAt + 100);
    expect(server.requests.length).toBe(4); // the 3 units, the first refused once
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({ rows: 3, [kind.word]: 3, rateLimited: 1 });
    expect(report.longestWaitMs).toBeGreaterThan(5_000);
    expect(report.rateLimitWaitMs).toBe(report.longestWaitMs);
    expect(result.stdout).toMatch(/longest wait \d\.\d s/);
  });
});

function setup(rows: number) {
  const dir = tempDir();
  const input = write(dir, "users.csv", usersCsv(rows));
  const map = write(dir, "m.yaml", USERS_MAPPING);
  return { dir, input, map };
}

describe("--quiet, for cron", () => {
  it("prints nothing at all on stdout or stderr when the run exits 0", async () => {
    const e = await emulator();
    const { dir, input, map } = setup(20);
    const quiet = await runCli([
      input,
      "--map",
      map,
      ...runFlags(dir, e.url, { rate: "1000/s" }).filter(
        (f, i, all) => f !== "--log" && all[i - 1] !== "--log",
      ),
      "--quiet",
    ]);
    expect(quiet).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(e.store.count()).toBe(20);
  });

  it("holds its warnings (a token file others can read) unless the exit is not 0", async () => {
    const e = await emulator();
    const { dir, input, map } = setup(5);
    const token = write(dir, "token", "test-token\n");
    chmodSync(token, 0o644);
    const argv = [input, "--map", map, ...runFlags(dir, e.url, { rate: "1000/s" })];
    const ok = await runCli([...argv, "--token-file", token, "--quiet"], {});
    expect(ok).toEqual({ code: 0, stdout: "", stderr: "" });
    const refused = await runCli(
      [...argv, "--token-file", token, "--quiet", "--service-id", "other-service"],
      {},
    );
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/warning: .*token/);
    expect(refused.stderr).toMatch(/service id/);
  });

  it("prints the summary and the reason on any other exit", async () => {
    const e = await emulator({ catalog: { other: "String" } }); // points is not registered
    const { dir, input, map } = setup(3);
    const quiet = await runCli([
      input,
      "--map",
      map,
      ...runFlags(dir, e.url, { rate: "1000/s" }),
      "--quiet",
    ]);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toMatch(/3 rows in .*3 dead-lettered/);
    expect(quiet.stdout).toContain("dead-lettered rows are in");
  });
});
