/**
 * Excel workbooks end to end: a members workbook as Korean Excel saves it (workbook-fixture.ts)
 * imported into the emulator, exact payloads and dead letters; another sheet by --sheet; `init`
 * drafting from it; a legacy .xls and a workbook named .csv refused before any request (exit 2),
 * each by what it is.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeMembersWorkbook } from "../source/workbook-fixture.js";
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

const MAPPING = `source:
  timezone: Asia/Seoul
identity:
  external_id: user_id
properties:
  df_name: 이름
  points: { column: points, type: Double }
  joined: { column: joined, type: Date }
  last_seen: { column: last_seen, type: Datetime }
  total: { column: total, type: Double }
  memo: memo
  phone: phone
  agree: { column: agree, type: Boolean }
  visit: visit
`;

function sent(e: Awaited<ReturnType<typeof emulator>>) {
  return e.store.list().map((r) => ({ identity: r.identity, user_properties: r.user_properties }));
}

describe("an .xlsx input", () => {
  it("sends each row's cells as Excel holds them: numbers, dates, texts, cached formula values", async () => {
    const e = await emulator();
    const dir = tempDir();
    const input = join(dir, "members.xlsx");
    await writeMembersWorkbook(input);
    const map = write(dir, "m.yaml", MAPPING);
    const result = await runCli([input, "--map", map, ...runFlags(dir, e.url, { rate: "1000/s" })]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    expect(sent(e)).toEqual([
      {
        identity: { external_id: "u1" },
        user_properties: {
          df_name: "김철수",
          points: 1500,
          joined: "2024-03-01",
          last_seen: "2024-03-01T00:00:00.000Z",
          total: 3000,
          memo: '첫 줄\r\n둘째 & "셋째"',
          phone: "1012345678",
          agree: true,
          visit: "12:00:00",
        },
      },
      { identity: { external_id: "u3" }, user_properties: { df_name: "山田", points: 0.1 } },
    ]);
    const dead = readNdjson(join(dir, "dl.ndjson"));
    expect(dead.map((d) => [d.line, d.error.code, d.error.message])).toEqual([
      [3, "INVALID_VALUE", 'column "total": the cell holds the Excel error #DIV/0!'],
      [7, "SHEET_NO_HEADER", "cell K7 holds a value, but column K has no header"],
    ]);
    expect(dead[0].row).toMatchObject({ last_seen: "2024-03-02T12:00:00", total: "#DIV/0!" });
    expect(readFileSync(join(dir, "dl.ndjson"), "utf8")).toContain('"phone":12345678901234567890');
    expect(readJson(join(dir, "report.json"))).toMatchObject({ rows: 4, accepted: 2 });

    // The dead letters replayed: a row mapped again from its cells, at its line in the sheet; the
    // row the reader refused stays refused (its stray cell is not dropped by a mapping).
    const again = join(dir, "again");
    const replay = await runCli([
      join(dir, "dl.ndjson"),
      "--map",
      map,
      ...runFlags(dir, e.url, { rate: "1000/s", name: "again" }),
    ]);
    expect(replay.code).toBe(1);
    const still = readNdjson(`${again}.dead-letter.ndjson`);
    expect(still.map((d) => [d.line, d.error.code, d.error.message])).toEqual([
      [
        3,
        "INVALID_VALUE",
        'column "total": "#DIV/0!" is not a Double (expected a number such as -1.5, 1,234.5 or 1e3)',
      ],
      [
        7,
        "REPLAY_UNREADABLE",
        "this row could not be read in the original file; correct it there and import it again",
      ],
    ]);
    expect(sent(e)).toHaveLength(2);
  });

  it("reads the sheet --sheet names", async () => {
    const e = await emulator();
    const dir = tempDir();
    const input = join(dir, "members.xlsx");
    await writeMembersWorkbook(input);
    const map = write(
      dir,
      "m.yaml",
      "identity:\n  external_id: order_id\nproperties:\n  amount: { column: amount, type: Double }\n",
    );
    const flags = runFlags(dir, e.url, { rate: "1000/s" });
    const result = await runCli([input, "--map", map, "--sheet", "orders", ...flags]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(sent(e)).toEqual([
      { identity: { external_id: "o-1" }, user_properties: { amount: 12.5 } },
    ]);
  });

  it("init drafts a mapping from a workbook's first sheet, its date cells as dates", async () => {
    const dir = tempDir();
    const input = join(dir, "members.xlsx");
    await writeMembersWorkbook(input);
    const out = join(dir, "draft.yaml");
    const result = await runCli(["init", input, "--out", out], {}, undefined, "dfinery-import");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`wrote ${out} (xlsx, 10 columns)`);
    const draft = readFileSync(out, "utf8");
    expect(draft).toContain("  format: xlsx");
    expect(draft).toContain('joined: { column: "joined", type: Date }');
    expect(draft).toContain('last_seen: { column: "last_seen", type: Datetime }');
    // The error cell (#DIV/0!) is no value: the column's one number makes it a Long.
    expect(draft).toContain('total: { column: "total", type: Long }');
  });

  it("refuses a legacy .xls and a workbook named .csv before any request, saying what to do", async () => {
    const e = await emulator();
    const dir = tempDir();
    const map = write(dir, "m.yaml", MAPPING);
    const flags = runFlags(dir, e.url, { rate: "1000/s" });
    const xls = join(dir, "members.xls");
    writeFileSync(xls, Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(1024)]));
    const legacy = await runCli([xls, "--map", map, "--format", "xlsx", ...flags]);
    expect(legacy.code).toBe(2);
    expect(legacy.stderr).toContain(
      `${xls}: is a legacy Excel workbook (.xls, the binary format of Excel 97-2003; a password-protected .xlsx is stored the same way), which is not read: open it in Excel or LibreOffice and save it as .xlsx without a password`,
    );
    const asText = await runCli([xls, "--map", map, "--format", "csv", ...flags]);
    expect(asText.code).toBe(2);
    expect(asText.stderr).toContain(`${xls}: is a legacy Excel workbook (.xls`);
    const named = join(dir, "members.csv");
    await writeMembersWorkbook(named);
    const zip = await runCli([named, "--map", map, ...flags]);
    expect(zip.code).toBe(2);
    expect(zip.stderr).toContain(
      `${named}: is an Excel workbook (.xlsx), not text: read it with --format xlsx (or source.format: xlsx)`,
    );
    expect(e.store.list()).toEqual([]);
    expect(existsSync(join(dir, "dl.ndjson"))).toBe(false);
  });
});
