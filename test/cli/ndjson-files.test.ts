/**
 * NDJSON as backends export it: 64-bit ids, nested arrays, numbers beyond a double. The payloads
 * the emulator received and the dead letters are asserted exactly; the emulator reads bodies
 * losslessly (as DFINERY does), so a Long it stores as an ExactNumber was sent with its digits.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Program } from "../../src/cli/args.js";
import { ExactNumber, parseJson } from "../../src/util/exact-number.js";
import { CATALOG, flags, importEvents, ORDERS_MAPPING, ordersNdjson } from "./event-fixtures.js";
import { emulatorPerTest, importFile, readJson, runCli, tempDir, write } from "./helpers.js";

const emulator = emulatorPerTest();

const FIRST_ID = 9007199254740993n;

/** The batch wait at its least: a stall timer of 0 ms. */
const WAIT_0 = ["--batch-wait", "0ms"];

/** A dry run of `text` (NDJSON) with `mapping`: its result and its report. */
async function dryRun(program: Program, text: string, mapping: string) {
  const dir = tempDir();
  const input = write(dir, "in.ndjson", text);
  const map = write(dir, "m.yaml", mapping);
  const report = join(dir, "report.json");
  const argv = [input, "--map", map, "--dry-run"];
  const outputs = ["--dead-letter", join(dir, "dl.ndjson"), "--report", report];
  const result = await runCli([...argv, ...outputs], undefined, undefined, program);
  return { result, report: readJson(report) };
} // 2^53 + 1: JSON.parse would read …992

/** 20 users; user 7 has no addresses, user 13 an account number beyond 64 bits. */
function usersNdjson(): string {
  const lines: string[] = [];
  for (let i = 0; i < 20; i++) {
    const id = FIRST_ID + BigInt(i);
    const account = i === 13 ? "99999999999999999999" : String(1234567890123456789n + BigInt(i));
    const addresses = i === 7 ? "[]" : `[{"city":"Seoul ${i}"},{"city":"Busan"}]`;
    lines.push(
      `{"id":${id},"profile":{"addresses":${addresses},"account":${account},"score":${i}.5}}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

const MAPPING = `source:
  format: ndjson
identity:
  external_id: id
properties:
  city: "profile.addresses[0].city"
  second_city: profile.addresses.1.city
  account_no: { column: profile.account, type: Long }
  score: { column: profile.score, type: Double }
`;

describe("NDJSON with 64-bit ids, array paths and big numbers", () => {
  it("sends ids and Longs beyond 2^53 with their exact digits; a dead letter shows the value as written", async () => {
    const e = await emulator({
      catalog: { city: "String", second_city: "String", account_no: "Long", score: "Double" },
    });
    const dir = tempDir();
    const result = await importFile(dir, e.url, "users.ndjson", usersNdjson(), MAPPING);
    expect(result.code).toBe(1);
    const sent = e.store
      .list()
      .map((r) => ({ identity: r.identity, user_properties: r.user_properties }));
    const expected = [];
    for (let i = 0; i < 20; i++) {
      if (i === 13) continue;
      expected.push({
        identity: { external_id: String(FIRST_ID + BigInt(i)) },
        user_properties: {
          ...(i === 7 ? {} : { city: `Seoul ${i}`, second_city: "Busan" }),
          account_no: new ExactNumber(String(1234567890123456789n + BigInt(i))),
          score: i + 0.5,
        },
      });
    }
    const byId = (
      a: { identity: { external_id?: string } },
      b: { identity: { external_id?: string } },
    ) => (a.identity.external_id ?? "").localeCompare(b.identity.external_id ?? "");
    expect(sent.sort(byId)).toEqual(expected.sort(byId));
    const deadText = readFileSync(join(dir, "dl.ndjson"), "utf8");
    // The row as the file wrote it, digits and all (line 14 of the input, byte for byte).
    expect(deadText).toContain(`"row":${usersNdjson().split("\n")[13]}`);
    const dead = deadText
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => parseJson(l));
    expect(dead).toEqual([
      expect.objectContaining({
        line: 14,
        row: {
          id: new ExactNumber("9007199254741006"),
          profile: {
            addresses: [{ city: "Seoul 13" }, { city: "Busan" }],
            account: new ExactNumber("99999999999999999999"),
            score: 13.5,
          },
        },
        error: {
          stage: "mapping",
          code: "INVALID_VALUE",
          field: "account_no",
          message:
            'column "profile.account": 99999999999999999999 is beyond the range of a Long (±9,223,372,036,854,775,807)',
        },
      }),
    ]);
  });

  it("refuses a path no record has, before any request, with a did-you-mean (exit 2)", async () => {
    const e = await emulator();
    const dir = tempDir();
    const mapping = MAPPING.replace("profile.addresses.1.city", "profile.adresses.1.city");
    const result = await importFile(dir, e.url, "users.ndjson", usersNdjson(), mapping);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `the mapping reads a path that none of the first 20 records has:\n  "profile.adresses.1.city" (properties.second_city); did you mean "profile.addresses.1.city"?`,
    );
    expect(e.store.stats().requests).toBe(0);
  });

  it("--dry-run reports in how many rows each mapped path was present", async () => {
    const { result, report } = await dryRun("import-profiles", usersNdjson(), MAPPING);
    expect(result.code).toBe(1); // the account beyond 64 bits
    expect(report.paths).toEqual({
      records: 20,
      present: {
        id: 20,
        "profile.addresses[0].city": 19,
        "profile.addresses.1.city": 19,
        "profile.account": 20,
        "profile.score": 20,
      },
    });
    expect(result.stdout).toContain(
      "paths present, in rows of 20: id 20, profile.addresses[0].city 19, profile.addresses.1.city 19, profile.account 20, profile.score 20",
    );
  });
});

describe("import-events checks its NDJSON paths as import-profiles does", () => {
  it("refuses a path no record has, before any request, with a did-you-mean (exit 2)", async () => {
    const e = await emulator({ catalog: CATALOG });
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", ordersNdjson(30, 3));
    const typos = ORDERS_MAPPING.replace("df_order_id: order_id", "df_order_id: orderid").replace(
      "from: line_items",
      "from: line_item",
    );
    const map = write(dir, "events.yaml", typos);
    const result = await importEvents([input, "--map", map, ...flags(dir, e.url)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `the mapping reads 2 paths that none of the first 30 records has:\n  "orderid" (properties.df_order_id); did you mean "order_id"?\n  "line_item" (items.from); did you mean "line_items"?`,
    );
    expect(e.store.stats().requests).toBe(0);
  });

  // The sample is read whole from a file, however slow the machine: a timer that cut it (the
  // batch wait, for a stalling pipe) left the check with fewer records, or none, under load.
  it("checks the paths against a file's whole sample, even with --batch-wait 0ms (exit 2)", async () => {
    const e = await emulator({ catalog: CATALOG });
    const dir = tempDir();
    // A first record of 2 MB: read in many chunks, each a turn of the event loop.
    const orders = ordersNdjson(30, 3).replace("{", `{"note":"${"x".repeat(2 ** 21)}",`);
    const input = write(dir, "orders.ndjson", orders);
    const map = write(dir, "events.yaml", ORDERS_MAPPING.replace("user_id", "userid"));
    const result = await importEvents([input, "--map", map, ...flags(dir, e.url, WAIT_0)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("none of the first 30 records has");
    expect(e.store.stats().requests).toBe(0);
  });

  it("on stdin, checks the paths once a record has come, however late (exit 2)", async () => {
    const e = await emulator({ catalog: CATALOG });
    const dir = tempDir();
    const map = write(dir, "events.yaml", ORDERS_MAPPING.replace("user_id", "userid"));
    const stdin = new PassThrough();
    const argv = ["-", "--format", "ndjson", "--map", map, ...flags(dir, e.url, WAIT_0)];
    const running = runCli(argv, undefined, stdin, "import-events");
    // The export starts late: the batch wait has long passed before its first record.
    setTimeout(() => stdin.end(ordersNdjson(30, 3)), 100);
    const result = await running;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"userid"');
    expect(e.store.stats().requests).toBe(0);
  });

  it("--dry-run reports in how many rows each mapped path was present, the event's too", async () => {
    // 14 events of 2 users; events 0 and 7 are sign-ups, without an order id, total or items.
    const { result, report } = await dryRun("import-events", ordersNdjson(14, 2), ORDERS_MAPPING);
    expect(result.code).toBe(0);
    expect(report.paths).toEqual({
      records: 14,
      present: { user_id: 14, order_id: 12, total: 12, type: 14, created_at: 14, line_items: 12 },
    });
    expect(result.stdout).toContain(
      "paths present, in rows of 14: user_id 14, order_id 12, total 12, type 14, created_at 14, line_items 12",
    );
  });
});

/**
 * 16 or more digits split by a '.' or followed by an exponent: JSON.parse would round them
 * (12345678901234.568, 9007199254740992), so the value sent or dead-lettered would not be the file's.
 */
describe("NDJSON numbers with 16 or more digits around a '.' or before an exponent", () => {
  const lines = [
    '{"user_id":"u1","created_at":1715666400000,"code":12345678901234.5678,"big":1}',
    '{"user_id":"u2","created_at":1715666400000,"code":"c2","big":9.007199254740993e15}',
  ];
  const text = `${lines.join("\n")}\n`;

  /** The dead letters of dir/dl.ndjson: line 2 only, its row as the file wrote it. */
  function expectLine2DeadLettered(dir: string, field: string): void {
    const deadText = readFileSync(join(dir, "dl.ndjson"), "utf8");
    expect(deadText).toContain(`"row":${lines[1]}`);
    const dead = deadText
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => parseJson(l));
    expect(dead).toEqual([
      expect.objectContaining({
        line: 2,
        row: expect.objectContaining({ big: new ExactNumber("9.007199254740993e15") }),
        error: expect.objectContaining({
          code: "INVALID_VALUE",
          field,
          message: expect.stringContaining('column "big": 9.007199254740993e15 is not a Long'),
        }),
      }),
    ]);
  }

  it("import-profiles sends a String as written and dead-letters the Long as written", async () => {
    const e = await emulator({ catalog: { code: "String", big: "Long" } });
    const dir = tempDir();
    const mapping = `source:
  format: ndjson
identity:
  external_id: user_id
properties:
  code: code
  big: { column: big, type: Long }
`;
    const result = await importFile(dir, e.url, "users.ndjson", text, mapping);
    expect(result.code).toBe(1);
    expect(e.store.list().map((r) => r.user_properties)).toEqual([
      { code: "12345678901234.5678", big: 1 },
    ]);
    expectLine2DeadLettered(dir, "big");
  });

  it("import-events sends a String as written and dead-letters the Long as written", async () => {
    const e = await emulator({
      catalog: { events: { df_purchase: { properties: { df_order_id: "String", big: "Long" } } } },
    });
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", text);
    const map = write(
      dir,
      "events.yaml",
      `identity: { external_id: user_id }
event:
  name: { value: df_purchase }
  datetime: { column: created_at, format: epoch_ms }
properties:
  df_order_id: code
  big: { column: big, type: Long }
`,
    );
    const result = await importEvents([input, "--map", map, ...flags(dir, e.url)]);
    expect(result.code).toBe(1);
    expect(e.store.events().map((s) => s.event.event_properties)).toEqual([
      { df_order_id: "12345678901234.5678", big: 1 },
    ]);
    expectLine2DeadLettered(dir, "big");
  });
});
