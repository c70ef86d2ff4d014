/**
 * A nightly `--state` run knows a row unchanged as read, before mapping it (state/row-key.ts):
 * only the rows it does not know are mapped, and exactly the changed ones are sent. A changed
 * mapping or format maps every row again; a state file of the version before keeps working; a
 * row of a user whose unit is in flight, or grouped with another, is never taken as known.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { applyMapping } from "../../src/mapping/apply.js";
import { SCHEMA_VERSION } from "../../src/state/schema.js";
import { BEFORE_ROW_KEYS } from "../state/helpers.js";
import {
  emulatorPerTest,
  readJson,
  runCli,
  runFlags,
  spawnCli,
  TOKEN,
  tempDir,
  write,
} from "./helpers.js";

// Every mapping of a profile row goes through applyMapping: counted, and otherwise itself.
vi.mock("../../src/mapping/apply.js", async (original) => {
  const real = await original<typeof import("../../src/mapping/apply.js")>();
  return { ...real, applyMapping: vi.fn(real.applyMapping) };
});
const mapped = vi.mocked(applyMapping);

const emulator = emulatorPerTest();

const MAPPING = `identity:
  external_id: id
  email: email
properties:
  points: { column: points, type: Long }
  tier: tier
`;

/** Row i: user u<i>, points i (or 9i for a changed row), tier Gold for every 4th, else gold. */
function csv(rows: number, changed: ReadonlySet<number> = new Set()): string {
  const lines = ["id,email,points,tier"];
  for (let i = 0; i < rows; i++) {
    const points = changed.has(i) ? `9${i}` : `${i}`;
    lines.push(`u${i},user${i}@example.com,${points},${i % 4 === 0 ? "Gold" : "gold"}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The external ids of the profile updates the emulator received, in order. */
const sent = (e: Awaited<ReturnType<typeof emulator>>) =>
  e.store.list().map((r) => String(r.identity.external_id));

function setup(text: string, mapping = MAPPING) {
  const dir = tempDir();
  write(dir, "m.yaml", mapping);
  return { dir, input: write(dir, "users.csv", text) };
}

async function run(dir: string, input: string, url: string, extra: readonly string[] = []) {
  const flags = runFlags(dir, url, { rate: "2000/s", state: true });
  const result = await runCli([input, "--map", join(dir, "m.yaml"), ...flags, ...extra]);
  expect(result.stderr).toBe("");
  return result;
}

beforeEach(() => {
  mapped.mockClear();
});

describe("import-profiles --state, rows known as read", () => {
  it("maps only the rows it does not know unchanged, and sends exactly the changed ones", async () => {
    const e = await emulator();
    const { dir, input } = setup(csv(200));
    expect((await run(dir, input, e.url)).code).toBe(0);
    expect(mapped).toHaveBeenCalledTimes(200);
    write(dir, "users.csv", csv(200, new Set([5, 77, 150])));
    e.store.clear();
    mapped.mockClear();
    expect((await run(dir, input, e.url)).code).toBe(0);
    expect(sent(e)).toEqual(["u5", "u77", "u150"]);
    expect(mapped).toHaveBeenCalledTimes(3);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 200,
      accepted: 3,
      unchanged: 197,
    });
    // Once more over the same file: nothing mapped, nothing sent.
    e.store.clear();
    mapped.mockClear();
    expect((await run(dir, input, e.url)).code).toBe(0);
    expect(sent(e)).toEqual([]);
    expect(mapped).not.toHaveBeenCalled();
    // The rows are named by keyed hashes: no identifier or cell is in the file in clear.
    const bytes = readFileSync(join(dir, "state.db")).toString("latin1");
    expect(bytes).not.toContain("user5@example.com");
    expect(bytes).not.toMatch(/u150\b/);
  });

  it("maps every row again under a changed mapping, and sends those whose payload changed", async () => {
    const e = await emulator();
    const { dir, input } = setup(csv(40));
    expect((await run(dir, input, e.url)).code).toBe(0);
    write(
      dir,
      "m.yaml",
      MAPPING.replace("tier: tier", "tier: { column: tier, transform: [lowercase] }"),
    );
    e.store.clear();
    mapped.mockClear();
    expect((await run(dir, input, e.url)).code).toBe(0);
    expect(mapped).toHaveBeenCalledTimes(40);
    // Only the Gold rows (every 4th) map to another tier.
    expect(sent(e)).toEqual(Array.from({ length: 10 }, (_, k) => `u${4 * k}`));
    mapped.mockClear();
    e.store.clear();
    expect((await run(dir, input, e.url)).code).toBe(0);
    expect(mapped).not.toHaveBeenCalled();
    expect(sent(e)).toEqual([]);
  });

  it("maps every row again when the same rows are read in another format", async () => {
    const e = await emulator();
    const { dir, input } = setup(csv(30));
    expect((await run(dir, input, e.url)).code).toBe(0);
    const records = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({
        id: `u${i}`,
        email: `user${i}@example.com`,
        points: i,
        tier: i % 4 === 0 ? "Gold" : "gold",
      }),
    );
    const ndjson = write(dir, "users.ndjson", `${records.join("\n")}\n`);
    e.store.clear();
    mapped.mockClear();
    expect((await run(dir, ndjson, e.url)).code).toBe(0);
    expect(mapped).toHaveBeenCalledTimes(30); // other cells, other keys: mapped, found unchanged
    expect(sent(e)).toEqual([]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({ unchanged: 30 });
  });

  it("works with a state file of the version before, noting rows as it finds them unchanged", async () => {
    const e = await emulator();
    const { dir, input } = setup(csv(100));
    expect((await run(dir, input, e.url)).code).toBe(0);
    const db = new Database(join(dir, "state.db"));
    db.exec(BEFORE_ROW_KEYS);
    db.pragma("user_version = 7");
    db.close();
    write(dir, "users.csv", csv(100, new Set([3, 60])));
    e.store.clear();
    mapped.mockClear();
    expect((await run(dir, input, e.url)).code).toBe(0);
    expect(sent(e)).toEqual(["u3", "u60"]); // the first night after: only what changed
    expect(mapped).toHaveBeenCalledTimes(100);
    write(dir, "users.csv", csv(100, new Set([3, 60, 99])));
    e.store.clear();
    mapped.mockClear();
    expect((await run(dir, input, e.url)).code).toBe(0);
    expect(sent(e)).toEqual(["u99"]);
    expect(mapped).toHaveBeenCalledTimes(1);
    const migrated = new Database(join(dir, "state.db"), { readonly: true });
    expect(migrated.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    migrated.close();
  });

  it("maps a known row whose user has a unit in flight: it waits its turn and is sent", async () => {
    // Night one: u1 with 1 point. Night two: u1 with 2 points, then the very row of night one.
    // When the second row is read the first is in flight: what DFINERY will hold is not known.
    const e = await emulator({ latencyMs: 300 });
    const row = (points: number) => `u1,user1@example.com,${points},gold`;
    const { dir, input } = setup(`id,email,points,tier\n${row(1)}\n`);
    expect((await run(dir, input, e.url)).code).toBe(0);
    write(dir, "users.csv", `id,email,points,tier\n${row(2)}\n${row(1)}\n`);
    e.store.clear();
    mapped.mockClear();
    expect((await run(dir, input, e.url)).code).toBe(0);
    expect(e.store.list().map((r) => r.user_properties?.points)).toEqual([2, 1]);
    expect(mapped).toHaveBeenCalledTimes(2);
    expect(readJson(join(dir, "report.json"))).toMatchObject({ accepted: 2, unchanged: 0 });
  });

  it("with --group-by-identity maps every row: a known row may merge with another", async () => {
    // Night one, one row at a time: u1 has points, then a tier. Grouped, u1's rows are one update
    // of both, which is not what DFINERY was last sent (the tier alone).
    const e = await emulator();
    const { dir, input } = setup(
      "id,email,points,tier\nu1,user1@example.com,7,\nu1,user1@example.com,,gold\n",
    );
    expect((await run(dir, input, e.url)).code).toBe(0);
    e.store.clear();
    mapped.mockClear();
    expect((await run(dir, input, e.url, ["--group-by-identity"])).code).toBe(0);
    expect(e.store.list().map((r) => r.user_properties)).toEqual([{ points: 7, tier: "gold" }]);
  });

  it("as the built bin runs it, its known rows read as it starts: a reverted row is sent again", async () => {
    const e = await emulator();
    const { dir, input } = setup(csv(200));
    const night = async () => {
      const flags = runFlags(dir, e.url, { rate: "2000/s", state: true });
      const argv = [input, "--map", join(dir, "m.yaml"), ...flags];
      const child = spawnCli(argv, { DFINERY_ACCESS_TOKEN: TOKEN }, dir);
      expect(await child.exited).toEqual({ code: 0, signal: null });
      expect(child.stderr()).toBe("");
      const sentNow = sent(e);
      e.store.clear();
      return sentNow;
    };
    expect(await night()).toHaveLength(200);
    write(dir, "users.csv", csv(200, new Set([5, 77, 150])));
    expect(await night()).toEqual(["u5", "u77", "u150"]);
    // Back as on the first night: those rows' keys of then no longer map to what DFINERY holds.
    write(dir, "users.csv", csv(200));
    expect(await night()).toEqual(["u5", "u77", "u150"]);
    expect(await night()).toEqual([]);
  });
});
