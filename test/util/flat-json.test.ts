/**
 * parseFlatObject against JSON.parse on generated flat lines, whole and damaged: whatever it reads
 * is what JSON.parse reads (keys in their order, -0, every number's double), and it reads only
 * lines in which markUnsafeNumbers finds nothing to mark; anything else it leaves to parseJson.
 */
import { describe, expect, test } from "vitest";
import { seededRandom } from "../../bench/seeded-random.js";
import { ExactNumber, parseJson } from "../../src/util/exact-number.js";
import { parseFlatLine, parseFlatObject } from "../../src/util/flat-json.js";
import { markUnsafeNumbers } from "../../src/util/unsafe-numbers.js";

const NUMBERS = [
  ...["0", "-0", "1", "-1", "0.0", "-0.0", "0e0", "0E-0", "1.0", "100e-2", "1e16", "1e22", "12"],
  ...[
    "123456789012345",
    "-123456789012345",
    "999999999999999",
    "1234567890123456",
    "1704067200000",
  ],
  ...["9007199254740991", "9007199254740993", "12345678901234567890", "1234567890.12345"],
  ...["12345678901234.5", "1234567890.123456", "1.5e308", "1e+308", "1E-400", "1e400", "1e99"],
  ...["1e-99", "1.23e-100", "0.1", "5e-324", "1.7976931348623157e308", "12.5", "-0.000001"],
  ...["01", "-", "1.", ".5", "1e", "1e+", "+1", "1.5.5", "--1", "0x10", "1_000", "Infinity"],
];

const STRINGS = [
  ...['""', '"a"', '"u0"', '"o12345"', '"김민준"', '"~exact~1"', '"~"', '"\\u007e1"', '"\\n"'],
  ...['"123456789012345"', '"1234567890123456"', '"12345678901234567890"', '"1e400"'],
  ...['"abcdefghijkl"', '"abcdefghijklm"', '"2024-01-01T00:00:00.000Z"', '"a\\"b"', '"\\\\"'],
  ...['"https://example.com/a/b?c=d&e=f"', '"3f2a9c1e-8b7d-4e6f-a5c4-1b2d3e4f5a6b"'],
  ...['"\\ud83d\\ude00"', '"\ud83d"', '"tab\there"', '"open'],
];

const KEYS = [
  ...['"user"', '"at"', '"order"', '"total"', '"a"', '""', '"1"', '"0"', '"constructor"'],
  ...['"toString"', '"__proto__"', '"a long key name"', '"k\\u0041"', '"~exact~"', "user", "'a'"],
];

const OTHERS = ["true", "false", "null", "{}", '{"a":1}', "[]", "[1,2]", "tru", "nul", "NaN"];
const SPACES = ["", "", "", "", " ", "\t", "\r", "\n", "  ", "\u00a0"];

function lines(seed: number, count: number): string[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const space = () => pick(SPACES);
  const value = () => {
    const roll = random();
    return pick(roll < 0.45 ? NUMBERS : roll < 0.85 ? STRINGS : OTHERS);
  };
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const members = Array.from(
      { length: Math.floor(random() * 6) },
      () => `${space()}${pick(KEYS)}${space()}:${space()}${value()}${space()}`,
    );
    let line = `${space()}{${members.join(",")}}${space()}`;
    if (random() < 0.15) {
      const at = Math.floor(random() * (line.length + 1));
      line = line.slice(0, at) + pick([",", "}", "{", '"', ":", "1", "x", ""]) + line.slice(at + 1);
    }
    out.push(line);
  }
  return out;
}

/** JSON.parse's object for `text`, or undefined where it throws. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

describe("parseFlatObject", () => {
  test("reads a flat line as JSON.parse reads it, and only lines with nothing to mark", () => {
    let read = 0;
    for (const text of lines(41, 20_000)) {
      const flat = parseFlatObject(text);
      if (flat === undefined) continue;
      read++;
      const expected = parsed(text) as Record<string, unknown> | undefined;
      expect(expected, text).toBeDefined();
      expect(markUnsafeNumbers(text), text).toBe("none");
      expect(Object.getPrototypeOf(flat), text).toBe(Object.prototype);
      expect(Object.keys(flat), text).toEqual(Object.keys(expected as object));
      for (const key of Object.keys(flat)) {
        expect(Object.is(flat[key], expected?.[key]), `${text}: ${key}`).toBe(true);
      }
      expect(parseJson(text), text).toEqual(expected);
    }
    expect(read).toBeGreaterThan(2_000);
  });

  test("reads a line in place in a chunk as it reads the line alone, nothing past its break", () => {
    const all = lines(42, 5_000).filter((line) => !line.includes("\n"));
    const random = seededRandom(43);
    for (const [n, text] of all.entries()) {
      const before = all[(n + 1) % all.length] as string;
      // Past the line's break: the next line, or the rest of this one (a string, a number or a
      // word read on would end there).
      const cut = Math.floor(random() * (text.length + 1));
      const line = random() < 0.5 ? text : text.slice(0, cut);
      const after = random() < 0.5 ? (all[(n + 2) % all.length] as string) : text.slice(cut);
      const chunk = `${before}\n${line}\n${after}`;
      const start = before.length + 1;
      const inPlace = parseFlatObject(chunk, start, start + line.length);
      const alone = parseFlatObject(line);
      expect(inPlace, JSON.stringify([line, after])).toEqual(alone);
      if (alone !== undefined) expect(Object.keys(inPlace ?? {})).toEqual(Object.keys(alone));
    }
    expect(parseFlatObject('{"a":"x\ny"}', 0, 6)).toBeUndefined();
    expect(parseFlatObject('{"a":12\n3}', 0, 7)).toBeUndefined();
    expect(parseFlatObject('{"a":tr\nue}', 0, 7)).toBeUndefined();
    expect(parseFlatObject('{"a":1}  \nx', 0, 9)).toEqual({ a: 1 });
    expect(parseFlatObject('{"a":1}\n{"b":2}', 0, 7)).toEqual({ a: 1 });
    expect(parseFlatObject('{"a":1}\n{"b":2}', 8, 15)).toEqual({ b: 2 });
    // An end that is no line break: not read here.
    expect(parseFlatObject('{"a":1} {"b":2}', 0, 7)).toBeUndefined();
    // A line break inside a line is no space here (JSON.parse reads such a text).
    expect(parseFlatObject('{"a":\n1}')).toBeUndefined();
  });

  test("the bench's event line, and keys that come back at their places", () => {
    const first = parseFlatObject('{"user":"u0","at":1704067200000,"order":"o0","total":1000}');
    expect(first).toEqual({ user: "u0", at: 1704067200000, order: "o0", total: 1000 });
    const long = '{"a long key name":1,"b":2}';
    expect(parseFlatObject(long)).toEqual({ "a long key name": 1, b: 2 });
    expect(parseFlatObject(long)).toEqual({ "a long key name": 1, b: 2 });
    expect(parseFlatObject('{"b":3,"a long key name":4}')).toEqual({ b: 3, "a long key name": 4 });
    expect(parseFlatObject(' { "x" : -0 , "y":null,"z":true ,"w":false}\t')).toEqual({
      x: -0,
      y: null,
      z: true,
      w: false,
    });
    expect(Object.is(parseFlatObject('{"x":-0}')?.x, -0)).toBe(true);
    const longOnes =
      '{"id":"3f2a9c1e-8b7d-4e6f-a5c4-1b2d3e4f5a6b","at":"2024-01-01T00:00:00.000Z"}';
    expect(parseFlatObject(longOnes)).toEqual(JSON.parse(longOnes));
    expect(parseFlatObject('{"a":1,"a":2,"b":3}')).toEqual({ a: 2, b: 3 });
    expect(Object.keys(parseFlatObject('{"b":1,"2":2,"a":3,"1":4}') ?? {})).toEqual(
      Object.keys(JSON.parse('{"b":1,"2":2,"a":3,"1":4}')),
    );
  });

  test("reads every UTF-16 code unit in a key and a value as JSON.parse does, or leaves it", () => {
    // Exhaustive over one character: the edges of what a string holds unescaped (0x1f, 0x20, the
    // quote, the backslash, 0x7f, lone surrogates, U+2028, U+FEFF) and of what may follow a number.
    const wrong: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code);
      for (const text of [`{"k${c}":"v${c}"}`, `{"${c}":"${c}","b":${c}}`, `{"a":1${c}}`]) {
        const flat = parseFlatObject(text);
        if (flat === undefined) continue;
        const expected = parsed(text);
        const same =
          expected !== undefined &&
          JSON.stringify(Object.entries(flat)) ===
            JSON.stringify(Object.entries(expected as object));
        if (!same) wrong.push(JSON.stringify(text));
      }
      const unread = code < 0x20 || code === 0x22 || code === 0x5c;
      if ((parseFlatObject(`{"a":"${c}"}`) === undefined) !== unread) wrong.push(`U+${code}`);
    }
    expect(wrong).toEqual([]);
  });

  test("leaves to parseJson what it does not read: nesting, escapes, big numbers", () => {
    for (const text of [
      '{"a":{"b":1}}',
      '{"a":[1]}',
      '{"a":"\\n"}',
      '{"\\u0061":1}',
      '{"a":1234567890123456}',
      '{"a":123456789012345.6}',
      '{"a":1e100}',
      '{"a":1E-400}',
      '{"a":1e+308}',
      '{"__proto__":1}',
      "[1]",
      "1",
      '"a"',
      "",
      " ",
      "{",
      '{"a":1,}',
      '{"a":01}',
      '{"a":1.}',
      '{"a":-}',
      '{"a":1}x',
      '{"a" 1}',
      "{'a':1}",
      '{"a":tru}',
      '{"a":"\u0001"}',
    ]) {
      expect(parseFlatObject(text), text).toBeUndefined();
    }
  });
});

describe("parseFlatLine", () => {
  test("after a line it does not read, leaves the next 64 untried; parseJson reads them the same", () => {
    const flat = '{"user":"u0","at":1704067200000}';
    expect(parseFlatLine(flat)).toEqual(JSON.parse(flat));
    expect(parseFlatLine('{"items":[1]}')).toBeUndefined();
    for (let i = 0; i < 64; i++) expect(parseFlatLine(flat)).toBeUndefined();
    expect(parseFlatLine(flat)).toEqual(JSON.parse(flat));
    expect(parseFlatLine("[1]")).toBeUndefined();
    // parseJson reads them all the same, tried or not.
    for (let i = 0; i < 66; i++) expect(parseJson(flat)).toEqual(JSON.parse(flat));
  });
});

describe("parseJson at the edges of the flat reading", () => {
  test("15 and 16 digits, in strings and out of them", () => {
    expect(parseJson('{"a":123456789012345,"s":"1234567890123456"}')).toEqual({
      a: 123456789012345,
      s: "1234567890123456",
    });
    expect(parseJson('{"a":9007199254740993,"s":"123456789012345"}')).toEqual({
      a: new ExactNumber("9007199254740993"),
      s: "123456789012345",
    });
    expect(parseJson('{"a":12345678901234.56789,"b":1234567890.12345}')).toEqual({
      a: new ExactNumber("12345678901234.56789"),
      b: 1234567890.12345,
    });
  });

  test("exponents of three digits, and marks in strings", () => {
    expect(parseJson('{"a":1e+308,"b":1E-400,"c":1e99}')).toEqual({
      a: new ExactNumber("1e+308"),
      b: new ExactNumber("1E-400"),
      c: 1e99,
    });
    expect(parseJson('{"a":"\\u007eexact~1","b":12345678901234567890}')).toEqual({
      a: "~exact~1",
      b: new ExactNumber("12345678901234567890"),
    });
    expect(parseJson('{"a":"~exact~1","b":1}')).toEqual({ a: "~exact~1", b: 1 });
  });
});
