import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandInputs, inputStem } from "../../src/source/inputs.js";

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "inputs-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("expandInputs", () => {
  it("reads one name as it is, a folder or a glob expanded", async () => {
    const dir = tree({ "a[1].csv": "x\n" });
    expect(await expandInputs([join(dir, "a[1].csv")])).toMatchObject({
      files: [join(dir, "a[1].csv")],
      many: false,
    });
    expect(await expandInputs(["-"])).toMatchObject({ files: ["-"], many: false });
    expect(await expandInputs([join(dir, "missing.csv")])).toMatchObject({ many: false });
  });

  it("lists a folder's files in name order, nested ones too; skips and counts markers, checksums, hidden and empty files", async () => {
    const dir = tree({
      "part-00010.csv": "x\n",
      "part-00009.csv": "x\n",
      "year=2024/part-00000.csv": "x\n",
      _SUCCESS: "",
      "._SUCCESS.crc": "c",
      ".part-00009.csv.crc": "c",
      "_temporary/0/part-00011.csv": "x\n",
      ".hidden.csv": "x\n",
      "empty.csv": "",
    });
    const inputs = await expandInputs([dir]);
    expect(inputs.files).toEqual([
      join(dir, "part-00009.csv"),
      join(dir, "part-00010.csv"),
      join(dir, "year=2024/part-00000.csv"),
    ]);
    expect(inputs.skipped).toEqual({ marker: 2, checksum: 2, hidden: 1, empty: 1 });
    expect(inputs.many).toBe(true);
  });

  it("expands a glob, names each file once however often it is named", async () => {
    const dir = tree({ "h/b.json.gz": "x", "h/a.json.gz": "x", "h/c.txt": "x" });
    const inputs = await expandInputs([join(dir, "h/*.json.gz"), join(dir, "h/a.json.gz")]);
    expect(inputs.files).toEqual([join(dir, "h/a.json.gz"), join(dir, "h/b.json.gz")]);
  });

  it("refuses a glob that matches nothing, a missing name among several, and - among other inputs", async () => {
    const dir = tree({ "a.csv": "x\n" });
    await expect(expandInputs([join(dir, "*.tsv")])).rejects.toThrow(
      `${join(dir, "*.tsv")}: this glob matches no file`,
    );
    await expect(expandInputs([join(dir, "a.csv"), join(dir, "b.csv")])).rejects.toThrow(
      `${join(dir, "b.csv")}: no such file, folder or glob match`,
    );
    await expect(expandInputs(["-", join(dir, "a.csv")])).rejects.toThrow(
      "- (standard input) cannot be read with other inputs",
    );
  });
});

describe("inputStem", () => {
  it("names outputs after the file, the folder, or a glob's folder", () => {
    expect(inputStem("exports/users.csv")).toBe("users.csv");
    expect(inputStem("exports/users/")).toBe("users");
    expect(inputStem("hourly/*.json.gz")).toBe("hourly");
    expect(inputStem("*.csv")).toBe("inputs");
    expect(inputStem("-")).toBe("stdin");
  });
});
