import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/seeded-random.js";
import {
  RowKeys,
  RowTexts,
  rowDigestOfText,
  rowKeyOfText,
  rowText,
} from "../../src/state/row-key.js";
import { ExactNumber } from "../../src/util/exact-number.js";

const KEY = Buffer.alloc(32, 3);
const CONTEXT = { command: "import-profiles", mapping: "mapping-a", delimiter: "," };

describe("a row's key as read", () => {
  it("is the same for the same cells, and 22 characters of base64url", () => {
    const keys = new RowKeys(KEY, CONTEXT);
    const key = keys.of({ id: "u1", email: "a@example.com" }, "csv");
    expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(keys.of({ id: "u1", email: "a@example.com" }, "csv")).toBe(key);
    expect(new RowKeys(KEY, { ...CONTEXT }).of({ id: "u1", email: "a@example.com" }, "csv")).toBe(
      key,
    );
  });

  it("differs with anything that could change the mapping: the context, the key, the format", () => {
    const cells = { id: "u1", email: "a@example.com" };
    const base = new RowKeys(KEY, CONTEXT).of(cells, "csv");
    const others = [
      new RowKeys(KEY, { ...CONTEXT, mapping: "mapping-b" }).of(cells, "csv"),
      new RowKeys(KEY, { ...CONTEXT, command: "dfinery-import identities" }).of(cells, "csv"),
      new RowKeys(Buffer.alloc(32, 4), CONTEXT).of(cells, "csv"),
      new RowKeys(KEY, CONTEXT).of(cells, "tsv"),
      new RowKeys(KEY, CONTEXT).of(cells, "ndjson"),
      new RowKeys(KEY, { ...CONTEXT, delimiter: ";" }).of(cells, "csv"),
    ];
    expect(new Set([base, ...others]).size).toBe(7);
  });

  it("tells apart every two rows a mapping could tell apart", () => {
    const rows: Record<string, unknown>[] = [
      { a: "1", b: "2" },
      { b: "2", a: "1" }, // the same cells in another order
      { a: "1", b: null }, // a database's NULL
      { a: "1", b: "null" },
      { a: "1" },
      { a: "1", b: undefined },
      { a: 1 },
      { a: -0 },
      { a: 0 },
      { a: Number.NaN },
      { a: null },
      { a: "12345678901234567890" },
      { a: new ExactNumber("12345678901234567890") },
      { a: { text: "12345678901234567890" } },
      { a: new Date(0) },
      { a: "1970-01-01T00:00:00.000Z" },
      { a: ["1"] },
      { a: [1] },
      { a: true },
      { a: "true" },
      { a: "s1" },
      { a: { b: "1" } },
      { a: "1:b1:2" }, // a text that spells two cells
      { "1:a": "1" },
      { a: "1", b: "" },
      { a: "1", "": "" },
      { a: "\ud800" }, // lone surrogates: one UTF-8 for both
      { a: "\udc00" },
      { a: "\ud83d\ude00" },
    ];
    const texts = rows.map((row) => rowText(row, "ndjson"));
    expect(texts).not.toContain(undefined);
    expect(new Set(texts).size).toBe(rows.length);
    // And their keys: what is hashed is the text's UTF-8, which a lone surrogate could blur.
    const keys = new RowKeys(KEY, CONTEXT);
    expect(new Set(rows.map((row) => keys.of(row, "ndjson"))).size).toBe(rows.length);
  });

  it("is not made for a value it cannot name, nor a row nested too deeply (such rows are always mapped)", () => {
    expect(rowText({ a: new Map([["x", 1]]) }, "ndjson")).toBeUndefined();
    expect(new RowKeys(KEY, CONTEXT).of({ a: new Set([1]) }, "ndjson")).toBeUndefined();
    let deep: unknown = "end";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(rowText({ a: deep }, "ndjson")).toBeUndefined();
  });

  it("holds nothing of the row in clear, however long the row", () => {
    const long = { note: "é".repeat(5_000), id: "user-42" };
    const key = new RowKeys(KEY, CONTEXT).of(long, "csv");
    expect(key).toHaveLength(22);
    expect(key).not.toContain("user");
  });

  it("writes CSV texts one-to-one, whatever they hold, under any delimiter", () => {
    const random = seededRandom(3);
    const pieces = [
      "",
      "a",
      ",",
      ";",
      "|",
      "||",
      '"',
      '""',
      "\\",
      "\\N",
      "N",
      "\r",
      "\n",
      "\t",
      "é",
    ];
    for (const delimiter of [",", "\t", ";", "||"]) {
      const texts = new RowTexts("p", delimiter);
      const seen = new Map<string, string>();
      for (let round = 0; round < 3_000; round++) {
        const row: Record<string, string | null> = {};
        const count = 1 + Math.floor(random() * 3);
        for (let c = 0; c < count; c++) {
          let text = "";
          for (let j = Math.floor(random() * 3); j > 0; j--)
            text += pieces[Math.floor(random() * pieces.length)];
          row[`c${c}`] = random() < 0.1 ? null : text;
        }
        const written = texts.of(row, "csv") as string;
        const said = JSON.stringify(Object.entries(row));
        // The same text only for the same row (a row of the same names and texts).
        expect(seen.get(written) ?? said, written).toBe(said);
        seen.set(written, said);
      }
      expect(seen.size).toBeGreaterThan(1_000);
    }
  });

  it("writes a row read from a plain line as its head and the line itself", () => {
    const texts = new RowTexts("secret", ",");
    const names = ["id", "email", "note"];
    for (const line of ["u1,a@b.c,x y", "u2,,", ",,", "가,😀,é"]) {
      const [id, email, note] = line.split(",");
      expect(texts.of({ id, email, note }, "csv")).toBe(texts.head("csv", names) + line);
    }
    // Not when a text holds a backslash, or under another delimiter: such a text is quoted.
    expect(texts.of({ id: "u\\1", email: "", note: "" }, "csv")).toBe(
      `${texts.head("csv", names)}"u\\1",,`,
    );
    const tabbed = new RowTexts("secret", "\t");
    expect(tabbed.of({ id: "a,b", email: "c", note: "" }, "csv")).toBe(
      `${tabbed.head("csv", names)}a,b\tc\t`,
    );
  });

  it("gives a text's digest, a char a byte, whose base64url is the text's key", () => {
    const random = seededRandom(4);
    const pieces = ["a", ",", "가", "😀", "é", "\n", " ", "\\N", "\uD800"];
    for (let n = 0; n < 2_000; n++) {
      let text = "prefix";
      for (let i = Math.floor(random() * 12); i > 0; i--)
        text += pieces[Math.floor(random() * pieces.length)];
      const key = rowKeyOfText(text);
      const digest = rowDigestOfText(text);
      if (key === undefined) {
        expect(digest).toBeUndefined(); // a lone surrogate: never keyed
        continue;
      }
      expect(digest).toHaveLength(32);
      expect(
        Buffer.from(digest as string, "latin1")
          .toString("base64url")
          .slice(0, 22),
      ).toBe(key);
    }
  });
});
