import { readdirSync, readlinkSync } from "node:fs";
import { gzipSync } from "node:zlib";
import iconv from "iconv-lite";
import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { detectFormat, readSource } from "../../src/source/index.js";
import { readSourceBatches } from "../../src/source/read.js";
import type { SourceItem, SourceOptions } from "../../src/source/types.js";
import { collect, split, stdinOf, tempDir, tempFile } from "./helpers.js";

const CSV = "email,name\na@example.com,Ann\nb@example.com,Bob\n";
const CSV_ITEMS: SourceItem[] = [
  { kind: "header", columns: ["email", "name"] },
  { kind: "row", line: 2, cells: { email: "a@example.com", name: "Ann" } },
  { kind: "row", line: 3, cells: { email: "b@example.com", name: "Bob" } },
];

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

function read(options: SourceOptions): Promise<SourceItem[]> {
  return collect(readSource(options));
}

describe("detectFormat", () => {
  test.each([
    ["users.csv", "csv"],
    ["users.CSV", "csv"],
    ["users.tsv", "tsv"],
    ["events.ndjson", "ndjson"],
    ["events.jsonl", "ndjson"],
    ["dir.v2/users.csv.gz", "csv"],
    ["users.tsv.gz", "tsv"],
    ["events.jsonl.gz", "ndjson"],
  ])("%s is %s", (path, format) => {
    expect(detectFormat(path)).toBe(format);
  });

  test.each(["users.txt", "users", "-", "users.gz", "dir.csv/users", "users.csv.zip"])(
    "%s has no known format",
    (path) => {
      expect(detectFormat(path)).toBeUndefined();
    },
  );
});

describe("readSource", () => {
  test("reads a gzipped CSV file", async () => {
    const input = await tempFile("users.csv.gz", gzipSync(CSV));
    expect(await read({ input, format: "csv" })).toEqual(CSV_ITEMS);
  });

  test("reads gzipped CSV from standard input", async () => {
    const stdin = stdinOf(...split(gzipSync(CSV), 10));
    expect(await read({ input: "-", format: "csv", stdin })).toEqual(CSV_ITEMS);
  });

  test("reads plain CSV from standard input", async () => {
    const stdin = stdinOf(...split(Buffer.from(CSV), 7));
    expect(await read({ input: "-", format: "csv", stdin })).toEqual(CSV_ITEMS);
  });

  test("reads gzipped NDJSON", async () => {
    const input = await tempFile(
      "events.jsonl.gz",
      gzipSync('{"email":"a@x"}\n\n{"email":"b@x"}\n'),
    );
    expect(await read({ input, format: "ndjson" })).toEqual([
      { kind: "row", line: 1, cells: { email: "a@x" } },
      { kind: "row", line: 3, cells: { email: "b@x" } },
    ]);
  });

  test("reads a CP949 CSV with exact Korean names, CP949-only syllables included", async () => {
    const text = "이메일,이름,메모\r\nhong@x,홍길동,똠햏\r\nkim@x,김쌰,뷁\r\n";
    const input = await tempFile("users.csv", iconv.encode(text, "cp949"));
    expect(await read({ input, format: "csv", encoding: "EUC-KR" })).toEqual([
      { kind: "header", columns: ["이메일", "이름", "메모"] },
      { kind: "row", line: 2, cells: { 이메일: "hong@x", 이름: "홍길동", 메모: "똠햏" } },
      { kind: "row", line: 3, cells: { 이메일: "kim@x", 이름: "김쌰", 메모: "뷁" } },
    ]);
  });

  test("reads a UTF-16 LE CSV (Excel's Unicode text) by its BOM", async () => {
    const input = await tempFile(
      "users.tsv",
      Buffer.from(`\ufeffemail\t이름\r\na@x\t홍길동\r\n`, "utf16le"),
    );
    expect(await read({ input, format: "tsv" })).toEqual([
      { kind: "header", columns: ["email", "이름"] },
      { kind: "row", line: 2, cells: { email: "a@x", 이름: "홍길동" } },
    ]);
  });

  test("a CP949 file read as UTF-8 fails the run with the line and a hint", async () => {
    const text = "email,name\r\na@x,Ann\r\nb@x,홍길동\r\n";
    const input = await tempFile("users.csv", iconv.encode(text, "cp949"));
    const error = await read({ input, format: "csv" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: "E_INPUT", line: 3 });
    expect((error as Error).message).toMatch(/users\.csv:3: not valid UTF-8 .*--encoding cp949/);
  });

  test("a missing file fails on the first item with an InputError", async () => {
    const input = `${await tempDir()}/nope.csv`;
    const error = await read({ input, format: "csv" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`${input}: no such file`);
  });

  test("an unknown encoding fails with the supported ones listed", async () => {
    const input = await tempFile("users.csv", CSV);
    await expect(read({ input, format: "csv", encoding: "latin1" })).rejects.toThrow(
      /unknown encoding "latin1"; supported: utf8/,
    );
  });

  test.skipIf(process.platform !== "linux").each(["big.csv", "big.csv.gz"])(
    "stopping early closes the file (%s)",
    async (name) => {
      const text = `email\n${Array.from({ length: 200_000 }, (_, i) => `u${i}@x\n`).join("")}`;
      const input = await tempFile(name, name.endsWith(".gz") ? gzipSync(text) : text);
      const source = readSource({ input, format: "csv" });
      await source.next();
      await source.next();
      expect(openDescriptors(input)).toBe(1);
      await source.return(undefined);
      await expect.poll(() => openDescriptors(input)).toBe(0);
    },
  );

  test.skipIf(process.platform !== "linux").each(["small.csv", "small.csv.gz", "big.csv"])(
    "stopping on the first chunk (after the header) closes the file (%s)",
    async (name) => {
      // A header missing a mapped column stops the run right after the header item.
      const rows = name === "big.csv" ? 200_000 : 3;
      const text = `email\n${Array.from({ length: rows }, (_, i) => `u${i}@x\n`).join("")}`;
      const input = await tempFile(name, name.endsWith(".gz") ? gzipSync(text) : text);
      const source = readSource({ input, format: "csv" });
      expect((await source.next()).value).toEqual({ kind: "header", columns: ["email"] });
      await source.return(undefined);
      await expect.poll(() => openDescriptors(input)).toBe(0);
    },
  );

  test.each([
    ["big.csv", "csv"],
    ["big.ndjson", "ndjson"],
  ] as const)(
    "%s comes in bounded batches, a chunk's records each, in line order, as readSource gives them one by one",
    async (name, format) => {
      const rows = 50_000; // ~1.2 MB: some 20 chunks of 64 KiB
      const lines = Array.from({ length: rows }, (_, i) =>
        format === "csv" ? `u${i}@example.com,${i}` : `{"email":"u${i}@example.com","n":${i}}`,
      );
      const text = `${format === "csv" ? "email,n\n" : ""}${lines.join("\n")}\n`;
      const input = await tempFile(name, text);
      const batches = await collect(readSourceBatches({ input, format }));
      const items = batches.flat();
      const numbered = items.flatMap((item) => (item.kind === "row" ? [item.line] : []));
      const first = format === "csv" ? 2 : 1;
      expect(numbered).toEqual(Array.from({ length: rows }, (_, i) => i + first));
      expect(batches.length).toBeGreaterThan(10);
      for (const batch of batches) {
        expect(batch.length).toBeGreaterThan(0);
        // no more than a 64 KiB chunk holds: the shortest line is 17 bytes
        expect(batch.length).toBeLessThanOrEqual(Math.ceil((64 * 1024) / 17));
      }
      expect(await read({ input, format })).toEqual(items);
    },
  );
});
