/**
 * Issue 21, item 14: a record past the 8 MiB bound (a line without a line break, a 100 MB cell of a
 * MySQL dump) no longer stops the run: it is dead-lettered with its line and the reason, its text
 * dropped as it is read (memory stays bounded), and the records after it are read exactly as
 * Python's csv module reads them (python3 computes the expected rows from the same file).
 */
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  childEnv,
  emulatorPerTest,
  HEAP_PROBE,
  importFile,
  ROOT,
  readJson,
  readNdjson,
  tempDir,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();
const MiB = 1024 * 1024;

/** Python's csv module's records of `path` (its field size limit lifted), each with its first line. */
function pythonRecords(path: string): [number, string[]][] {
  const script = `import csv, json, sys
csv.field_size_limit(sys.maxsize)
out = []
with open(sys.argv[1], newline='') as f:
  r = csv.reader(f)
  while True:
    start = r.line_num + 1
    try:
      row = next(r)
    except StopIteration:
      break
    if row:
      out.append([start, row])
print(json.dumps(out))`;
  return JSON.parse(
    execFileSync("python3", ["-c", script, path], { encoding: "utf8", maxBuffer: 64 * MiB }),
  );
}

const MAPPING = `identity:
  external_id: id
properties:
  bio: bio
  points: { column: points, type: Long }
`;

describe("a CSV record longer than 8 MiB", () => {
  it("is dead-lettered with its line and why; the rows after it are read as Python's csv reads them", async () => {
    const e = await emulator();
    const dir = tempDir();
    const long = `u2,${"x".repeat(9 * MiB)},2`; // no line break where one was expected
    const after = [
      'u3,"two\nlines, with ""quotes""",3',
      'u4,"a cell\r\nof CRLF lines",4',
      "u5,plain,5",
    ];
    const text = `id,bio,points\nu1,hello,1\n${long}\n${after.join("\n")}\n`;
    const result = await importFile(dir, e.url, "users.csv", text, MAPPING);
    const [header, ...records] = pythonRecords(join(dir, "users.csv"));
    expect(header).toEqual([1, ["id", "bio", "points"]]);
    expect(records.map(([line, [id]]) => [line, id])).toEqual([
      [2, "u1"],
      [3, "u2"],
      [4, "u3"],
      [6, "u4"],
      [8, "u5"],
    ]);

    expect(result.code).toBe(1);
    const expected = records.filter(([, [id]]) => id !== "u2");
    const sent = e.store.list().map((r) => [r.identity.external_id, r.user_properties]);
    expect(sent).toEqual(
      expected.map(([, [id, bio, points]]) => [id, { bio, points: Number(points) }]),
    );
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 5,
      accepted: 4,
      deadLettered: 1,
    });
    const [letter, ...more] = readNdjson(join(dir, "dl.ndjson"));
    expect(more).toEqual([]);
    expect(letter).toMatchObject({
      line: 3,
      row: long.slice(0, 1024),
      payload: null,
      error: {
        stage: "input",
        code: "CSV_PARSE",
        message: `a record starting here is longer than ${8 * MiB} characters; it holds no line break where one was expected: check the format, delimiter and encoding (a record longer than ${8 * MiB} characters: only its first 1024 are kept here)`,
      },
    });
  }, 60_000);
});

const DUMP_MAPPING = `source:
  format: tsv
  dialect: mysql
  header: false
  columns: [id, bio]
identity:
  external_id: id
properties:
  bio: bio
`;

/**
 * import-profiles --dry-run --sample 9 on a MySQL dump whose second record has a cell of `mib` MiB
 * of escaped short lines (`ab\` + line break, as OUTFILE writes a value's line breaks); its exit
 * code, report, dead letters, payloads printed and peak heap.
 */
async function dumpWithCell(dir: string, mib: number) {
  const probe = write(dir, "probe.cjs", HEAP_PROBE);
  const map = write(dir, "dump.yaml", DUMP_MAPPING);
  const heapOut = join(dir, `heap-${mib}`);
  const [dl, report] = [join(dir, `dl-${mib}.ndjson`), join(dir, `r-${mib}.json`)];
  const cli = join(ROOT, "dist/src/cli/import-profiles.js");
  const input = join(dir, `dump-${mib}.tsv`);
  const fd = openSync(input, "w");
  writeSync(fd, "u1\tbefore\nu2\t");
  const lines = "ab\\\n".repeat(MiB / 4); // 1 MiB
  for (let i = 0; i < mib; i++) writeSync(fd, lines);
  writeSync(fd, "\nu3\tafter \\\\ \\\nend\nu4\tlast\n\tno id\n");
  closeSync(fd);
  const argv = [input, "--map", map, "--dry-run", "--sample", "9", "--dead-letter", dl];
  const child = spawn(
    process.execPath,
    ["--expose-gc", "--require", probe, cli, ...argv, "--report", report],
    { env: childEnv({ HEAP_OUT: heapOut }), stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString("utf8");
  });
  const [code] = await once(child, "exit");
  rmSync(input);
  const payloads = stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
  return {
    code,
    report: readJson(report),
    letters: readNdjson(dl),
    payloads,
    heap: Number(readFileSync(heapOut, "utf8")),
  };
}

describe("a MySQL dump cell of 100 MB", () => {
  it("is dead-lettered as it streams: the records after it are read, ten times the cell takes about the same heap", async () => {
    const dir = tempDir();
    const small = await dumpWithCell(dir, 10);
    const large = await dumpWithCell(dir, 100);
    for (const [run, mib] of [
      [small, 10],
      [large, 100],
    ] as const) {
      expect(run.code).toBe(1);
      expect(run.report).toMatchObject({ rows: 5, deadLettered: 2 });
      // The cell's lines are not records: the next record starts on the line after its last.
      const next = 2 + mib * (MiB / 4) + 1;
      expect(run.letters.map((l) => [l.line, l.row, l.error.code])).toEqual([
        [2, "u2\tab\\", "CSV_PARSE"], // its first line
        [next + 3, { id: "", bio: "no id" }, "NO_IDENTITY"],
      ]);
      expect(run.payloads.map((p) => [p.identity.external_id, p.user_properties.bio])).toEqual([
        ["u1", "before"],
        ["u3", "after \\ \nend"],
        ["u4", "last"],
      ]);
    }
    // Holding the cell, 100 MB would add at least the 90 MB more text to the heap of 10 MB;
    // streamed, at most the record bound (8 MiB) and a few chunks more. An absolute margin, not a
    // ratio: a short run takes few heap samples and may miss its own peak (1.54 seen under load).
    expect(large.heap - small.heap).toBeLessThan(40 * MiB);
  }, 120_000);
});
