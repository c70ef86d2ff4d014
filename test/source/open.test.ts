import { readdirSync, readlinkSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { openBytes, sourceName } from "../../src/source/open.js";
import { collect, split, stdinOf, tempDir, tempFile } from "./helpers.js";

async function read(input: string, stdin?: NodeJS.ReadableStream): Promise<string> {
  return Buffer.concat(await collect(openBytes(input, stdin))).toString("utf8");
}

const TEXT = "email,name\na@example.com,Ann\n";

/** How many of this process's file descriptors point at `path` (Linux). */
function openDescriptors(path: string): number {
  return readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false; // the descriptor readdir itself used
    }
  }).length;
}

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

  test.skipIf(process.platform !== "linux").each(["big.csv", "big.csv.gz"])(
    "stopping on the first chunk closes the file (%s)",
    async (name) => {
      const text = `email\n${Array.from({ length: 200_000 }, (_, i) => `u${i}@x\n`).join("")}`;
      const path = await tempFile(name, name.endsWith(".gz") ? gzipSync(text) : text);
      const bytes = openBytes(path);
      await bytes.next();
      expect(openDescriptors(path)).toBe(1);
      await bytes.return(undefined);
      await expect.poll(() => openDescriptors(path)).toBe(0);
    },
  );

  test.skipIf(process.platform !== "linux")(
    "an error on the first chunk (a bad header) closes the file",
    async () => {
      const text = `email\n${Array.from({ length: 200_000 }, (_, i) => `u${i}@x\n`).join("")}`;
      const path = await tempFile("big.csv", text);
      const bytes = openBytes(path);
      await bytes.next();
      await expect(bytes.throw(new Error("no column mobile"))).rejects.toThrow("no column mobile");
      await expect.poll(() => openDescriptors(path)).toBe(0);
    },
  );

  test("names standard input <stdin> in errors", () => {
    expect(sourceName("-")).toBe("<stdin>");
    expect(sourceName("data/users.csv")).toBe("data/users.csv");
  });
});
