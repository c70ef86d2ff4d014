import { describe, expect, test } from "vitest";
import { Invalid } from "../../../src/mapping/convert/invalid.js";
import { compileTransforms } from "../../../src/mapping/convert/transform.js";

describe("transforms", () => {
  test("none compiles to nothing, so rows skip the step", () => {
    expect(compileTransforms([], "KR")).toBeUndefined();
  });

  test("apply in order", () => {
    const step = compileTransforms(["trim", "lowercase"], "KR");
    expect(step?.("  Kim@Example.COM ")).toBe("kim@example.com");
    expect(compileTransforms(["uppercase"], "KR")?.("vip")).toBe("VIP");
  });

  test("phone after trim gives international digits", () => {
    expect(compileTransforms(["trim", "phone"], "KR")?.(" 010-1234-5678 ")).toBe("821012345678");
  });

  test("a failing step stops the chain with its reason", () => {
    const out = compileTransforms(["phone", "lowercase"], "KR")?.("12");
    expect(out).toBeInstanceOf(Invalid);
  });
});

describe("transforms with literal text", () => {
  test("remove drops each listed character, whatever it is in a regular expression", () => {
    expect(compileTransforms([{ remove: "'₩ ," }], "KR")?.("'₩1,405,300 ")).toBe("1405300");
    expect(compileTransforms([{ remove: "]^-\\." }], "KR")?.("a]b^c-d\\e.f")).toBe("abcdef");
  });

  test("replace replaces every occurrence of literal text", () => {
    expect(compileTransforms([{ replace: ["(주)", ""] }], "KR")?.("(주)가나 (주)")).toBe("가나 ");
    expect(compileTransforms([{ replace: [".", "/"] }], "KR")?.("1990.03.15")).toBe("1990/03/15");
  });

  test("strip_prefix drops the text once, only at the start", () => {
    const step = compileTransforms([{ strip_prefix: "'" }], "KR");
    expect(step?.("'+821055501234")).toBe("+821055501234");
    expect(step?.("''12")).toBe("'12");
    expect(step?.("12'")).toBe("12'");
  });

  test("they run in order with the named transforms", () => {
    const step = compileTransforms([{ strip_prefix: "'" }, "phone"], "KR");
    expect(step?.("'+82 10-5550-1234")).toBe("821055501234");
    const order = compileTransforms([{ replace: ["A", "b"] }, "uppercase"], "KR");
    expect(order?.("Aa")).toBe("BA");
  });
});
