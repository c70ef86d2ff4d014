import { describe, expect, test } from "vitest";
import { readCsv } from "../../src/source/csv.js";
import { chunks, collectItems, split } from "./helpers.js";

const CSV = { format: "csv", delimiter: "," } as const;

describe("a record beyond the size bound", () => {
  test("without a quote in it, is dead-lettered (not blamed on an unbalanced quote); the rows after it are read", async () => {
    const cells = Array.from({ length: 400 }, (_, i) => `cell${i}`).join(",");
    const text = `id,name\n${cells}\n3,after\n`;
    const items = await collectItems(
      readCsv(chunks(...split(text, 100)), "big.csv", { ...CSV, maxRecordSize: 1_000 }),
    );
    expect(items.slice(1)).toEqual([
      {
        kind: "invalid",
        line: 2,
        raw: cells.slice(0, 1_000),
        failure: {
          stage: "input",
          code: "CSV_PARSE",
          message:
            "a record starting here is longer than 1000 characters; it holds no line break where one was expected: check the format, delimiter and encoding (a record longer than 1000 characters: only its first 1000 are kept here)",
        },
      },
      { kind: "row", line: 3, cells: { id: "3", name: "after" } },
    ]);
  });

  test("with an open quote, costs only the line that opened it", async () => {
    const after = Array.from({ length: 300 }, (_, i) => `${i},row`).join("\n");
    const text = `id,name\n1,"never closed\n${after}\n`;
    const items = await collectItems(
      readCsv(chunks(...split(text, 100)), "big.csv", { ...CSV, maxRecordSize: 1_000 }),
    );
    expect(items.filter((i) => i.kind === "invalid")).toMatchObject([
      { line: 2, raw: '1,"never closed', failure: { code: "CSV_PARSE" } },
    ]);
    expect(items.filter((i) => i.kind === "row")).toHaveLength(300);
  });
});
