import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SharedStrings } from "../../src/source/shared-strings.js";
import { tempDir } from "./helpers.js";

describe("a workbook's shared strings", () => {
  it("gives back every text as it was pushed, past each growth of the table", () => {
    const texts = ["", "user1@example.com", "김철수", "山田 ヤマダ", "emoji 😀", "a\r\nb"];
    for (let i = 0; i < 5000; i++) texts.push(`${"회원".repeat(i % 40)}-${i}`);
    const table = new SharedStrings();
    for (const text of texts) table.push(text);
    expect(table.size).toBe(texts.length);
    expect(texts.every((text, i) => table.get(i) === text)).toBe(true);
  });

  it("past its bound, keeps the further texts in a temporary file it leaves nowhere, and gives every text back", async () => {
    const dir = await tempDir();
    const texts = ["", "김철수", "emoji 😀"];
    for (let i = 0; i < 20_000; i++) texts.push(`user${i}@example.com ${"회원".repeat(i % 50)}`);
    texts.push("x".repeat(200_000)); // longer than a write of the file: written at once
    texts.push("after the long one");
    const table = new SharedStrings(64 * 1024, dir);
    for (const text of texts) table.push(text);
    expect(readdirSync(dir)).toEqual([]); // unlinked as soon as it was open
    expect(table.size).toBe(texts.length);
    for (let i = texts.length - 1; i >= 0; i -= 7) expect(table.get(i)).toBe(texts[i]);
    expect(texts.every((text, i) => table.get(i) === text)).toBe(true);
    table.close();
    table.close();
    expect(table.get(5)).toBe(texts[5]); // held in memory: still there
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
