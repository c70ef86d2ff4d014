/**
 * Issue 21, item 1: a cell of a valid CSV must not forge rows for other users. A quoted cell that
 * closes is one cell however many lines it spans; the file is read exactly as Python's `csv` module
 * reads it (python3 computes the expected rows from the same file), through import-profiles
 * against the emulator.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emulatorPerTest, importFile, readJson, tempDir } from "./helpers.js";

const emulator = emulatorPerTest();

const MAPPING = `identity:
  external_id: id
properties:
  bio: bio
  points: { column: points, type: Long }
`;

/** The bio of the issue: `"I like cats` + 101 line breaks + `victim,HACKED,999999` + `"`. */
const BIO = `"I like cats${"\n".repeat(101)}victim,HACKED,999999"`;

const FILES: Record<string, string> = {
  "the issue's bio": `id,bio,points\nu1,hello,1\nattacker,${BIO},5\nu2,bye,2\n`,
  // The same with the closing quote on a line of its own: the line inside reads as a whole row.
  "a bio whose closing quote is on the next line": `id,bio,points\r\nu1,hello,1\r\nattacker,"I like cats${"\r\n".repeat(101)}victim,HACKED,999999\r\n",5\r\nu2,bye,2\r\n`,
};

/** The rows Python's csv module reads from `path`, header first. */
function pythonRows(path: string): string[][] {
  const script =
    "import csv, json, sys\nwith open(sys.argv[1], newline='') as f:\n  print(json.dumps(list(csv.reader(f))))";
  return JSON.parse(execFileSync("python3", ["-c", script, path], { encoding: "utf8" }));
}

describe("a quoted cell spanning more than 100 lines", () => {
  for (const [name, text] of Object.entries(FILES)) {
    it(`${name}: is one cell, read as Python's csv module reads it; no profile for victim`, async () => {
      const e = await emulator();
      const dir = tempDir();
      const result = await importFile(dir, e.url, "users.csv", text, MAPPING);
      const [header, ...expected] = pythonRows(join(dir, "users.csv"));
      expect(header).toEqual(["id", "bio", "points"]);
      expect(expected.map((row) => row[0])).toEqual(["u1", "attacker", "u2"]);

      expect(result.code).toBe(0);
      const sent = e.store.list().map((r) => [r.identity.external_id, r.user_properties]);
      expect(sent).toEqual(
        expected.map(([id, bio, points]) => [id, { bio, points: Number(points) }]),
      );
      expect(e.store.last("external_id", "victim")).toBeUndefined();
      expect(readJson(join(dir, "report.json"))).toMatchObject({
        rows: 3,
        accepted: 3,
        deadLettered: 0,
      });
      expect(existsSync(join(dir, "dl.ndjson"))).toBe(false); // nothing dead-lettered
    });
  }
});
