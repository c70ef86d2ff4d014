import { describe, expect, test } from "vitest";
import { seededRandom } from "../../bench/seeded-random.js";
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

  test("reads lines in place in a chunk as it reads them split over chunks, readers interleaved", async () => {
    // A whole line of a chunk is read where it lies (flat-json.ts); a line split over chunks, or
    // one of one-character chunks, is read from its own string. Generated files, cut anywhere
    // (at, before and after line breaks), with blank lines, CRLF, no last line break, a small line
    // bound, and two readers taken a batch at a time in turn (flat-json's state is the module's).
    const random = seededRandom(20);
    const int = (n: number) => Math.floor(random() * n);
    const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
    // Mostly lines read in place (after a line it cannot read, flat-json leaves the next 64 to
    // JSON.parse), with now and then one that is not a flat object or not JSON at all.
    const flat = ["0", "-0", "-2147483648", "123456789012345", "1.5e-7", '""', '"u0"', '"한글"'];
    flat.push('"\ud83d"', "true", "null", '"2024-01-01T00:00:00.000Z"');
    const other = ["1234567890123456", "1e400", '"a\\"b"', "[1]", '{"b":1}', "01", "1.", '"x'];
    const keys = ['"user"', '"usex"', '"at"', '""', '"1"', '"a b"'];
    const line = (): string => {
      const roll = random();
      if (roll < 0.01) return pick(["", " ", "\t", "\r", "  \r"]);
      // Not JSON objects, some ending in one (a reader must not take a line's end for a line).
      if (roll < 0.02)
        return pick(["[1]", "42", "{", '{"a":1}x', "{'a':1}", 'x{"a":1}', '{"a":{"b":1}']);
      const odd = roll < 0.03;
      const members = Array.from({ length: int(6) }, () => {
        const key = odd && random() < 0.3 ? pick(['"__proto__"', '"k\\u0041"']) : pick(keys);
        return `${key}:${odd && random() < 0.5 ? pick(other) : pick(flat)}`;
      });
      return `${pick(["", "", " "])}{${members.join(",")}}${pick(["", "", " ", "\r", "\t"])}`;
    };
    const cut = (text: string): string[] => {
      const parts: string[] = [];
      for (let at = 0; at < text.length; ) {
        const lineEnd = text.indexOf("\n", at);
        const size =
          random() < 0.3 && lineEnd !== -1 ? lineEnd - at + pick([-1, 0, 1, 2]) : 1 + int(200);
        parts.push(text.slice(at, at + Math.max(1, size)));
        at += Math.max(1, size);
      }
      return parts;
    };
    const file = (): string => {
      const text = Array.from({ length: 1 + int(200) }, line).join(random() < 0.3 ? "\r\n" : "\n");
      return random() < 0.5 ? `${text}\n` : text;
    };
    const drain = async (a: AsyncGenerator<readonly SourceItem[]>, b: typeof a) => {
      const items: [SourceItem[], SourceItem[]] = [[], []];
      for (let done = [false, false]; !done[0] || !done[1]; ) {
        for (const [n, reader] of [a, b].entries()) {
          const next = await reader.next();
          if (next.done) done[n] = true;
          else items[n]?.push(...next.value);
        }
      }
      return items;
    };
    // An overlong line's kept start is what was read of it before the bound: chunks make it differ.
    const kept = (items: SourceItem[]) =>
      items.map((item) =>
        item.kind === "invalid" && item.failure.code === "LINE_TOO_LONG"
          ? { ...item, raw: "" }
          : item,
      );
    let withWholeLines = 0; // chunks that hold a line whole, read in place
    for (let round = 0; round < 300; round++) {
      const [one, two] = [file(), file()];
      const bound = random() < 0.3 ? 10 + int(50) : undefined;
      const ones = (text: string) => chunks(...split(text, 1));
      const expected = [
        kept(await collectItems(readNdjson(ones(one), bound))),
        kept(await collectItems(readNdjson(ones(two), bound))),
      ];
      const parts = [cut(one), cut(two)];
      withWholeLines += parts[0]?.filter((part) => /\n.*\n/s.test(part)).length ?? 0;
      const got = await drain(
        readNdjson(chunks(...(parts[0] as string[])), bound),
        readNdjson(chunks(...(parts[1] as string[])), bound),
      );
      expect(got.map(kept), JSON.stringify(parts)).toEqual(expected);
      // normalizeNewlines before, as a file is read: the same rows (a lone \r breaks a line there).
      if (bound !== undefined) continue;
      const rows = (items: SourceItem[]) =>
        items.flatMap((item) => (item.kind === "row" ? [item.cells] : []));
      const normalized = await collectItems(
        readNdjson(normalizeNewlines(chunks(...(parts[0] as string[])))),
      );
      expect(rows(normalized)).toEqual(rows(expected[0] as SourceItem[]));
    }
    expect(withWholeLines).toBeGreaterThan(500);
  });
});
