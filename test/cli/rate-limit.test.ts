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

const emulator = emulatorPerTest();
const hostile = hostileServerPerTest();

function setup(rows: number) {
  const dir = tempDir();
  const input = write(dir, "users.csv", usersCsv(rows));
  const map = write(dir, "m.yaml", USERS_MAPPING);
  return { dir, input, map };
}

describe("the rate-limit headers, as the guide's table and its examples spell them", () => {
  const styles: [HeaderStyle, ResetUnit][] = [
    ["hyphen", "s"],
    ["hyphen", "ms"],
    ["nohyphen", "s"],
    ["nohyphen", "ms"],
  ];
  it.each(styles)(
    "paces to the server's 25/s when told 100/s, headers %s, reset in %s: no over-limit answer",
    async (headerStyle, resetUnit) => {
      const e = await emulator({
        limit: { count: 25, windowMs: 1_000 },
        headerStyle,
        resetUnit,
        overLimit: "code40401",
      });
      const { dir, input, map } = setup(60);
      const result = await runCli([
        input,
        "--map",
        map,
        ...runFlags(dir, e.url, { rate: "100/s" }),
      ]);
      expect(result.code).toBe(0);
      const report = readJson(join(dir, "report.json"));
      expect(report).toMatchObject({ accepted: 60, rateLimited: 0 });
      expect(e.store.stats().byCode["40401"] ?? 0).toBe(0);
    },
  );

  it("without any rate-limit header, still delivers every row through the over-limit answers", async () => {
    const e = await emulator({ limit: { count: 25, windowMs: 1_000 }, headerStyle: "none" });
    const { dir, input, map } = setup(60);
    const result = await runCli([input, "--map", map, ...runFlags(dir, e.url, { rate: "100/s" })]);
    expect(result.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({ accepted: 60, deadLettered: 0 });
    expect(e.store.count()).toBe(60);
  });
});

describe("bounded, visible waits", () => {
  it("stops with exit 3 when an hour-long quota is spent beyond --max-wait, and resumes later", async () => {
    const e = await emulator({ limit: { count: 5, windowMs: 3_600_000 }, resetUnit: "ms" });
    const { dir, input, map } = setup(20);
    const flags = [input, "--map", map, ...runFlags(dir, e.url, { rate: "100/s", state: true })];
    const result = await runCli([...flags, "--max-wait", "2s"]);
    expect(result.code).toBe(3);
    const report = readJson(join(dir, "report.json"));
    // Not the hour: no wait beyond --max-wait was taken (one would hang the test till its timeout).
    expect(report.rateLimitWaitMs).toBeLessThanOrEqual(2_000);
    const nextHour = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000).toISOString();
    expect(report).toMatchObject({
      accepted: 5,
      deadLettered: 0,
      notAttempted: 15,
      firstNotAttemptedLine: 7,
      stoppedBy: { reason: "rate-limit", until: nextHour.replace(".000Z", ".100Z") },
    });
    expect(report.stoppedBy.untilLocal).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d$/);
    expect(report.stoppedBy.message).toContain(`quota is spent until ${report.stoppedBy.until}`);
    expect(result.stderr).toContain("beyond --max-wait 2 s");
    const warns = readNdjson(join(dir, "log.ndjson")).filter((l) => l.level === 40);
    expect(warns.map((l) => l.msg)).toEqual([report.stoppedBy.message]);

    // The next window (a fresh quota here): --resume sends only the rows not yet accepted.
    const next = await emulator({ limit: { count: 100, windowMs: 3_600_000 } });
    const resumed = await runCli([
      input,
      "--map",
      map,
      ...runFlags(dir, next.url, { rate: "100/s", state: true }),
      "--resume",
    ]);
    expect(resumed.code).toBe(0);
    expect(next.store.count()).toBe(15);
    expect(next.store.list()[0]?.identity.external_id).toBe("u5");
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
    const { dir, input, map } = setup(3);
    const result = await runCli([
      input,
      "--map",
      map,
      ...runFlags(dir, server.url, { rate: "10/s" }),
    ]);
    expect(result.code).toBe(0);
    const waitLine =
      /waiting [56] s for the rate limit, until (\S+) \(.* local\): the API answered that the rate limit is exceeded/;
    expect(result.stderr).toMatch(waitLine);
    const warn = readNdjson(join(dir, "log.ndjson")).find((l) => l.level === 40);
    expect(warn.msg).toMatch(waitLine);
    expect(Date.parse(warn.until)).toBe(resetAt + 100);
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({ accepted: 3, rateLimited: 1 });
    expect(report.longestWaitMs).toBeGreaterThan(5_000);
    expect(report.rateLimitWaitMs).toBe(report.longestWaitMs);
    expect(result.stdout).toMatch(/longest wait \d\.\d s/);
  });
});

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
