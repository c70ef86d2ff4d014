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
