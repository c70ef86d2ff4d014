/**
 * Many inputs in one run, as exporters write them: a Spark folder of part files (each with its
 * header, `\"` escapes, `_SUCCESS` and `.crc` files beside them), a glob of hourly `.json.gz`
 * NDJSON files, and part files whose headers disagree. One report, one dead-letter file naming
 * each row's file and line, and the exact payloads at the emulator.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CATALOG, importEvents } from "./event-fixtures.js";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runCli,
  runFlags,
  tempDir,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

const SPARK_MAPPING = `source:
  format: csv
  dialect: mysql
identity:
  external_id: user_id
properties:
  df_name: name
  memo: memo
  points: { column: points, type: Long }
`;

const HEADER = "user_id,name,memo,points";

/** A cell as Spark's CSV writer quotes it: quotes escaped with a backslash, `escapeQuotes` on. */
const sparkCell = (text: string) =>
  /[",\n\\]/.test(text) ? `"${text.replaceAll('"', '\\"')}"` : text;

interface User {
  readonly id: string;
  readonly name: string;
  readonly memo: string;
  readonly points: string;
}

/** Part `p` of 8: five users; part 2's first memo spans two lines, part 3's fourth row is bad. */
function part(p: number): User[] {
  const users: User[] = [];
  for (let i = 0; i < 5; i++) {
    const n = p * 5 + i;
    const memo = p === 2 && i === 0 ? "첫 줄\n둘째 줄" : i === 1 ? `said "hi" ${n}` : `메모 ${n}`;
    const points = p === 3 && i === 3 ? "many" : String(n * 10);
    users.push({ id: `u${String(n).padStart(2, "0")}`, name: `고객${n}`, memo, points });
  }
  return users;
}

/** A Spark `df.write.csv(path, header=True)` folder: 8 parts, `_SUCCESS`, and a `.crc` for each. */
function sparkFolder(dir: string): string {
  const out = join(dir, "spark-out");
  mkdirSync(out);
  const crc = (name: string) =>
    writeFileSync(join(out, `.${name}.crc`), Buffer.from([0x63, 0x72, 0x63, 0, 1, 2]));
  for (let p = 0; p < 8; p++) {
    const name = `part-0000${p}-7c2a9e1d-4f7b-4d8e-9a41-3b1f0c6e2d55-c000.csv`;
    const rows = part(p).map((u) => [u.id, u.name, u.memo, u.points].map(sparkCell).join(","));
    writeFileSync(join(out, name), `${[HEADER, ...rows].join("\n")}\n`);
    crc(name);
  }
  writeFileSync(join(out, "_SUCCESS"), "");
  crc("_SUCCESS");
  return out;
}

const PART_3 = join("spark-out", "part-00003-7c2a9e1d-4f7b-4d8e-9a41-3b1f0c6e2d55-c000.csv");

describe("many inputs in one run", () => {
  it("reads a Spark folder's part files in name order, skips _SUCCESS and .crc, names each dead letter's file", async () => {
    const e = await emulator();
    const dir = tempDir();
    const folder = sparkFolder(dir);
    const map = write(dir, "m.yaml", SPARK_MAPPING);
    const r = await runCli([folder, "--map", map, ...runFlags(dir, e.url, { rate: "1000/s" })]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);

    const users = Array.from({ length: 8 }, (_, p) => part(p)).flat();
    const good = users.filter((u) => u.points !== "many");
    const sent = e.store
      .list()
      .map((q) => ({ identity: q.identity, user_properties: q.user_properties }));
    expect(
      sent.sort((a, b) =>
        String(a.identity.external_id) < String(b.identity.external_id) ? -1 : 1,
      ),
    ).toEqual(
      good.map((u) => ({
        identity: { external_id: u.id },
        user_properties: { df_name: u.name, memo: u.memo, points: Number(u.points) },
      })),
    );
    const bad = part(3)[3] as User;
    const deadLetters = readNdjson(join(dir, "dl.ndjson"));
    expect(deadLetters).toHaveLength(1);
    const notLong = '"many" is not a Long (expected an integer such as 42, -5 or 1,555,144)';
    expect({ ...deadLetters[0], at: "when" }).toEqual({
      file: join(dir, PART_3),
      line: 5,
      row: { user_id: bad.id, name: bad.name, memo: bad.memo, points: "many" },
      payload: null,
      error: {
        stage: "mapping",
        code: "INVALID_VALUE",
        message: `column "points": ${notLong}`,
        field: "points",
      },
      errors: [
        {
          stage: "mapping",
          code: "INVALID_VALUE",
          message: notLong,
          field: "points",
          column: "points",
          value: "many",
        },
      ],
      attempts: 0,
      at: "when",
      format: "csv",
    });
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({
      rows: 40,
      accepted: 39,
      deadLettered: 1,
      notAttempted: 0,
      input: folder,
      files: { count: 8, skipped: { marker: 1, checksum: 9, hidden: 0, empty: 0, finished: 0 } },
    });
    expect(r.stdout).toContain("8 files; skipped: 1 marker (_SUCCESS), 9 checksum (.crc)\n");

    // Replayed (the mapping not fixed yet): the row fails again, still named by its file and line.
    const flags = runFlags(dir, e.url, { rate: "1000/s", name: "replay" });
    const replay = await runCli([
      join(dir, "dl.ndjson"),
      "--map",
      map,
      "--format",
      "ndjson",
      ...flags,
    ]);
    expect(replay.stderr).toBe("");
    expect(replay.code).toBe(1);
    const again = readNdjson(join(dir, "replay.dead-letter.ndjson"));
    expect(again.map((d) => [d.file, d.line, d.row.user_id])).toEqual([
      [join(dir, PART_3), 5, bad.id],
    ]);
  });

  it("reads a glob of hourly .json.gz files, each decompressed on its own", async () => {
    const e = await emulator({ catalog: CATALOG });
    const dir = tempDir();
    const hourly = join(dir, "hourly");
    mkdirSync(hourly);
    const T0 = Date.UTC(2024, 4, 14, 0, 0, 0);
    const expected: { user: string; order: string; at: number; total: number }[] = [];
    for (let h = 0; h < 4; h++) {
      const lines: string[] = [];
      for (let i = 0; i < 3; i++) {
        const at = T0 + h * 3_600_000 + i * 60_000;
        const order = `o${h}-${i}`;
        expected.push({ user: `u${i}`, order, at, total: 10 + h });
        lines.push(
          JSON.stringify({
            user_id: `u${i}`,
            type: "order",
            created_at: at,
            order_id: order,
            total: 10 + h,
            line_items: [],
          }),
        );
      }
      if (h === 2)
        lines.push(
          JSON.stringify({
            user_id: "u9",
            type: "order",
            created_at: "soon",
            order_id: "late",
            total: 1,
          }),
        );
      const name = `events-2024-05-14T0${h}.json.gz`;
      writeFileSync(join(hourly, name), gzipSync(`${lines.join("\n")}\n`));
    }
    writeFileSync(join(hourly, "README.txt"), "not matched by the glob\n");
    const map = write(dir, "m.yaml", EVENTS_MAPPING);
    const r = await importEvents([
      join(hourly, "*.json.gz"),
      "--map",
      map,
      "--format",
      "ndjson",
      ...runFlags(dir, e.url, { rate: "1000/s" }),
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(readNdjson(join(dir, "dl.ndjson"))).toMatchObject([
      {
        file: join(hourly, "events-2024-05-14T02.json.gz"),
        line: 4,
        row: { order_id: "late" },
        format: "ndjson",
      },
    ]);
    // Each event whole but its id (made from its content), in the order the glob's files were read.
    const got = e.store.events().map((s) => {
      const { event_log_id, ...event } = s.event;
      expect(event_log_id).toMatch(/^[0-9a-f-]{36}$/);
      return { identity: s.identity, event };
    });
    const order = (x: { event: { event_properties?: Record<string, unknown> } }) =>
      String(x.event.event_properties?.df_order_id);
    expect(got.sort((a, b) => (order(a) < order(b) ? -1 : 1))).toEqual(
      expected.map(({ user, order, at, total }) => ({
        identity: { external_id: user },
        event: {
          event_name: "df_purchase",
          event_datetime: new Date(at).toISOString(),
          event_properties: { df_order_id: order, df_total_purchase_amount: total },
        },
      })),
    );
    expect(new Set(e.store.events().map((s) => s.event.event_log_id)).size).toBe(12);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 13,
      accepted: 12,
      deadLettered: 1,
      files: { count: 4, skipped: { hidden: 0, checksum: 0 } },
    });
  });

  it("refuses the headers of part files joined with cat: dead-lettered with the reason, never a user", async () => {
    const e = await emulator();
    const dir = tempDir();
    const parts = [0, 1, 2].map((p) =>
      [
        HEADER,
        ...part(p).map((u) => [u.id, u.name, u.memo, u.points].map(sparkCell).join(",")),
      ].join("\n"),
    );
    const map = write(dir, "m.yaml", SPARK_MAPPING);
    const flags = runFlags(dir, e.url, { rate: "1000/s" });
    const r = await runCli(
      ["-", "--map", map, "--format", "csv", ...flags],
      undefined,
      Readable.from([`${parts.join("\n")}\n`]),
    );
    expect(r.code).toBe(1);
    const ids = e.store.list().map((q) => q.identity.external_id);
    expect(ids.sort()).toEqual([0, 1, 2].flatMap((p) => part(p).map((u) => u.id)).sort());
    const header = { user_id: "user_id", name: "name", memo: "memo", points: "points" };
    // Each part is a header and five rows: the second and third headers are lines 7 and 13.
    expect(
      readNdjson(join(dir, "dl.ndjson")).map((d) => [d.line, d.row, d.error.code, d.payload]),
    ).toEqual([
      [7, header, "REPEATED_HEADER", null],
      [13, header, "REPEATED_HEADER", null],
    ]);
    expect(readNdjson(join(dir, "dl.ndjson"))[0].error.message).toContain(
      "this row repeats the header row (files joined with cat?)",
    );
  });

  it("stops before any request when the part files' headers disagree (exit 2)", async () => {
    const e = await emulator();
    const dir = tempDir();
    const folder = sparkFolder(dir);
    const late = join(folder, "part-00007-7c2a9e1d-4f7b-4d8e-9a41-3b1f0c6e2d55-c000.csv");
    writeFileSync(late, "user_id,name,note,points\nu99,x,y,1\n");
    const map = write(dir, "m.yaml", SPARK_MAPPING);
    const r = await runCli([folder, "--map", map, ...runFlags(dir, e.url, { rate: "1000/s" })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${late}:1: its header differs from ${join(folder, "part-00000-7c2a9e1d-4f7b-4d8e-9a41-3b1f0c6e2d55-c000.csv")}'s: column 3 is "note", not "memo"`,
    );
    expect(e.store.stats().requests).toBe(0);
  });
});

const EVENTS_MAPPING = `identity: { external_id: user_id }
event:
  name: { column: type, values: { order: df_purchase } }
  datetime: { column: created_at, format: epoch_ms }
properties:
  df_order_id: order_id
  df_total_purchase_amount: { column: total, type: Double }
`;
