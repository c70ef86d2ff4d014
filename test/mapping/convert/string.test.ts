import { describe, expect, test } from "vitest";
import { Invalid } from "../../../src/mapping/convert/invalid.js";
import { toGender, toText } from "../../../src/mapping/convert/string.js";

describe("String", () => {
  test("keeps text as given, spaces included", () => {
    expect(toText("  Kim ")).toBe("  Kim ");
  });

  test("stringifies a JSON number or boolean", () => {
    expect(toText(12345)).toBe("12345");
    expect(toText(false)).toBe("false");
  });

  test("rejects an integer JSON number too large to be exact (it was rounded by JSON.parse)", () => {
    const out = toText(JSON.parse("12345678901234567890"));
    expect(out).toBeInstanceOf(Invalid);
    expect((out as Invalid).detail).toContain("write it as a string");
  });

  test("rejects a JSON object or array", () => {
    expect(toText({ a: 1 })).toBeInstanceOf(Invalid);
    expect(toText(["a"])).toBeInstanceOf(Invalid);
  });
});

describe("df_gender", () => {
  test("accepts DFINERY's values exactly", () => {
    for (const g of ["Male", "Female", "NonBinary", "Other"]) expect(toGender(g)).toBe(g);
  });

  test("rejects anything else, even another case", () => {
    for (const g of ["male", "M", "남", "Unknown"]) {
      const out = toGender(g);
      expect(out).toBeInstanceOf(Invalid);
      expect((out as Invalid).detail).toContain("is not a df_gender value");
    }
  });
});
