/**
 * Workbook benchmark: readSource over an .xlsx of N rows against the same rows as CSV, each in its
 * own process (so each peak RSS is its own). The rows are a member export as Excel keeps it: an id
 * number, a unique e-mail and a name as shared strings, a grade, points, a join date-time in a date
 * style. The workbook is read at ≥ 0.3 of the CSV's rows/s; its memory is the same at N and N/10
 * rows but for the shared strings (every distinct text, which Excel keeps in one table).
 */

import { once } from "node:events";
import { createWriteStream, existsSync, renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runChildJson } from "./child.js";
import type { ChildResult } from "./dry-run-child.js";
import { writeWorkbook } from "./xlsx-file.js";

const VERSION = 1;
const HEADER = ["id", "email", "name", "grade", "points", "joined"];
const GRADES = ["gold", "silver", "bronze"];
const NAMES = Array.from({ length: 50 }, (_, i) => `회원${String(i).padStart(2, "0")}`);
const FIRST_EMAIL = HEADER.length + GRADES.length + NAMES.length; // the e-mails' shared strings
const DAY = 86_400_000;

export interface WorkbookSize {
  readonly rows: number;
  readonly xlsxMb: number;
  readonly csvMb: number;
  readonly xlsx: ChildResult & { rowsPerSecond: number };
  readonly csv: ChildResult & { rowsPerSecond: number };
  /** xlsx rows/s ÷ csv rows/s. */
  readonly ratio: number;
}

export interface WorkbookBenchResult {
  readonly sizes: readonly WorkbookSize[];
  /** The workbook's peak RSS at the larger size ÷ at the smaller. */
  readonly rssGrowth: number;
}

export async function benchWorkbook(small: number, large: number): Promise<WorkbookBenchResult> {
  const sizes: WorkbookSize[] = [];
  for (const rows of [small, large]) sizes.push(await measure(rows));
  const [a, b] = sizes as [WorkbookSize, WorkbookSize];
  return { sizes, rssGrowth: Number((b.xlsx.maxRssMb / a.xlsx.maxRssMb).toFixed(2)) };
}

const CHILD = fileURLToPath(new URL("./workbook-child.js", import.meta.url));

async function measure(rows: number): Promise<WorkbookSize> {
  const { xlsx, csv } = await workbookFiles(rows);
  const run = async (input: string, format: string) => {
    const r = await runChildJson<ChildResult>(CHILD, [input, format]);
    return { ...r, rowsPerSecond: Math.round(r.rows / (r.ms / 1000)) };
  };
  // CSV first, then the workbook, then both again: the better of each pair, as load comes and goes.
  const passes = [
    await run(csv, "csv"),
    await run(xlsx, "xlsx"),
    await run(csv, "csv"),
    await run(xlsx, "xlsx"),
  ];
  const best = (format: number) =>
    [passes[format], passes[format + 2]].reduce((p, q) =>
      (q?.ms ?? Infinity) < (p?.ms ?? Infinity) ? q : p,
    );
  const csvPass = best(0) as WorkbookSize["csv"];
  const xlsxPass = best(1) as WorkbookSize["xlsx"];
  const mb = (path: string) => Number((statSync(path).size / 1e6).toFixed(1));
  return {
    rows,
    xlsxMb: mb(xlsx),
    csvMb: mb(csv),
    xlsx: xlsxPass,
    csv: csvPass,
    ratio: Number((xlsxPass.rowsPerSecond / csvPass.rowsPerSecond).toFixed(3)),
  };
}

/** The two files of `rows` rows, written once and reused. */
async function workbookFiles(rows: number): Promise<{ xlsx: string; csv: string }> {
  const stem = join(tmpdir(), `dfinery-bench-workbook-v${VERSION}-${rows}`);
  const xlsx = `${stem}.xlsx`;
  const csv = `${stem}.csv`;
  if (!existsSync(xlsx)) {
    await writeWorkbook(`${xlsx}.${process.pid}.partial`, {
      sheets: [{ name: "회원", rows: sheetRows(rows) }],
      strings: sharedStrings(rows),
      numFmts: { 164: "yyyy-mm-dd hh:mm:ss" },
      styles: [164],
    });
    renameSync(`${xlsx}.${process.pid}.partial`, xlsx);
  }
  if (!existsSync(csv)) {
    const out = createWriteStream(`${csv}.${process.pid}.partial`);
    for (const line of csvLines(rows)) if (!out.write(line)) await once(out, "drain");
    out.end();
    await once(out, "finish");
    renameSync(`${csv}.${process.pid}.partial`, csv);
  }
  return { xlsx, csv };
}

/** Row i's values: its id, e-mail, name, grade, points and join date (a 1900 serial number). */
function member(i: number) {
  return {
    email: `user${i}@example.com`,
    name: i % NAMES.length,
    grade: i % GRADES.length,
    points: i * 1.5,
    joined: 44_927 + (i % 1000) + (i % 86_400) / 86_400,
  };
}

function* sharedStrings(rows: number): Generator<string> {
  yield* HEADER;
  yield* GRADES;
  yield* NAMES;
  for (let i = 1; i <= rows; i++) yield member(i).email;
}

function* sheetRows(rows: number): Generator<string> {
  const header = HEADER.map((_, c) => `<c r="${"ABCDEF"[c]}1" t="s"><v>${c}</v></c>`).join("");
  yield `<row r="1" spans="1:6">${header}</row>`;
  for (let i = 1; i <= rows; i++) {
    const m = member(i);
    const r = i + 1;
    yield `<row r="${r}" spans="1:6"><c r="A${r}"><v>${i}</v></c><c r="B${r}" t="s"><v>${FIRST_EMAIL + i - 1}</v></c><c r="C${r}" t="s"><v>${HEADER.length + GRADES.length + m.name}</v></c><c r="D${r}" t="s"><v>${HEADER.length + m.grade}</v></c><c r="E${r}"><v>${m.points}</v></c><c r="F${r}" s="1"><v>${m.joined}</v></c></row>`;
  }
}

function* csvLines(rows: number): Generator<string> {
  yield `${HEADER.join(",")}\n`;
  for (let i = 1; i <= rows; i++) {
    const m = member(i);
    const joined = new Date(Math.round((m.joined - 25_569) * DAY))
      .toISOString()
      .slice(0, 19)
      .replace("T", " ");
    yield `${i},${m.email},${NAMES[m.name]},${GRADES[m.grade]},${m.points},${joined}\n`;
  }
}
