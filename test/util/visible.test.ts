import { describe, expect, it } from "vitest";
import { visible } from "../../src/util/visible.js";

describe("visible", () => {
  it("writes what a terminal acts on as JSON escapes, and leaves line feeds, tabs and text alone", () => {
    expect(visible("a\u001b[2Jb\u0007\r\u0000\u007f\u0085\u009b\u202e\u2066z")).toBe(
      "a\\u001b[2Jb\\u0007\\u000d\\u0000\\u007f\\u0085\\u009b\\u202e\\u2066z",
    );
    expect(visible("회원번호\tname\n가입일시 — ok ✓ \u200f")).toBe(
      "회원번호\tname\n가입일시 — ok ✓ \u200f",
    );
  });

  it("keeps JSON valid JSON with the same value", () => {
    const value = { "k\u001b": ["\u0000\u009b\u202e", "\u007f\r\n\t", "plain"] };
    const text = JSON.stringify(value);
    expect(text).toMatch(/\u007f/); // JSON.stringify leaves DEL, C1 and bidi controls raw
    expect(visible(text)).not.toMatch(/[\u007f-\u009f\u202a-\u202e]/);
    expect(JSON.parse(visible(text))).toEqual(value);
  });
});
