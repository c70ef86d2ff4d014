import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { readCsv } from "../../src/source/csv.js";
import { chunks, collect, split } from "./helpers.js";

const CSV = { format: "csv", delimiter: "," } as const;

async function errorOf(text: string): Promise<InputError> {
  const error = await collect(
    readCsv(chunks(...split(text, 100)), "big.csv", { ...CSV, maxRecordSize: 1_000 }),
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe("a record beyond the size bound", () => {
  test("without a quote in it, is not blamed on an unbalanced quote", async () => {
    const cells = Array.from({ length: 400 }, (_, i) => `cell${i}`).join(",");
    const error = await errorOf(`id,name\n${cells}\r${cells}\r${cells}\n`); // bare CRs
    expect(error.line).toBe(2);
    expect(error.message).toBe(
      "big.csv:2: a record starting here is longer than 1000 characters; it holds no line break where one was expected: check the format, delimiter and encoding",
    );
  });

  test("with an open quote, costs only the line that opened it", async () => {
    const after = Array.from({ length: 300 }, (_, i) => `${i},row`).join("\n");
    const text = `id,name\n1,"never closed\n${after}\n`;
    const items = await collect(
      readCsv(chunks(...split(text, 100)), "big.csv", { ...CSV, maxRecordSize: 1_000 }),
    );
    expect(items.filter((i) => i.kind === "invalid")).toMatchObject([
      { line: 2, raw: '1,"never closed', failure: { code: "CSV_PARSE" } },
    ]);
    expect(items.filter((i) => i.kind === "row")).toHaveLength(300);
  });
});
