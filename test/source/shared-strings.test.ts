import { describe, expect, it } from "vitest";
import { SharedStrings } from "../../src/source/shared-strings.js";

describe("a workbook's shared strings", () => {
  it("gives back every text as it was pushed, past each growth of the table", () => {
    const texts = ["", "user1@example.com", "김철수", "山田 ヤマダ", "emoji 😀", "a\r\nb"];
    for (let i = 0; i < 5000; i++) texts.push(`${"회원".repeat(i % 40)}-${i}`);
    const table = new SharedStrings();
    for (const text of texts) table.push(text);
    expect(table.size).toBe(texts.length);
    expect(texts.every((text, i) => table.get(i) === text)).toBe(true);
  });

  it("has no text at an index it does not hold", () => {
    const table = new SharedStrings();
    table.push("a");
    expect([table.get(1), table.get(-1), table.get(Number.NaN), table.get(0.5)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
