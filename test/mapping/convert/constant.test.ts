import { describe, expect, test } from "vitest";
import { convertContext } from "../../../src/mapping/convert/cell.js";
import { convertConstant } from "../../../src/mapping/convert/constant.js";
import { Invalid } from "../../../src/mapping/convert/invalid.js";

const ctx = convertContext("Asia/Seoul", "KR");
const spec = (type: Parameters<typeof convertConstant>[1]["type"], gender = false) => ({
  type,
  split: ",",
  gender,
});

describe("constants (value:, default:, values targets)", () => {
  test("value: needs the type's YAML form", () => {
    expect(convertConstant(3, spec("Long"), ctx, true)).toBe(3);
    expect(convertConstant("3", spec("Long"), ctx, true)).toBeInstanceOf(Invalid);
    expect(convertConstant("gold", spec("String"), ctx, true)).toBe("gold");
    expect(convertConstant(true, spec("Boolean"), ctx, true)).toBe(true);
    expect(convertConstant("yes", spec("Boolean"), ctx, true)).toBeInstanceOf(Invalid);
    expect(convertConstant([1, 2], spec("Array of Long"), ctx, true)).toEqual([1, 2]);
  });

  test("a String constant written as a YAML number is rejected, with a hint to quote it", () => {
    const out = convertConstant(7, spec("String"), ctx, false);
    expect(out).toBeInstanceOf(Invalid);
    expect((out as Invalid).detail).toContain("quote numbers");
  });

  test("default: text is read like a cell", () => {
    expect(convertConstant("1,000", spec("Long"), ctx, false)).toBe(1000);
    expect(convertConstant(" y ", spec("Boolean"), ctx, false)).toBe(true);
    expect(convertConstant("2024-03-01 09:00", spec("Datetime"), ctx, false)).toBe(
      "2024-03-01T00:00:00.000Z",
    );
    expect(
      convertConstant("a|b", { type: "Array of String", split: "|", gender: false }, ctx, false),
    ).toEqual(["a", "b"]);
  });

  test("an invalid or empty default is rejected", () => {
    expect(convertConstant("maybe", spec("Boolean"), ctx, false)).toBeInstanceOf(Invalid);
    expect(convertConstant(" ", spec("Long"), ctx, false)).toBeInstanceOf(Invalid);
    expect(convertConstant("2024-02-30", spec("Date"), ctx, false)).toBeInstanceOf(Invalid);
  });

  test("df_gender constants must be DFINERY's values", () => {
    expect(convertConstant("Female", spec("String", true), ctx, false)).toBe("Female");
    expect(convertConstant("F", spec("String", true), ctx, false)).toBeInstanceOf(Invalid);
  });
});

test("a list for an Array of String must hold texts", () => {
  const ctx2 = convertContext("UTC", "KR");
  const s = { type: "Array of String" as const, split: ",", gender: false };
  expect(convertConstant(["a", 1], s, ctx2, false)).toBeInstanceOf(Invalid);
  expect(convertConstant(["a", "1"], s, ctx2, false)).toEqual(["a", "1"]);
});
