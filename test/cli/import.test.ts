import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runCli,
  runFlags,
  TOKEN,
  tempDir,
  write,
} from "./helpers.js";
import { ENV, KINDS } from "./kinds.js";

const emulator = emulatorPerTest();

function args(
  dir: string,
  input: string,
  map: string | null,
  url: string,
  extra: string[] = [],
): string[] {
  const mapFlags = map === null ? [] : ["--map", map];
  return [input, ...mapFlags, ...runFlags(dir, url, { rate: "1000/s" }), ...extra];
}

describe.each(KINDS)("$program delivering a file", (kind) => {
  const setup = (rows: number, invalid?: ReadonlySet<number>) => {
    const dir = tempDir();
    const input = write(dir, kind.file, kind.rows(rows, invalid));
    return { dir, input, map: write(dir, "m.yaml", kind.mapping) };
  };
  const run = (argv: readonly string[], env: NodeJS.ProcessEnv = ENV) =>
    runCli([...argv, ...kind.confirm], env, undefined, kind.program);
  const byUser = (a: object, b: object) => kind.userIn(a).localeCompare(kind.userIn(b));

  it("delivers every unit and exits 0, with a report whose totals balance: exactly the units mapped", async () => {
    const e = await emulator({ catalog: kind.catalog });
    const { dir, input, map } = setup(200);
    const result = await run(args(dir, input, map, e.url));
    expect(result.code).toBe(0);
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({
      rows: 200,
      [kind.word]: 200,
      deadLettered: 0,
      notAttempted: 0,
      stoppedBy: null,
    });
    expect(report.rows).toBe(
      report[kind.word] + report.deadLettered + report.unchanged + report.notAttempted,
    );
    const expected = Array.from({ length: 200 }, (_, i) => kind.unit(i));
    expect(kind.held(e).sort(byUser)).toEqual(expected.sort(byUser));
    expect(existsSync(join(dir, "dl.ndjson"))).toBe(false);
    expect(result.stdout).toMatch(new RegExp(`200 rows in .*200 ${kind.word}`));
  });

  it("dead-letters the units the API refuses with its code, and exits 1", async () => {
    const e = await kind.refusing(emulator, 3);
    const { dir, input, map } = setup(3);
    const result = await run(args(dir, input, map, e.url));
    expect(result.code).toBe(1);
    const records = readNdjson(join(dir, "dl.ndjson")).sort((a, b) => a.line - b.line);
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({
      line: kind.firstLine,
      row: { [kind.idColumn]: kind.userOf(0) },
      payload: kind.unit(0),
      error: { stage: "api", code: "40001" },
      attempts: 1,
    });
  });

  it("stops at a refused token: exit 3, at most --concurrency requests, units not attempted, no dead letters", async () => {
    const e = await emulator({ catalog: kind.catalog, latencyMs: 20 });
    const { dir, input, map } = setup(300);
    const argv = args(dir, input, map, e.url, ["--concurrency", "4"]);
    const result = await run(argv, { DFINERY_ACCESS_TOKEN: "not-the-token" });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/access token/);
    expect(e.store.stats().requests).toBeLessThanOrEqual(4);
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy.reason).toBe("fatal");
    expect(report[kind.word]).toBe(0);
    expect(report.notAttempted).toBe(report.rows);
    expect(report.firstNotAttemptedLine).toBe(kind.firstLine);
    expect(existsSync(join(dir, "dl.ndjson"))).toBe(false);
  });

  it("stops at a refused service id and says so", async () => {
    const e = await emulator({ catalog: kind.catalog });
    const { dir, input, map } = setup(20);
    const argv = args(dir, input, map, e.url);
    argv[argv.indexOf("test-service")] = "other-service";
    const result = await run(argv);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/service id/);
  });
  it("never writes the access token to stdout, stderr, logs, the report or the dead-letter file", async () => {
    const secret = "s3cr3t-Token-4f9a";
    const e = await emulator({ token: secret, catalog: kind.catalog });
    const { dir, input, map } = setup(5, new Set([2]));
    const debug = args(dir, input, map, e.url, ["--log-level", "debug"]);
    const ok = await run(debug, { DFINERY_ACCESS_TOKEN: secret });
    const wrong = await run(debug, { DFINERY_ACCESS_TOKEN: `${secret}-wrong` });
    expect(ok.code).toBe(1);
    expect(wrong.code).toBe(3);
    const outputs = [ok.stdout, ok.stderr, wrong.stdout, wrong.stderr];
    for (const name of readdirSync(dir)) outputs.push(readFileSync(join(dir, name), "utf8"));
    expect(readdirSync(dir).sort()).toEqual(
      ["dl.ndjson", "log.ndjson", "m.yaml", "report.json", kind.file].sort(),
    );
    expect(outputs.filter((text) => text.includes(secret))).toEqual([]);
  });

  it("reads the token from --token-file", async () => {
    const e = await emulator({ catalog: kind.catalog });
    const { dir, input, map } = setup(3);
    const tokenFile = write(dir, "token", `${TOKEN}\n`);
    const result = await run(args(dir, input, map, e.url, ["--token-file", tokenFile]), {});
    expect(result.code).toBe(0);
    expect(kind.sent(e).sort()).toEqual([0, 1, 2].map(kind.userOf).sort());
  });

  it("stops when the API fails request after request, instead of dead-lettering every unit", async () => {
    const e = await emulator({ catalog: kind.catalog, failRate: 1 });
    const { dir, input, map } = setup(2_000);
    const result = await run(args(dir, input, map, e.url, ["--concurrency", "8"]));
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/failed 50 requests in a row/);
    const report = readJson(join(dir, "report.json"));
    // A unit whose six attempts all fell before the 50th failure is dead-lettered (retries spent),
    // at most one a slot of --concurrency; every other unit is not attempted.
    expect(report.deadLettered).toBeLessThanOrEqual(8);
    expect(report.notAttempted).toBe(report.rows - report.deadLettered);
    expect(e.store.stats().requests).toBeLessThan(70);
  });

  it("refuses a token a header cannot carry, before sending anything", async () => {
    const e = await emulator({ catalog: kind.catalog });
    const { dir, input, map } = setup(3);
    const result = await run(args(dir, input, map, e.url), {
      DFINERY_ACCESS_TOKEN: "abc def\u200b",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot carry/);
    expect(result.stderr).not.toContain("abc def");
    expect(e.store.stats().requests).toBe(0);
  });

  it.each([
    ["--dead-letter", "dl.ndjson", /cannot write the dead-letter file/],
    ["--report", "r.json", /cannot write the report/],
  ])(
    "says before sending anything that the %s file cannot be written",
    async (flag, name, says) => {
      const e = await emulator({ catalog: kind.catalog });
      const { dir, input, map } = setup(3, new Set([1]));
      const argv = args(dir, input, map, e.url);
      argv[argv.indexOf(flag) + 1] = join(dir, "no-such-folder", name);
      const result = await run(argv);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(says);
      expect(e.store.stats().requests).toBe(0);
    },
  );

  it("sends a user's units in file order under latency jitter, as one request at a time would", async () => {
    // Users 1-5 (0 is an event a user has once), each with 10 rows in turn, every row of a user
    // a changed unit of its last.
    const text = kind.rows(6).trimEnd().split("\n");
    const lines = text.slice(0, kind.firstLine - 1); // the header, if any
    const all = text.slice(kind.firstLine - 1);
    const users = [1, 2, 3, 4, 5];
    for (let v = 0; v < 10; v++) {
      for (const u of users) {
        let line = all[u] as string;
        for (let n = 0; n < v; n++) line = kind.change(line);
        lines.push(line);
      }
    }
    const dir = tempDir();
    const input = write(dir, kind.file, `${lines.join("\n")}\n`);
    const map = write(dir, "m.yaml", kind.mapping);
    const perUser = (e: Awaited<ReturnType<typeof emulator>>) => {
      const held = kind.held(e);
      return users.map((u) => held.filter((b) => kind.userIn(b) === kind.userOf(u)));
    };
    const inTurn = await emulator({ catalog: kind.catalog });
    const one = await run(args(dir, input, map, inTurn.url, ["--concurrency", "1"]));
    const jittery = await emulator({ catalog: kind.catalog, latencyMs: 1, jitterMs: 30 });
    const many = await run(args(dir, input, map, jittery.url, ["--concurrency", "16"]));
    expect([one.code, many.code]).toEqual([0, 0]);
    expect(perUser(inTurn).map((units) => units.length)).toEqual([10, 10, 10, 10, 10]);
    expect(perUser(jittery)).toEqual(perUser(inTurn));
  });
});
