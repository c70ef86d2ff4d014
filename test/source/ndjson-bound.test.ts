import { describe, expect, it } from "vitest";
import { MAX_LINE_LENGTH, readNdjson } from "../../src/source/ndjson.js";
import { chunks, collectItems, split } from "./helpers.js";

describe("an NDJSON line beyond the size bound", () => {
  it("is a row error with its line and its start; the lines after it are read", async () => {
    const long = `{"id":"u2","blob":"${"x".repeat(5_000)}"}`;
    const text = `{"id":"u1"}\n${long}\n{"id":"u3"}\n${long}`;
    const items = await collectItems(readNdjson(chunks(...split(text, 700)), 2_000));
    expect(items.map((i) => [i.kind, "line" in i ? i.line : 0])).toEqual([
      ["row", 1],
      ["invalid", 2],
      ["row", 3],
      ["invalid", 4],
    ]);
    const [, second] = items;
    expect(second).toMatchObject({
      raw: long.slice(0, 1024),
      failure: {
        stage: "input",
        code: "LINE_TOO_LONG",
        message: "the line is longer than 2000 characters (only its first 1024 are kept here)",
      },
    });
  });

  it("is bounded by default at the CSV record bound, 8 MiB", () => {
    expect(MAX_LINE_LENGTH).toBe(8 * 1024 * 1024);
  });
});
