import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { openBytes } from "../../src/source/open.js";
import { collect, tempFile } from "./helpers.js";

/** 5,000 CSV lines: enough that decompressed data is still in flight when the garbage is met. */
const text = Array.from({ length: 5_000 }, (_, i) => `u${i},user${i}@example.com`).join("\n");

async function read(bytes: Buffer): Promise<string> {
  const path = await tempFile("users.csv.gz", bytes);
  return Buffer.concat(await collect(openBytes(path))).toString("utf8");
}

describe("gzip input", () => {
  it("ignores trailing garbage after the last member, as gzip -d does, and loses nothing", async () => {
    const garbage = Buffer.from("GARBAGE-TRAILING-BYTES\n");
    expect(await read(Buffer.concat([gzipSync(text), garbage]))).toBe(text);
    expect(await read(Buffer.concat([gzipSync(text), Buffer.alloc(512)]))).toBe(text); // padding
  });

  it("reads every member of a multi-member file, and a member with a file name", async () => {
    const half = text.length / 2;
    const named = gzipSync(text.slice(half));
    const withName = Buffer.concat([
      Buffer.from([0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 3]),
      Buffer.from("users.csv\0"),
      named.subarray(10),
    ]);
    const members = Buffer.concat([gzipSync(text.slice(0, half)), withName]);
    expect(await read(members)).toBe(text);
  });

  it("still refuses a cut or damaged member, a wrong CRC, and a .gz that is not gzip", async () => {
    const whole = gzipSync(text);
    await expect(read(whole.subarray(0, 3_000))).rejects.toThrow(
      /not valid gzip data \(unexpected end of file\)/,
    );
    await expect(read(whole.subarray(0, whole.length - 4))).rejects.toThrow(
      /unexpected end of file/,
    );
    await expect(read(Buffer.from(text))).rejects.toThrow(
      /not valid gzip data \(incorrect header check\)/,
    );
    const badCrc = Buffer.from(whole);
    badCrc[badCrc.length - 8] = (badCrc[badCrc.length - 8] ?? 0) ^ 0xff;
    await expect(read(badCrc)).rejects.toThrow(/incorrect data check/);
    const damaged = Buffer.from(whole);
    damaged.fill(0x41, 200, 260);
    await expect(read(damaged)).rejects.toThrow(/not valid gzip data/);
  });
});
