import { describe, expect, test } from "vitest";
import { readNdjson } from "../../src/source/ndjson.js";
import { normalizeNewlines } from "../../src/source/newlines.js";
import type { SourceItem } from "../../src/source/types.js";
import { chunks, collectItems, split } from "./helpers.js";

function read(...parts: string[]): Promise<SourceItem[]> {
  return collectItems(readNdjson(normalizeNewlines(chunks(...parts))));
}

describe("readNdjson", () => {
  test("yields each JSON object as a row with its line", async () => {
    expect(await read('{"email":"a@x","points":3}\n{"email":"b@x","tags":["x"]}\n')).toEqual([
      { kind: "row", line: 1, cells: { email: "a@x", points: 3 } },
      { kind: "row", line: 2, cells: { email: "b@x", tags: ["x"] } },
    ]);
  });

  test("skips blank and whitespace-only lines but counts them", async () => {
    const items = await read('\n{"a":1}\n   \n\t\n{"a":2}\n\n');
    expect(items.map((item) => item.kind === "row" && item.line)).toEqual([2, 5]);
  });

  test("reads CRLF lines", async () => {
    expect(await read('{"a":1}\r\n{"a":2}\r\n')).toEqual([
      { kind: "row", line: 1, cells: { a: 1 } },
      { kind: "row", line: 2, cells: { a: 2 } },
    ]);
  });

  test("reads a last line without a newline", async () => {
    expect(await read('{"a":1}\n{"a":2}')).toEqual([
      { kind: "row", line: 1, cells: { a: 1 } },
      { kind: "row", line: 2, cells: { a: 2 } },
    ]);
  });

  test("a line that is not JSON is invalid with its line and text, and reading goes on", async () => {
    const items = await read('{"a":1}\n{"a":\n{"a":3}\n');
    expect(items[1]).toEqual({
      kind: "invalid",
      line: 2,
      raw: '{"a":',
      failure: {
        stage: "input",
        code: "JSON_PARSE",
        message: expect.stringMatching(/^not JSON: /),
      },
    });
    expect(items[2]).toEqual({ kind: "row", line: 3, cells: { a: 3 } });
  });

  test.each([
    ["[1,2]", "an array"],
    ["42", "a number"],
    ['"a@x"', "a string"],
    ["null", "null"],
    ["true", "a boolean"],
  ])("a line holding %s is invalid JSON_NOT_OBJECT", async (json, found) => {
    const [item] = await read(`${json}\n`);
    expect(item).toEqual({
      kind: "invalid",
      line: 1,
      raw: json,
      failure: {
        stage: "input",
        code: "JSON_NOT_OBJECT",
        message: `expected a JSON object, found ${found}`,
      },
    });
  });

  test("gives the same items whatever the chunk size", async () => {
    const text = '{"name":"홍길동"}\r\n\r\n{"bad"\n  \n[1]\n{"a":"x\\ny"}';
    const whole = await read(text);
    expect(whole.map((item) => [item.kind, "line" in item ? item.line : 0])).toEqual([
      ["row", 1],
      ["invalid", 3],
      ["invalid", 5],
      ["row", 6],
    ]);
    for (const size of [1, 2, 5]) expect(await read(...split(text, size))).toEqual(whole);
  });

  test("reads a line longer than many chunks", async () => {
    const long = "x".repeat(1_000_000);
    const items = await read(...split(`{"a":1}\n{"long":"${long}"}\n{"a":3}\n`, 65_536));
    expect(items.map((item) => item.kind === "row" && item.line)).toEqual([1, 2, 3]);
    expect(items[1]).toMatchObject({ cells: { long } });
  });
});
