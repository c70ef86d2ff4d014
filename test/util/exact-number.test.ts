import { isSafeNumber } from "lossless-json";
import { describe, expect, test } from "vitest";
import { seededRandom } from "../../bench/seeded-random.js";
import { ExactNumber, isInt64, parseJson, stringifyExactly } from "../../src/util/exact-number.js";
import { markUnsafeNumbers } from "../../src/util/unsafe-numbers.js";
import { decimal } from "./decimal.js";

describe("parseJson", () => {
  test("keeps numbers a double would round or overflow, as written", () => {
    expect(
      parseJson('{"id":12345678901234567890,"n":42,"d":0.12345678901234567890,"big":1e400}'),
    ).toEqual({
      id: new ExactNumber("12345678901234567890"),
      n: 42,
      d: new ExactNumber("0.12345678901234567890"),
      big: new ExactNumber("1e400"),
    });
  });

  test("keeps 16 or more digits split by a '.' or followed by an exponent, as written", () => {
    expect(
      parseJson('{"s":12345678901234.5678,"big":9.007199254740993e15,"n":-1234567890.12345678e-7}'),
    ).toEqual({
      s: new ExactNumber("12345678901234.5678"),
      big: new ExactNumber("9.007199254740993e15"),
      n: new ExactNumber("-1234567890.12345678e-7"),
    });
    // Up to 15 digits, or 16 that a double holds, stay numbers.
    expect(
      parseJson('{"a":1234567890.12345,"b":12345678901234.5,"c":1.5e15,"d":-1.234567890123456e2}'),
    ).toEqual({
      a: 1234567890.12345,
      b: 12345678901234.5,
      c: 1.5e15,
      d: -123.4567890123456,
    });
  });

  test("never returns a number that differs from the one written", () => {
    const random = seededRandom(11);
    const digits = (n: number) =>
      Array.from({ length: n }, () => Math.floor(random() * 10)).join("");
    for (let i = 0; i < 5_000; i++) {
      const whole = `${1 + Math.floor(random() * 9)}${digits(Math.floor(random() * 20))}`;
      const fraction = random() < 0.6 ? `.${digits(1 + Math.floor(random() * 12))}` : "";
      const exponent =
        random() < 0.5
          ? `e${random() < 0.5 ? "-" : ""}${digits(1 + Math.floor(random() * 3))}`
          : "";
      const token = `${random() < 0.3 ? "-" : ""}${whole}${fraction}${exponent}`;
      const [value] = parseJson(`[${token}]`) as unknown[];
      if (value instanceof ExactNumber) expect(value.text, token).toBe(token);
      else expect(decimal(String(value)), token).toBe(decimal(token));
    }
  });

  test("a number a double holds stays a number, also on the lossless path", () => {
    expect(parseJson('{"a":1234567890123456,"b":[9007199254740993]}')).toEqual({
      a: 1234567890123456,
      b: [new ExactNumber("9007199254740993")],
    });
    expect(parseJson('{"a":"12345678901234567890 in a string","b":1.5}')).toEqual({
      a: "12345678901234567890 in a string",
      b: 1.5,
    });
  });

  test("digits inside strings stay text; a string that looks like a mark is never taken for one", () => {
    expect(
      parseJson('{"note":"a:12345678901234567890,b","id":12345678901234567890,"k":[1e400]}'),
    ).toEqual({
      note: "a:12345678901234567890,b",
      id: new ExactNumber("12345678901234567890"),
      k: [new ExactNumber("1e400")],
    });
    expect(parseJson('{"s":"\\u0000exact:1","id":12345678901234567890}')).toEqual({
      s: "\u0000exact:1",
      id: new ExactNumber("12345678901234567890"),
    });
    expect(parseJson('{"s":"~exact~1","t":"\\u007eexact~2","id":12345678901234567890}')).toEqual({
      s: "~exact~1",
      t: "~exact~2",
      id: new ExactNumber("12345678901234567890"),
    });
    const proto = parseJson('{"__proto__":12345678901234567890}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(proto, "__proto__")?.value).toEqual(
      new ExactNumber("12345678901234567890"),
    );
  });

  test("a string ends at its first unescaped quote: digits after an escaped one are still text", () => {
    expect(
      parseJson('{"a":"x\\"12345678901234567890","b":"y\\\\","n":12345678901234567890}'),
    ).toEqual({
      a: 'x"12345678901234567890',
      b: "y\\",
      n: new ExactNumber("12345678901234567890"),
    });
  });

  test("16-digit integers up to 2^53 - 1 stay numbers, from 2^53 on they are kept as written", () => {
    expect(
      parseJson("[9007199254740991,-9007199254740991,9007199254740992,-9007199254740992,1e400]"),
    ).toEqual([
      9007199254740991,
      -9007199254740991,
      new ExactNumber("9007199254740992"),
      new ExactNumber("-9007199254740992"),
      new ExactNumber("1e400"),
    ]);
  });

  test("bad JSON still throws a SyntaxError, on either path", () => {
    expect(() => parseJson("{")).toThrow(SyntaxError);
    expect(() => parseJson('{"id":12345678901234567890,}')).toThrow(SyntaxError);
  });
});

describe("stringifyExactly", () => {
  test("writes an ExactNumber as the bare number, in objects and arrays", () => {
    const body = {
      identity: { external_id: "12345678901234567890" },
      user_properties: {
        id: new ExactNumber("-9223372036854775808"),
        ids: [1, new ExactNumber("9007199254740993")],
      },
    };
    expect(stringifyExactly(body)).toBe(
      '{"identity":{"external_id":"12345678901234567890"},"user_properties":{"id":-9223372036854775808,"ids":[1,9007199254740993]}}',
    );
  });

  test("JSON.stringify writes one as a string of its digits (dead letters)", () => {
    expect(JSON.stringify({ id: new ExactNumber("12345678901234567890") })).toBe(
      '{"id":"12345678901234567890"}',
    );
  });

  test("a string that spells a marker stays a string beside an ExactNumber", () => {
    const body = { a: "\u0000exact:12", n: new ExactNumber("12345678901234567890"), u: undefined };
    expect(stringifyExactly(body)).toBe('{"a":"\\u0000exact:12","n":12345678901234567890}');
  });

  test("a body without one is JSON.stringify's text, strings holding NUL included", () => {
    const body = { a: "\u0000exact:12", b: [1, "x"] };
    expect(stringifyExactly(body)).toBe(JSON.stringify(body));
  });
});

test("isInt64 takes 64-bit signed integers only", () => {
  expect(isInt64("9223372036854775807")).toBe(true);
  expect(isInt64("-9223372036854775808")).toBe(true);
  expect(isInt64("9223372036854775808")).toBe(false);
  expect(isInt64("1.0")).toBe(false);
});

describe("markUnsafeNumbers", () => {
  test("marks only the number tokens outside strings that a double may not hold", () => {
    expect(markUnsafeNumbers('{"id":"12345678901234567890","n":123456789012345,"d":1.5e99}')).toBe(
      "none",
    );
    expect(markUnsafeNumbers('{"a":"x\\"1234567890123456789","b":9007199254740991}')).toBe("none");
    expect(markUnsafeNumbers('[12345678901234.5,1e16,1.5e-100,-0,"~1"]')).toBe("none");
    expect(markUnsafeNumbers('{"id":9007199254740993,"x":[1e400,-12345678.90123456789]}')).toEqual({
      text: '{"id":"~exact~9007199254740993","x":["~exact~1e400","~exact~-12345678.90123456789"]}',
      marked: 3,
    });
  });

  test("judges a double's shortest text, as JSON.stringify writes it, as lossless-json does", () => {
    const tokens = [
      ...[6666.666666666667, 0.1234567890123456, -1234.567890123457, 5e-324, 2.5e-300].map(String),
      ...[1e300, 1.7976931348623157e308, -(2 ** 80)].map(String), // integers past 2^53
      "0.33333333333333331", // more digits than its double's shortest text: they are lost
      "6666.6666666666670", // a trailing 0: nothing is lost
      "9007199254740993.0",
    ];
    for (const token of tokens) {
      const marking = markUnsafeNumbers(`{"ltv":${token}}`);
      expect([token, marking === "none"]).toEqual([token, isSafeNumber(token)]);
    }
    expect(tokens.filter((t) => markUnsafeNumbers(`[${t}]`) === "none")).toHaveLength(6);
  });

  test("leaves to lossless-json what marking cannot be sure of", () => {
    // A string of the data that reads as a mark once parsed, beside an unsafe number.
    expect(markUnsafeNumbers('{"s":"~exact~1","id":12345678901234567890}')).toBe("lossless");
    expect(markUnsafeNumbers('{"s":"\\u007Eexact~1","id":12345678901234567890}')).toBe("lossless");
    // A token that may lose digits and is no JSON number.
    expect(markUnsafeNumbers("[01234567890123456789]")).toBe("lossless");
    expect(markUnsafeNumbers("[1.2.3e400]")).toBe("lossless");
  });
});
