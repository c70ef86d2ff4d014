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
  usersCsv,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

const common = (dir: string, url: string, name: string) =>
  runFlags(dir, url, { rate: "1000/s", name });

describe("replaying a dead-letter file", () => {
  it("after the property is registered, re-maps the original rows and delivers them all", async () => {
    const dir = tempDir();
    const input = write(dir, "users.csv", usersCsv(6));
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const before = await emulator({ catalog: { other: "String" } }); // points not registered yet
    const first = await runCli([input, "--map", map, ...common(dir, before.url, "first")]);
    expect(first.code).toBe(1);
    const deadLetter = join(dir, "first.dead-letter.ndjson");
    expect(readNdjson(deadLetter)).toHaveLength(6);

    const after = await emulator({ catalog: { points: "Long" } }); // registered in the console
    const replay = await runCli([deadLetter, "--map", map, ...common(dir, after.url, "replay")]);
    expect(replay.code).toBe(0);
    expect(readJson(join(dir, "replay.report.json"))).toMatchObject({ rows: 6, accepted: 6 });
    expect(after.store.last("external_id", "u5")).toEqual({ points: 5 });
  });

  it("without --map, re-sends the stored payloads as they were", async () => {
    const dir = tempDir();
    const input = write(dir, "users.csv", usersCsv(4));
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const failing = await emulator({ failRate: 1 });
    const first = await runCli([
      input,
      "--map",
      map,
      ...common(dir, failing.url, "first"),
      "--max-attempts",
      "1",
    ]);
    expect(first.code).toBe(1);
    const deadLetter = join(dir, "first.dead-letter.ndjson");
    expect(readNdjson(deadLetter).map((r) => r.error.stage)).toEqual(["api", "api", "api", "api"]);

    const healthy = await emulator();
    const replay = await runCli([deadLetter, ...common(dir, healthy.url, "replay")]);
    expect(replay.code).toBe(0);
    expect(healthy.store.list().map((r) => r.identity.external_id)).toEqual([
      "u0",
      "u1",
      "u2",
      "u3",
    ]);
  });

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

  it("refuses to write the dead-letter file over its own input", async () => {
    const dir = tempDir();
    const input = write(dir, "x.ndjson", "");
    const result = await runCli([input, "--dead-letter", input, "--service-id", "s"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the input and --dead-letter name the same file (${input})`);
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
