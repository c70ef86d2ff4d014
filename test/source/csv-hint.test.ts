import { describe, expect, it } from "vitest";
import { readSource } from "../../src/source/read.js";
import { collect, tempFile } from "./helpers.js";

describe("a CSV with quotes escaped by a backslash", () => {
  it("says such files are read with dialect: mysql", async () => {
    const path = await tempFile("part-00000.csv", 'id,memo\n1,"say \\"hi\\" now"\n2,plain\n');
    const items = await collect(readSource({ input: path, format: "csv" }));
    expect(items[1]).toMatchObject({
      kind: "invalid",
      line: 2,
      failure: {
        message:
          'Invalid Closing Quote: got "h" at line 2 instead of the delimiter or the end of the line (a quote escaped with a backslash, \\": such files are read with `dialect: mysql` in the mapping\'s source section)',
      },
    });
    const dump = await collect(readSource({ input: path, format: "csv", dialect: "mysql" }));
    expect(dump[1]).toMatchObject({ kind: "row", cells: { id: "1", memo: 'say "hi" now' } });
  });
});
