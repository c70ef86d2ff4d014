/**
 * Replaying a dead-letter file, for every kind: with --map its rows are mapped again, without it
 * the stored payloads go out exactly as they were; a row that fails again keeps its original line,
 * one never mapped fails again naming --map; with --state a second replay sends nothing; the
 * dead-letter file is never written over its own input. Below, what differs: profiles' numbers
 * and a user's order, events' numbers and item groups. Payloads checked as the API would:
 * replay-rules.test.ts; another command's file: replay-input.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExactNumber } from "../../src/util/exact-number.js";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runCli,
  runFlags,
  tempDir,
  USERS_MAPPING,
  write,
} from "./helpers.js";
import { ENV, KINDS } from "./kinds.js";

const emulator = emulatorPerTest();

const common = (dir: string, url: string, name: string) =>
  runFlags(dir, url, { rate: "1000/s", name });

describe.each(KINDS)("$program replaying its dead-letter file", (kind) => {
  const run = (argv: readonly string[], env: NodeJS.ProcessEnv = ENV) =>
    runCli([...argv, ...kind.confirm], env, undefined, kind.program);
  const healthy = () => emulator({ catalog: kind.catalog });
  const setup = (rows: number, invalid?: ReadonlySet<number>) => {
    const dir = tempDir();
    const input = write(dir, kind.file, kind.rows(rows, invalid));
    return { dir, input, map: write(dir, "m.yaml", kind.mapping) };
  };
  const byUser = (a: object, b: object) => kind.userIn(a).localeCompare(kind.userIn(b));
  const users = (indexes: readonly number[]) => indexes.map((i) => kind.userOf(i));

  it("after the API is fixed, maps the original rows again with --map and delivers them all", async () => {
    const { dir, input, map } = setup(6);
    const before = await kind.refusing(emulator, 6);
    expect((await run([input, "--map", map, ...common(dir, before.url, "first")])).code).toBe(1);
    const deadLetter = join(dir, "first.dead-letter.ndjson");
    const stored = readNdjson(deadLetter).map((r) => r.payload);
    expect(stored).toHaveLength(6);

    const after = await healthy(); // fixed in the console
    const replay = await run([deadLetter, "--map", map, ...common(dir, after.url, "replay")]);
    expect(replay.code).toBe(0);
    expect(readJson(join(dir, "replay.report.json"))).toMatchObject({ rows: 6, [kind.word]: 6 });
    // Mapped again, each unit is what the first run had sent.
    expect(kind.held(after).sort(byUser)).toEqual(stored.sort(byUser));
  });

  it("without --map, sends the stored payloads again exactly as they were", async () => {
    const { dir, input, map } = setup(4);
    const failing = await emulator({ catalog: kind.catalog, failRate: 1 });
    const first = await run([
      ...[input, "--map", map, ...common(dir, failing.url, "first")],
      ...["--max-attempts", "1"],
    ]);
    expect(first.code).toBe(1);
    const deadLetter = join(dir, "first.dead-letter.ndjson");
    const records = readNdjson(deadLetter);
    expect(records.map((r) => r.error.stage)).toEqual(["api", "api", "api", "api"]);

    const e = await healthy();
    const replay = await run([deadLetter, ...common(dir, e.url, "replay")]);
    expect(replay.stderr).toBe("");
    expect(replay.code).toBe(0);
    expect(kind.sent(e)).toEqual(users([0, 1, 2, 3]));
    expect(kind.held(e)).toEqual(records.map((r) => r.payload));
  });

  it("keeps the original lines of rows that fail again; a row never mapped fails again without --map, naming --map", async () => {
    const { dir, input, map } = setup(6, new Set([1, 3]));
    const failing = await emulator({ catalog: kind.catalog, failRate: 1 });
    const argv = [input, "--map", map, ...common(dir, failing.url, "first"), "--max-attempts", "1"];
    expect((await run(argv)).code).toBe(1);
    const deadLetter = join(dir, "first.dead-letter.ndjson");
    const dead = readNdjson(deadLetter);
    expect(dead).toHaveLength(6);
    const unmapped = dead.filter((d) => d.payload === null).sort((a, b) => a.line - b.line);
    const lines = [1, 3].map((i) => kind.firstLine + i);
    expect(unmapped.map((d) => [d.line, d.error.stage])).toEqual(lines.map((l) => [l, "mapping"]));

    const stored = await healthy();
    const withoutMap = await run([deadLetter, ...common(dir, stored.url, "stored")]);
    expect(withoutMap.code).toBe(1);
    expect(kind.sent(stored).sort()).toEqual(users([0, 2, 4, 5]).sort());
    const again = readNdjson(join(dir, "stored.dead-letter.ndjson")).sort(
      (a, b) => a.line - b.line,
    );
    expect(again).toEqual(
      unmapped.map((d) =>
        expect.objectContaining({
          line: d.line,
          row: d.row,
          payload: null,
          error: { stage: "input", code: "REPLAY_NO_PAYLOAD", message: kind.neverMapped },
        }),
      ),
    );
    expect(readJson(join(dir, "stored.report.json"))).toMatchObject({
      rows: 6,
      [kind.word]: 4,
      deadLettered: 2,
      notAttempted: 0,
    });

    const mapped = await healthy();
    const withMap = await run([deadLetter, "--map", map, ...common(dir, mapped.url, "mapped")]);
    expect(withMap.code).toBe(1);
    expect(kind.sent(mapped).sort()).toEqual(users([0, 2, 4, 5]).sort());
    const failedAgain = readNdjson(join(dir, "mapped.dead-letter.ndjson"));
    expect(failedAgain.map((r) => [r.line, r.error.code]).sort()).toEqual(
      lines.map((l) => [l, kind.invalidCode]),
    );
  });

  it("with --state, a second replay counts the units the first had delivered unchanged and sends none", async () => {
    const { dir, input, map } = setup(3);
    const refusing = await kind.refusing(emulator, 3);
    expect((await run([input, "--map", map, ...common(dir, refusing.url, "first")])).code).toBe(1);
    const deadLetter = join(dir, "first.dead-letter.ndjson");
    const state = ["--state", join(dir, "state.db")];
    const replay = (url: string) => run([deadLetter, ...common(dir, url, "replay"), ...state]);
    const fixed = await healthy();
    expect((await replay(fixed.url)).code).toBe(0);
    expect(kind.sent(fixed)).toHaveLength(3);
    expect(readJson(join(dir, "replay.report.json"))).toMatchObject({ rows: 3, [kind.word]: 3 });

    const again = await healthy();
    const second = await replay(again.url);
    expect(second.code).toBe(0);
    expect(again.store.stats().requests).toBe(0);
    expect(readJson(join(dir, "replay.report.json"))).toMatchObject({
      rows: 3,
      [kind.word]: 0,
      unchanged: 3,
      deadLettered: 0,
      notAttempted: 0,
    });
    expect(second.stdout).toMatch(/3 unchanged/);
  });

  it("refuses to write the dead-letter file over its own input", async () => {
    const dir = tempDir();
    const input = write(dir, "x.ndjson", "");
    const result = await run([input, "--dead-letter", input, "--service-id", "s"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the input and --dead-letter name the same file (${input})`);
  });
});

describe("import-profiles replaying its dead-letter file", () => {
  it("without --map, a Long beyond 2^53 goes out again with the digits it was read with", async () => {
    const dir = tempDir();
    const input = write(dir, "users.ndjson", '{"id":"u1","account":9007199254740993}\n');
    const map = write(
      dir,
      "m.yaml",
      "identity:\n  external_id: id\nproperties:\n  account: { column: account, type: Long }\n",
    );
    const failing = await emulator({ failRate: 1, catalog: { account: "Long" } });
    const args = [...common(dir, failing.url, "first"), "--max-attempts", "1"];
    expect((await runCli([input, "--map", map, ...args])).code).toBe(1);
    const deadLetter = join(dir, "first.dead-letter.ndjson");
    expect(readFileSync(deadLetter, "utf8")).toContain('"account":9007199254740993');

    const healthy = await emulator({ catalog: { account: "Long" } });
    const replay = await runCli([deadLetter, ...common(dir, healthy.url, "replay")]);
    expect(replay.code).toBe(0);
    expect(healthy.store.last("external_id", "u1")).toEqual({
      account: new ExactNumber("9007199254740993"), // JSON.parse would have read …992
    });
  });

  it("keeps the original line numbers of rows that fail again", async () => {
    const dir = tempDir();
    const input = write(dir, "users.csv", "id,gender\nu1,m\nu2,f\nu3,x\nu4,m\n");
    const strict = write(
      dir,
      "strict.yaml",
      "identity:\n  external_id: id\nproperties:\n  df_gender: { column: gender, values: { m: Male } }\n",
    );
    const first = await runCli(
      [input, "--map", strict, "--dry-run", ...common(dir, "http://127.0.0.1:9", "first")],
      {},
    );
    expect(first.code).toBe(1);
    const deadLetter = join(dir, "first.dead-letter.ndjson");
    expect(readNdjson(deadLetter).map((r) => r.line)).toEqual([3, 4]);

    const fixed = write(
      dir,
      "fixed.yaml",
      "identity:\n  external_id: id\nproperties:\n  df_gender: { column: gender, values: { m: Male, f: Female } }\n",
    );
    const e = await emulator();
    const replay = await runCli([deadLetter, "--map", fixed, ...common(dir, e.url, "replay")]);
    expect(replay.code).toBe(1);
    expect(e.store.last("external_id", "u2")).toEqual({ df_gender: "Female" });
    const again = readNdjson(join(dir, "replay.dead-letter.ndjson"));
    expect(again.map((r) => [r.line, r.row.id, r.error.code])).toEqual([
      [4, "u3", "UNMAPPED_VALUE"],
    ]);
  });

  it("replays a user's rows in their original line order, so the last row still wins", async () => {
    const dir = tempDir();
    // Written as rows ended: line 3 failed mapping at once, line 2 failed at the API later.
    const record = (line: number, points: number) =>
      JSON.stringify({
        line,
        row: { id: "u1", email: "u1@example.com", points: String(points) },
        payload: null,
        error: { stage: "api", code: "40001", message: "x" },
        attempts: 1,
        at: "2026-01-01T00:00:00.000Z",
        format: "csv",
      });
    const deadLetter = write(dir, "old.dead-letter.ndjson", `${record(3, 30)}\n${record(2, 20)}\n`);
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const e = await emulator();
    const replay = await runCli([deadLetter, "--map", map, ...common(dir, e.url, "replay")]);
    expect(replay.code).toBe(0);
    expect(e.store.list().map((r) => r.user_properties?.points)).toEqual([20, 30]);
    expect(e.store.last("external_id", "u1")).toEqual({ points: 30 });
  });
});
