import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { openBytes, sourceName } from "../../src/source/open.js";
import { collect, split, stdinOf, tempDir, tempFile } from "./helpers.js";

async function read(input: string, stdin?: NodeJS.ReadableStream): Promise<string> {
  return Buffer.concat(await collect(openBytes(input, stdin))).toString("utf8");
}

const TEXT = "email,name\na@example.com,Ann\n";

describe("openBytes", () => {
  test("reads a file's bytes as they are", async () => {
    const path = await tempFile("users.csv", TEXT);
    expect(await read(path)).toBe(TEXT);
  });

  test("gunzips a .gz file on the fly", async () => {
    const path = await tempFile("users.csv.gz", gzipSync(TEXT));
    expect(await read(path)).toBe(TEXT);
  });

  test("gunzips a file by its magic bytes whatever its name", async () => {
    const path = await tempFile("users.csv", gzipSync(TEXT));
    expect(await read(path)).toBe(TEXT);
  });

  test("reads standard input from the given stream for `-`", async () => {
    expect(await read("-", stdinOf(Buffer.from("email\n"), Buffer.from("a@x\n")))).toBe(
      "email\na@x\n",
    );
  });

  test("gunzips standard input by its magic bytes, even when they arrive one chunk each", async () => {
    const stdin = stdinOf(...split(gzipSync(TEXT), 1));
    expect(await read("-", stdin)).toBe(TEXT);
  });

  test("reads an empty input as no bytes", async () => {
    expect(await read("-", stdinOf())).toBe("");
  });

  test("a missing file is an InputError saying so", async () => {
    const path = `${await tempDir()}/missing.csv`;
    const error = await read(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: "E_INPUT", file: path, message: `${path}: no such file` });
  });

  test("a directory is an InputError", async () => {
    const dir = await tempDir();
    await expect(read(dir)).rejects.toThrow(`${dir}: is a directory, not a file`);
  });

  test("a .gz file that is not gzip is an InputError", async () => {
    const path = await tempFile("users.csv.gz", TEXT);
    const error = await read(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/users\.csv\.gz: not valid gzip data/);
  });

  test("a truncated gzip stream is an InputError", async () => {
    const gz = gzipSync(TEXT.repeat(100));
    const error = await read("-", stdinOf(gz.subarray(0, gz.length - 10))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^<stdin>: not valid gzip data/);
  });

  test("names standard input <stdin> in errors", () => {
    expect(sourceName("-")).toBe("<stdin>");
    expect(sourceName("data/users.csv")).toBe("data/users.csv");
  });
});
