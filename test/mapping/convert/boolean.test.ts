import { describe, expect, test } from "vitest";
import { parseBoolean, toBoolean } from "../../../src/mapping/convert/boolean.js";
import { Invalid } from "../../../src/mapping/convert/invalid.js";

describe("Boolean", () => {
  test.each(["true", "TRUE", "t", "1", "y", "Yes", "YES", "예"])("reads %j as true", (text) => {
    expect(parseBoolean(text)).toBe(true);
  });

  test.each(["false", "F", "0", "n", "No", "아니오", "아니요"])("reads %j as false", (text) => {
    expect(parseBoolean(text)).toBe(false);
  });

  test.each(["maybe", "2", "-1", "on", "off", "O", "X", "동의", "yess", "true1", "ㅇ"])(
    "never turns %j into a consent value",
    (text) => {
      const out = parseBoolean(text);
      expect(out).toBeInstanceOf(Invalid);
      expect((out as Invalid).detail).toBe(
        `${JSON.stringify(text)} is not a Boolean (expected true/false, yes/no, y/n, 1/0, 예/아니오)`,
      );
    },
  );

  test("takes JSON booleans as is, and JSON 1/0", () => {
    expect(toBoolean(true)).toBe(true);
    expect(toBoolean(false)).toBe(false);
    expect(toBoolean(1)).toBe(true);
    expect(toBoolean(0)).toBe(false);
  });

  test("rejects other JSON values", () => {
    for (const value of [2, 0.5, [], {}, "maybe"]) expect(toBoolean(value)).toBeInstanceOf(Invalid);
  });
});
