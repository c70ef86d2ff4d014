import { describe, expect, it } from "vitest";
import { decode } from "../../src/source/decode.js";
import { chunks, collect } from "./helpers.js";

const text = "id,이름,email\nu1,김민지,a@example.com\n";
const read = (bytes: Buffer, encoding?: string) =>
  collect(decode(chunks(bytes), encoding, "users.csv")).then((parts) => parts.join(""));

describe("UTF-16 without a byte order mark", () => {
  it("read as UTF-8, it is refused with a hint to the encoding, at line 1", async () => {
    await expect(read(Buffer.from(text, "utf16le"))).rejects.toThrow(
      "users.csv:1: looks like UTF-16LE without a byte order mark (every other byte is 0): pass --encoding utf16le",
    );
    await expect(read(Buffer.from(text, "utf16le").swap16())).rejects.toThrow(
      /looks like UTF-16BE .*: pass --encoding utf16be/,
    );
  });

  it("with --encoding utf8 stated, two NUL bytes near the start are text, not a sign of UTF-16", async () => {
    // A UTF-8 file whose first record holds two NULs at odd offsets (a database's \0).
    const nuls = "i\0,\0x\nu1,a\n";
    expect(Buffer.from(nuls, "utf8")[1]).toBe(0);
    await expect(read(Buffer.from(nuls, "utf8"))).rejects.toThrow(/looks like UTF-16LE/);
    expect(await read(Buffer.from(nuls, "utf8"), "utf8")).toBe(nuls);
  });

  it("with the encoding given, or a BOM, it reads; UTF-8 text is not mistaken for it", async () => {
    expect(await read(Buffer.from(text, "utf16le"), "utf16le")).toBe(text);
    expect(
      await read(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])),
    ).toBe(text);
    expect(await read(Buffer.from(text, "utf8"))).toBe(text);
  });
});
