import iconv from "iconv-lite";
import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { decodeUtf8 } from "../../src/source/utf8.js";
import { chunks, collect, split } from "./helpers.js";

function decodeAll(parts: Buffer[]): Promise<string[]> {
  return collect(decodeUtf8(chunks(...parts), "users.csv"));
}

async function failure(parts: Buffer[]): Promise<InputError> {
  const error = await decodeAll(parts).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

/**
 * Three good lines, then a line holding CP949 bytes ("홍길동" as Excel on Korean Windows saves it).
 * Its first two bytes (c8 ab) happen to be valid UTF-8; the third (b1) is not.
 */
const MIXED = Buffer.concat([
  Buffer.from("email,name\na@x,Ann\nb@x,소연\nc@x,"),
  iconv.encode("홍길동", "cp949"),
  Buffer.from("\nd@x,Dan\n"),
]);

describe("decodeUtf8", () => {
  test("CP949 bytes read as UTF-8 are an InputError naming the line and suggesting cp949", async () => {
    const error = await failure([MIXED]);
    expect(error.code).toBe("E_INPUT");
    expect(error.line).toBe(4);
    expect(error.message).toMatch(/^users\.csv:4: not valid UTF-8 \(byte 0xb1\)/);
    expect(error.message).toContain("--encoding cp949");
  });

  test("names the right line whatever the chunk size", async () => {
    for (const size of [1, 2, 3, 5, 16, 31]) {
      const error = await failure(split(MIXED, size));
      expect({ size, line: error.line }).toEqual({ size, line: 4 });
    }
  });

  test("counts lines of earlier chunks", async () => {
    const good = Buffer.from("a@x,Ann\n".repeat(10_000));
    const error = await failure([good, good, Buffer.from("x,\xff\n", "latin1")]);
    expect(error.line).toBe(20_001);
  });

  test("points at the lead byte of a sequence broken by a newline", async () => {
    const bytes = Buffer.from([0x61, 0x0a, 0x62, 0xe3, 0x81, 0x0a, 0x63, 0x0a]);
    const error = await failure([bytes]);
    expect(error.line).toBe(2);
    expect(error.message).toContain("byte 0xe3");
  });

  test("an input that ends inside a character is invalid on its last line", async () => {
    const bytes = Buffer.concat([
      Buffer.from("a\nb\n홍"),
      Buffer.from("길", "utf8").subarray(0, 2),
    ]);
    const error = await failure(split(bytes, 4));
    expect(error.line).toBe(3);
  });

  test("rejects overlong and surrogate encodings", async () => {
    expect((await failure([Buffer.from([0x61, 0xc0, 0xaf])])).line).toBe(1);
    expect((await failure([Buffer.from([0x0a, 0xed, 0xa0, 0x80])])).line).toBe(2);
  });

  test("passes valid text through unchanged", async () => {
    const text = "email,name\n홍길동,😀\n";
    expect((await decodeAll(split(Buffer.from(text), 3))).join("")).toBe(text);
  });

  test("ASCII chunks taken as Latin-1 give the text the decoder gives, whatever the split", async () => {
    // ASCII chunks between characters split over chunks, a U+FEFF inside the file (kept: only a
    // leading BOM is dropped), a line of Latin-1 range and Hangul text.
    const text = "\ufeffid,name\nu1,Ann\nu2,\ufeffBo\nu3,café\nu4,홍길동\nu5,Dan\n";
    const bytes = Buffer.from(text);
    for (const size of [1, 2, 3, 4, 5, 7, 16]) {
      const parts = split(bytes, size);
      expect({ size, text: (await decodeAll(parts)).join("") }).toEqual({
        size,
        text: text.slice(1),
      });
    }
    const ascii = Buffer.from("a@x,Ann\n");
    const bom = Buffer.from("\ufeff");
    expect((await decodeAll([ascii, bom, ascii])).join("")).toBe("a@x,Ann\n\ufeffa@x,Ann\n");
    expect((await decodeAll([bom, ascii, bom, ascii])).join("")).toBe("a@x,Ann\n\ufeffa@x,Ann\n");
    expect((await decodeAll([Buffer.alloc(0), ascii, Buffer.alloc(0), ascii])).join("")).toBe(
      "a@x,Ann\na@x,Ann\n",
    );
  });

  test("an invalid byte after ASCII chunks names its line", async () => {
    const good = Buffer.from("a@x,Ann\n".repeat(1_000));
    const split3 = Buffer.from("홍\n");
    const error = await failure([
      good,
      good,
      split3.subarray(0, 1),
      split3.subarray(1),
      good,
      Buffer.from("\n\xff", "latin1"),
    ]);
    expect(error.line).toBe(3_003);
    expect(error.message).toContain("byte 0xff");
    const cut = await failure([good, good, split3.subarray(0, 1), good]);
    expect(cut.line).toBe(2_001);
    expect(cut.message).toContain("byte 0xed");
  });
});
