import { describe, expect, test } from "vitest";
import { normalizeNewlines } from "../../src/source/newlines.js";
import { chunks, collect, split } from "./helpers.js";

async function normalized(...parts: string[]): Promise<string> {
  return (await collect(normalizeNewlines(chunks(...parts)))).join("");
}

describe("normalizeNewlines", () => {
  test("turns CRLF and lone CR into LF", async () => {
    expect(await normalized("a\r\nb\rc\nd\r\n\r\n")).toBe("a\nb\nc\nd\n\n");
  });

  test("turns a CRLF split over two chunks into one LF", async () => {
    expect(await normalized("a\r", "\nb\r", "", "\nc")).toBe("a\nb\nc");
  });

  test("keeps an LF that follows a CRLF split over chunks", async () => {
    expect(await normalized("a\r", "\n", "\n", "b")).toBe("a\n\nb");
  });

  test("gives the same text whatever the chunk size", async () => {
    const text = 'x\r\n\r\ny\rz\r\n"q\r\nq"\r';
    for (const size of [1, 2, 3])
      expect(await normalized(...split(text, size))).toBe('x\n\ny\nz\n"q\nq"\n');
  });

  test("leaves LF-only text as it is", async () => {
    expect(await normalized("a\nb\n")).toBe("a\nb\n");
  });
});
