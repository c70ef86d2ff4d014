import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { writeWorkbook, writeZip } from "../../bench/xlsx-file.js";
import { InputError } from "../../src/errors.js";
import { readSource } from "../../src/source/read.js";
import type { SourceItem } from "../../src/source/types.js";
import { ExactNumber } from "../../src/util/exact-number.js";
import { SheetDate, SheetError } from "../../src/util/sheet-values.js";
import { collect, tempDir } from "./helpers.js";
import { HEADER, writeMembersWorkbook } from "./workbook-fixture.js";

const read = (input: string, sheet?: string | number) =>
  collect(readSource({ input, format: "xlsx", ...(sheet === undefined ? {} : { sheet }) }));

/** Items as JSON: a date cell as its text, an error cell as its code, a long number as its digits. */
const asJson = (items: SourceItem[]) => JSON.parse(JSON.stringify(items));

const EMPTY_ROW = {
  user_id: "",
  이름: "",
  points: "",
  joined: "",
  last_seen: "",
  total: "",
  memo: "",
  phone: "",
  agree: "",
  visit: "",
};

const MEMBERS = [
  {
    kind: "header",
    columns: HEADER,
  },
  {
    kind: "row",
    line: 2,
    cells: {
      user_id: "u1",
      이름: "김철수",
      points: 1500,
      joined: "2024-03-01",
      last_seen: "2024-03-01T09:00:00",
      total: 3000,
      memo: '첫 줄\r\n둘째 & "셋째"',
      phone: 1012345678,
      agree: true,
      visit: "12:00:00",
    },
  },
  {
    kind: "row",
    line: 3,
    cells: {
      ...EMPTY_ROW,
      user_id: "u2",
      이름: "이영희",
      joined: "2024-03-02",
      last_seen: "2024-03-02T12:00:00",
      total: "#DIV/0!",
      memo: "메모 이영희",
      phone: "12345678901234567890",
      agree: false,
    },
  },
  { kind: "row", line: 5, cells: { ...EMPTY_ROW, user_id: "u3", 이름: "山田", points: 0.1 } },
  {
    kind: "invalid",
    line: 7,
    raw: { ...EMPTY_ROW, user_id: "u4", K: "메모 칸 밖" },
    failure: {
      stage: "input",
      code: "SHEET_NO_HEADER",
      message: "cell K7 holds a value, but column K has no header",
    },
  },
];

describe("an .xlsx workbook", () => {
  it("reads the first visible sheet: cells as Excel holds them, rows numbered as in Excel", async () => {
    const path = join(await tempDir(), "members.xlsx");
    await writeMembersWorkbook(path);
    const items = await read(path);
    expect(asJson(items)).toEqual(MEMBERS);
    const [, first, second] = items as Extract<SourceItem, { kind: "row" }>[];
    expect(first?.cells.joined).toBeInstanceOf(SheetDate);
    expect(first?.cells.last_seen).toBeInstanceOf(SheetDate);
    expect(second?.cells.total).toEqual(new SheetError("#DIV/0!"));
    expect(second?.cells.phone).toEqual(new ExactNumber("12345678901234567890"));
  });

  it("reads dates in the 1904 date system as the same days", async () => {
    const path = join(await tempDir(), "members-1904.xlsx");
    await writeMembersWorkbook(path, true);
    expect(asJson(await read(path))).toEqual(MEMBERS);
  });

  it("reads another sheet by name or by its number in tab order", async () => {
    const path = join(await tempDir(), "members.xlsx");
    await writeMembersWorkbook(path);
    const orders = [
      { kind: "header", columns: ["order_id", "amount"] },
      { kind: "row", line: 2, cells: { order_id: "o-1", amount: 12.5 } },
    ];
    expect(asJson(await read(path, "orders"))).toEqual(orders);
    expect(asJson(await read(path, "ORDERS"))).toEqual(orders);
    expect(asJson(await read(path, 3))).toEqual(orders);
    expect(asJson(await read(path, "1"))).toEqual([{ kind: "header", columns: ["key"] }]);
  });

  it("names the sheets when the one asked for is not there", async () => {
    const path = join(await tempDir(), "members.xlsx");
    await writeMembersWorkbook(path);
    await expect(read(path, "주문")).rejects.toThrow(
      `${path}: has no sheet "주문"; its sheets: "설정", "회원", "orders" (or a number from 1 to 3)`,
    );
  });

  it("refuses a legacy .xls, a text file and a zip that is no workbook, each by what it is", async () => {
    const dir = await tempDir();
    const xls = join(dir, "old.xls");
    writeFileSync(xls, Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(504)]));
    await expect(read(xls)).rejects.toThrow(
      `${xls}: is a legacy Excel workbook (.xls, the binary format of Excel 97-2003; a password-protected .xlsx is stored the same way), which is not read`,
    );
    const csv = join(dir, "users.xlsx");
    writeFileSync(csv, "user_id,name\nu1,Kim\n");
    await expect(read(csv)).rejects.toThrow(`${csv}: is not an Excel workbook`);
    const zip = join(dir, "photos.xlsx");
    await writeZip(zip, { "photo.jpg": "not a workbook" });
    const error = await read(zip).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `${zip}: is a zip archive but not an Excel workbook (it has no workbook part)`,
    );
  });

  it("reads 100,000 rows holding a bounded share of what it read", async () => {
    const path = join(await tempDir(), "big.xlsx");
    const rows = 100_000;
    await writeWorkbook(path, {
      sheets: [{ name: "users", rows: bigRows(rows) }],
      strings: ["user_id", "grade", "points", "gold", "silver"],
    });
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const heapAt = new Map<number, number>();
    let count = 0;
    for await (const item of readSource({ input: path, format: "xlsx" })) {
      if (item.kind !== "row") continue;
      count++;
      if (count === 10_000 || count === rows) {
        gc();
        heapAt.set(count, process.memoryUsage().heapUsed);
      }
    }
    expect(count).toBe(rows);
    // Between row 10,000 and the last, the reader went through the XML of 90,000 rows; what it
    // still holds after a collection is a small share of it (a reader that kept its rows would
    // hold several times that XML as objects).
    const xmlRead = [...bigRows(rows)].slice(10_000).join("").length;
    const held = (heapAt.get(rows) as number) - (heapAt.get(10_000) as number);
    expect(held / xmlRead).toBeLessThan(0.05);
  }, 120_000);
});

function* bigRows(rows: number): Generator<string> {
  yield `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>`;
  for (let i = 2; i <= rows + 1; i++) {
    yield `<row r="${i}"><c r="A${i}"><v>${i}</v></c><c r="B${i}" t="s"><v>${i % 2 === 0 ? 3 : 4}</v></c><c r="C${i}"><v>${i * 1.5}</v></c></row>`;
  }
}
