/**
 * csv-spectrum (max-mapper/csv-spectrum 2.0.0, its 11 cases of RFC 4180 CSV) read through the
 * project's own reader: readSource, from a file, not bare csv-parse. The `_crlf` cases are the same
 * text with every line break written `\r\n`, as the corpus ships them; what a quoted cell holds must
 * arrive exactly as written (`newlines_crlf`: "Once upon \r\na time").
 */
import { describe, expect, test } from "vitest";
import { readSource } from "../../src/source/read.js";
import { collect, tempFile } from "./helpers.js";

const crlf = (text: string) => text.replaceAll("\n", "\r\n");

const SIMPLE = "a,b,c\n1,2,3\n";
const EMPTY = 'a,b,c\n1,"",""\n2,3,4';
const NEWLINES = 'a,b,c\n1,2,3\n"Once upon \na time",5,6\n7,8,9\n';

/** name → [file text, expected records, the line each record starts on]. */
const CASES: Record<string, [string, Record<string, string>[], number[]]> = {
  comma_in_quotes: [
    'first,last,address,city,zip\nJohn,Doe,120 any st.,"Anytown, WW",08123',
    [{ first: "John", last: "Doe", address: "120 any st.", city: "Anytown, WW", zip: "08123" }],
    [2],
  ],
  empty: [
    EMPTY,
    [
      { a: "1", b: "", c: "" },
      { a: "2", b: "3", c: "4" },
    ],
    [2, 3],
  ],
  empty_crlf: [
    crlf(EMPTY),
    [
      { a: "1", b: "", c: "" },
      { a: "2", b: "3", c: "4" },
    ],
    [2, 3],
  ],
  escaped_quotes: [
    'a,b\n1,"ha ""ha"" ha"\n3,4\n',
    [
      { a: "1", b: 'ha "ha" ha' },
      { a: "3", b: "4" },
    ],
    [2, 3],
  ],
  json: [
    'key,val\n1,"{""type"": ""Point"", ""coordinates"": [102.0, 0.5]}"\n',
    [{ key: "1", val: '{"type": "Point", "coordinates": [102.0, 0.5]}' }],
    [2],
  ],
  newlines: [
    NEWLINES,
    [
      { a: "1", b: "2", c: "3" },
      { a: "Once upon \na time", b: "5", c: "6" },
      { a: "7", b: "8", c: "9" },
    ],
    [2, 3, 5],
  ],
  newlines_crlf: [
    crlf(NEWLINES),
    [
      { a: "1", b: "2", c: "3" },
      { a: "Once upon \r\na time", b: "5", c: "6" },
      { a: "7", b: "8", c: "9" },
    ],
    [2, 3, 5],
  ],
  quotes_and_newlines: [
    'a,b\n1,"ha \n""ha"" \nha"\n3,4\n',
    [
      { a: "1", b: 'ha \n"ha" \nha' },
      { a: "3", b: "4" },
    ],
    [2, 5],
  ],
  simple: [SIMPLE, [{ a: "1", b: "2", c: "3" }], [2]],
  simple_crlf: [crlf(SIMPLE), [{ a: "1", b: "2", c: "3" }], [2]],
  utf8: [
    "a,b,c\n1,2,3\n4,5,ʤ",
    [
      { a: "1", b: "2", c: "3" },
      { a: "4", b: "5", c: "ʤ" },
    ],
    [2, 3],
  ],
};

describe("csv-spectrum through readSource", () => {
  test("has the corpus's 11 cases", () => {
    expect(Object.keys(CASES)).toHaveLength(11);
  });

  for (const [name, [text, expected, lines]] of Object.entries(CASES)) {
    test(`${name}: every record exactly, on its line`, async () => {
      const input = await tempFile(`${name}.csv`, text);
      const items = await collect(readSource({ input, format: "csv" }));
      const records = items.flatMap((item) => (item.kind === "row" ? [item] : []));
      expect(items.filter((item) => item.kind === "invalid")).toEqual([]);
      expect(records.map((r) => r.cells)).toEqual(expected);
      expect(records.map((r) => r.line)).toEqual(lines);
    });
  }
});
