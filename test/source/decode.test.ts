import iconv from "iconv-lite";
import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { decode, resolveEncoding } from "../../src/source/decode.js";
import { chunks, collect, split } from "./helpers.js";

async function decoded(bytes: Buffer | Buffer[], encoding?: string): Promise<string> {
  const parts = Array.isArray(bytes) ? bytes : [bytes];
  return (await collect(decode(chunks(...parts), encoding, "in.csv"))).join("");
}

const KOREAN = "이름,메모\n홍길동,똠햏 쌰 뷁\n김철수,가나다\n";
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe("decode", () => {
  test("reads UTF-8 by default and drops its BOM", async () => {
    const text = await decoded(Buffer.concat([UTF8_BOM, Buffer.from("email\n홍길동\n")]));
    expect(text).toBe("email\n홍길동\n");
  });

  test("keeps characters whole when chunks split them", async () => {
    const bytes = Buffer.concat([UTF8_BOM, Buffer.from(KOREAN)]);
    expect(await decoded(split(bytes, 1))).toBe(KOREAN);
    expect(await decoded(split(bytes, 5))).toBe(KOREAN);
  });

  test("switches to UTF-16 LE on its BOM whatever the encoding asked for", async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(KOREAN, "utf16le")]);
    expect(await decoded(bytes)).toBe(KOREAN);
    expect(await decoded(split(bytes, 3), "cp949")).toBe(KOREAN);
  });

  test("switches to UTF-16 BE on its BOM", async () => {
    const le = Buffer.from(`\ufeff${KOREAN}`, "utf16le");
    const be = Buffer.from(le).swap16();
    expect(await decoded(split(be, 7), "utf8")).toBe(KOREAN);
  });

  test("reads UTF-16 without a BOM when asked to", async () => {
    expect(await decoded(Buffer.from(KOREAN, "utf16le"), "UTF-16LE")).toBe(KOREAN);
  });

  test("decodes CP949, including syllables outside KS X 1001, exactly", async () => {
    const bytes = iconv.encode(KOREAN, "cp949");
    expect(await decoded(bytes, "cp949")).toBe(KOREAN);
    expect(await decoded(split(bytes, 1), "cp949")).toBe(KOREAN);
  });

  test("reads a UTF-8 file with a BOM as UTF-8 even when cp949 is asked for", async () => {
    expect(await decoded(Buffer.concat([UTF8_BOM, Buffer.from(KOREAN)]), "cp949")).toBe(KOREAN);
  });

  test("a UTF-8 file read as cp949 is an InputError naming the line, not U+FFFD text", async () => {
    const bytes = Buffer.from("id,name\n1,ok\n2,한글\n");
    for (const parts of [[bytes], split(bytes, 1), split(bytes, 5)]) {
      const error = await decoded(parts, "cp949").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).line).toBe(3);
      expect((error as InputError).message).toMatch(/^in\.csv:3: not valid CP949.*--encoding utf8/);
    }
  });

  test("a cp949 file cut inside its last character is an InputError on that line", async () => {
    const bytes = Buffer.concat([iconv.encode("a\nb\n", "cp949"), Buffer.from([0x81])]);
    await expect(decoded(bytes, "cp949")).rejects.toThrow(/^in\.csv:3: not valid CP949/);
  });

  test("a lone UTF-16 surrogate is an InputError naming its line, not U+FFFD", async () => {
    const text = "a\nb\nc\ud800d\n";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le).swap16();
    for (const bytes of [le, be]) {
      for (const size of [bytes.length, 1, 3, 4]) {
        const error = await decoded(split(bytes, size)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).message).toMatch(/^in\.csv:3: not valid UTF-16/);
      }
    }
  });

  test("a UTF-16 file with an odd trailing byte is an InputError on its last line", async () => {
    const bytes = Buffer.concat([Buffer.from("a\nb\n", "utf16le"), Buffer.from([0x41])]);
    await expect(decoded(bytes, "utf16le")).rejects.toThrow(/^in\.csv:3: not valid UTF-16LE/);
  });

  test("U+FFFD written in a UTF-16 file is kept", async () => {
    const text = "a\n\uFFFD\n";
    expect(await decoded(split(Buffer.from(text, "utf16le"), 3), "utf16le")).toBe(text);
  });

  test("reads empty input as no text", async () => {
    expect(await decoded([])).toBe("");
  });
});

describe("resolveEncoding", () => {
  test.each([
    ["utf8", "utf8"],
    ["UTF-8", "utf8"],
    ["cp949", "cp949"],
    ["CP949", "cp949"],
    ["euc-kr", "cp949"],
    ["EUC-KR", "cp949"],
    ["ks_c_5601-1987", "cp949"],
    ["UHC", "cp949"],
    ["ms949", "cp949"],
    ["utf16le", "utf16le"],
    ["utf-16be", "utf16be"],
  ])("accepts %s", (name, encoding) => {
    expect(resolveEncoding(name, "in.csv")).toBe(encoding);
  });

  test("defaults to utf8", () => {
    expect(resolveEncoding(undefined, "in.csv")).toBe("utf8");
  });

  test("an unknown encoding is an InputError listing the supported ones", () => {
    expect(() => resolveEncoding("latin9", "in.csv")).toThrow(InputError);
    expect(() => resolveEncoding("latin9", "in.csv")).toThrow(
      /in\.csv: unknown encoding "latin9"; supported: utf8, utf16le, utf16be, cp949 \(also euc-kr/,
    );
  });

  test("an unknown encoding fails decoding before any byte is read", async () => {
    await expect(decoded(Buffer.from("a\n"), "klingon")).rejects.toThrow(
      /unknown encoding "klingon"/,
    );
  });
});
