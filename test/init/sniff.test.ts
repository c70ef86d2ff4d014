import iconv from "iconv-lite";
import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { findEncoding, findFormat } from "../../src/init/sniff.js";

describe("findEncoding", () => {
  const text = "회원번호,이름\nM1,김민준\n";
  test.each([
    ["utf8", Buffer.from(text)],
    ["utf8", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ["cp949", iconv.encode(text, "cp949")],
    ["utf16le", Buffer.from(text, "utf16le")],
    ["utf16le", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])],
    ["utf16be", iconv.encode(text, "utf16-be")],
  ])("finds %s by strict decoding", (encoding, bytes) => {
    expect(findEncoding(bytes, "f.csv")).toBe(encoding);
  });

  test("a UTF-8 head cut in the middle of a character is still UTF-8", () => {
    expect(findEncoding(Buffer.from(text).subarray(0, 14), "f.csv")).toBe("utf8");
  });

  test("bytes no encoding reads are refused, with a way out", () => {
    expect(() => findEncoding(Buffer.from([0x41, 0xff, 0xff, 0x42, 0x80, 0x80]), "f.csv")).toThrow(
      InputError,
    );
  });
});

describe("findFormat", () => {
  test("by the name, else by the first line", () => {
    expect(findFormat("users.jsonl.gz", "")).toBe("ndjson");
    expect(findFormat("export", '{"id": 1}')).toBe("ndjson");
    expect(findFormat("export", "id\tname\temail")).toBe("tsv");
    expect(findFormat("export", "id,name,email")).toBe("csv");
  });
});
