/**
 * parseJson against lossless-json, line by line, on generated JSON: numbers at the 64-bit and
 * double edges, in every notation, beside strings that look like numbers or marks, escapes before
 * digits, nesting and whitespace. No number may come back with a digit other than written.
 */
import { isLosslessNumber, isSafeNumber, parse as losslessParse } from "lossless-json";
import { describe, expect, test } from "vitest";
import { seededRandom } from "../../bench/seeded-random.js";
import { ExactNumber, parseJson } from "../../src/util/exact-number.js";
import { decimal } from "./decimal.js";

/** Numbers at the edges: int64, uint64, 2^53, the double's range, -0, long fractions. */
const EDGES = [
  ...["0", "-0", "1", "-1", "0.0", "-0.0", "0e0", "0E-0", "1.0", "100e-2", "1e16", "1e22"],
  ...["9007199254740991", "-9007199254740991", "9007199254740992", "-9007199254740992"],
  ...["9007199254740993", "-9007199254740993", "9007199254740992.0", "9.007199254740993e15"],
  ...["9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809"],
  ...["18446744073709551615", "18446744073709551616", "10000000000000001", "123456789012345"],
  ...["1234567890123456", "1e400", "-1e400", "1E400", "1e+400", "1e-400", "1.5e308"],
  ...["1.7976931348623157e308", "1.7976931348623159e308", "5e-324", "2e-324", "4.9e-324"],
  ...["1e99", "1e100", "1.23e-99", "1.23e-100", "0.1", "0.1000000000000000055511151231257827"],
  ...["12345678901234.5678", "12345678901234.5", "1234567890.12345", "0.000000000000000001"],
  ...["-1234567890.12345678e-7", "1.2345678901234e30", "99999999999999999999e-4"],
];

/** Pieces of strings: digit runs, escapes before digits, things that look like marks or numbers. */
const STRING_PIECES = [
  ...["12345678901234567890", "9007199254740993", "1e400", "-0", "e400", "E-123", "0.1", " "],
  ...['\\"', '\\"12345678901234567890', "\\\\", '\\\\\\"1234567890123456789', "\\/", "\\n"],
  ...["\\t", "\\u0041", "\\u007e", "\\u007E", "\\u007eexact~1", "~exact~12345678901234567890"],
  ...["~", "~exact~", "\\ud83d\\ude00", "김민준", "서울", "{", "}", "[", "]", ":", ",", "a", "id"],
];

const SPACES = ["", "", "", " ", "\t", "\r\n", "  "];

/** A JSON text and, beside it, how JSON.parse semantics read it (numbers as their tokens). */
interface Generated {
  readonly text: string;
  /** Numbers are `{ token }`; duplicate keys resolved as JSON.parse does (the last wins). */
  readonly value: unknown;
}

class Token {
  constructor(readonly token: string) {}
}

function generator(seed: number, duplicates: boolean) {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");
  const space = () => pick(SPACES);

  function numberToken(): string {
    if (random() < 0.4) return pick(EDGES);
    const whole = random() < 0.1 ? "0" : `${1 + Math.floor(random() * 9)}${digits(random() * 25)}`;
    const fraction = random() < 0.4 ? `.${digits(1 + random() * 20)}` : "";
    const exponent =
      random() < 0.3 ? `${pick(["e", "E"])}${pick(["", "+", "-"])}${digits(1 + random() * 4)}` : "";
    return `${random() < 0.3 ? "-" : ""}${whole}${fraction}${exponent}`;
  }

  function stringText(): string {
    const parts = Array.from({ length: Math.floor(random() * 4) }, () => pick(STRING_PIECES));
    return `"${parts.join("")}"`;
  }

  function value(depth: number): Generated {
    const roll = random();
    if (depth > 3 || roll < 0.45) {
      const token = numberToken();
      return { text: token, value: new Token(token) };
    }
    if (roll < 0.65) {
      const text = stringText();
      return { text, value: JSON.parse(text) };
    }
    if (roll < 0.72) {
      const literal = pick(["true", "false", "null"]);
      return { text: literal, value: JSON.parse(literal) };
    }
    const count = Math.floor(random() * 5);
    if (roll < 0.85) {
      const items = Array.from({ length: count }, () => value(depth + 1));
      const text = `[${items.map((item) => `${space()}${item.text}${space()}`).join(",")}]`;
      return { text, value: items.map((item) => item.value) };
    }
    return object(depth, count);
  }

  function object(depth: number, count: number): Generated {
    const used: string[] = [];
    const members: string[] = [];
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const keyText =
        duplicates && used.length > 0 && random() < 0.5
          ? pick(used)
          : random() < 0.1
            ? pick(['"__proto__"', '"id"', '"1"', '"~exact~1"'])
            : stringText();
      const key = JSON.parse(keyText) as string;
      if (!duplicates && used.some((known) => JSON.parse(known) === key)) continue;
      used.push(keyText);
      const member = value(depth + 1);
      members.push(`${space()}${keyText}${space()}:${space()}${member.text}${space()}`);
      Object.defineProperty(out, key, {
        value: member.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return { text: `{${members.join(",")}}`, value: out };
  }

  /** An NDJSON line: an object, with whitespace around it. */
  return (): Generated => {
    const line = object(0, 1 + Math.floor(random() * 6));
    return { text: `${space()}${line.text}${space()}`, value: line.value };
  };
}

/**
 * A number parseJson returned for `token`: an ExactNumber of the token as written where a double
 * may not hold it, otherwise the double, whose shortest decimal is the token's value.
 */
function expectNumber(actual: unknown, token: string, where: string): void {
  if (actual instanceof ExactNumber) {
    expect(actual.text, where).toBe(token);
    expect(isSafeNumber(token), `${where}: a safe number kept as text`).toBe(false);
    return;
  }
  expect(typeof actual, where).toBe("number");
  expect(Object.is(actual, Number(token)), where).toBe(true);
  expect(decimal(String(actual)), `${where}: digits lost`).toBe(decimal(token));
}

/** `actual` (parseJson's) against `expected`, whose numbers are Tokens or LosslessNumbers. */
function compare(actual: unknown, expected: unknown, where: string): void {
  if (expected instanceof Token || isLosslessNumber(expected)) {
    const token = expected instanceof Token ? expected.token : expected.value;
    expectNumber(actual, token, where);
    return;
  }
  if (typeof expected !== "object" || expected === null) {
    expect(actual, where).toBe(expected);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), where).toBe(true);
    expect((actual as unknown[]).length, where).toBe(expected.length);
    for (const [i, item] of expected.entries()) {
      compare((actual as unknown[])[i], item, `${where}[${i}]`);
    }
    return;
  }
  expect(Object.getPrototypeOf(actual), where).toBe(Object.prototype);
  expect(Object.keys(actual as object), where).toEqual(Object.keys(expected));
  for (const key of Object.keys(expected)) {
    const own = Object.getOwnPropertyDescriptor(actual, key)?.value;
    compare(own, Object.getOwnPropertyDescriptor(expected, key)?.value, `${where}.${key}`);
  }
}

describe("parseJson against lossless-json", () => {
  test("every generated line reads as lossless-json reads it, each number exact", () => {
    const next = generator(20, false);
    for (let i = 0; i < 4_000; i++) {
      const { text, value } = next();
      const expected = losslessParse(text);
      compare(parseJson(text), expected, `line ${i}: ${text}`);
      compare(parseJson(text), value, `line ${i} (generated): ${text}`);
    }
  });

  test("a line with a repeated key reads as JSON.parse reads it (the last wins), or is refused", () => {
    const next = generator(21, true);
    let read = 0;
    for (let i = 0; i < 3_000; i++) {
      const { text, value } = next();
      let actual: unknown;
      try {
        actual = parseJson(text);
      } catch (error) {
        expect(error, text).toBeInstanceOf(SyntaxError);
        continue;
      }
      compare(actual, value, `line ${i}: ${text}`);
      read++;
    }
    expect(read).toBeGreaterThan(1_000);
  });

  test("a damaged line is refused whenever JSON.parse refuses it, and read exactly otherwise", () => {
    const next = generator(22, false);
    const random = seededRandom(23);
    const damage = ['"', "\\", "1234567890123456789", "e400", ",", "}", "-", ".", "~", "\\u007e"];
    let refused = 0;
    for (let i = 0; i < 4_000; i++) {
      const { text } = next();
      const at = Math.floor(random() * text.length);
      const cut = random() < 0.5 ? 1 : 0;
      const damaged = `${text.slice(0, at)}${cut === 1 ? "" : damage[i % damage.length]}${text.slice(at + cut)}`;
      let valid = true;
      try {
        JSON.parse(damaged);
      } catch {
        valid = false;
      }
      if (!valid) {
        expect(() => parseJson(damaged), damaged).toThrow(SyntaxError);
        refused++;
        continue;
      }
      let expected: unknown;
      try {
        expected = losslessParse(damaged);
      } catch {
        continue; // a repeated key the damage made: the test above
      }
      compare(parseJson(damaged), expected, `damaged line ${i}: ${damaged}`);
    }
    expect(refused).toBeGreaterThan(1_000);
  });
});
