/**
 * `import-profiles init <input>`: reads the header and the first rows of an export, writes a
 * commented draft mapping, and dry-runs the draft on the same rows, so the first mapping takes one
 * command instead of edit-run cycles. The draft states what it found; it never picks a consent
 * property, and it never overwrites a file unless asked to.
 */
import { existsSync, writeFileSync } from "node:fs";
import { errnoOf, InputError, OutputError, type RowFailure, UsageError } from "../errors.js";
import { applyMapping } from "../mapping/apply.js";
import { parseMapping } from "../mapping/load.js";
import { csvReader, jsonReader } from "../mapping/read.js";
import { FailingColumns, formatFailingColumn } from "../sinks/failing-columns.js";
import { detectFormat } from "../source/read.js";
import type { SourceFormat } from "../source/types.js";
import { renderDraft } from "./draft.js";
import { findIdentities } from "./identity.js";
import { inferColumn } from "./infer.js";
import { readSample, SAMPLE_ROWS, type Sample } from "./sample.js";
import { type FoundEncoding, findEncoding, findFormat, firstLineOf, readHead } from "./sniff.js";

export interface InitOptions {
  readonly input: string;
  readonly out: string;
  readonly force: boolean;
  readonly encoding?: string;
  readonly format?: SourceFormat;
  /** xlsx: the sheet to draft from (default the first visible). */
  readonly sheet?: string;
}

export interface InitResult {
  readonly draft: string;
  readonly sample: Sample;
  readonly valid: number;
  /** What the dry run of the draft on the sample printed. */
  readonly summary: string;
}

const FOUND: readonly string[] = ["utf8", "utf16le", "utf16be", "cp949"];
const asFound = (encoding: string): FoundEncoding =>
  encoding === "euc-kr" ? "cp949" : FOUND.includes(encoding) ? (encoding as FoundEncoding) : "utf8";

const HANGUL = /[\uAC00-\uD7A3]/;

/** Drafts a mapping for `input`, writes it to `out`, and dry-runs it on the sample. */
export async function runInit(options: InitOptions): Promise<InitResult> {
  const { input, out } = options;
  if (input === "-") throw new UsageError("init reads a file, not standard input");
  if (existsSync(out) && !options.force) {
    throw new UsageError(`${out} exists: pass --force to replace it, or --out another file`);
  }
  const { format, encoding } = await findLayout(options);
  const sample = await readSample(input, format, encoding, SAMPLE_ROWS, options.sheet);
  if (sample.rows.length === 0) {
    throw new InputError(input, "has no rows to draft a mapping from (a header alone, or empty)");
  }

  const read = (column: string) => (format === "ndjson" ? jsonReader(column) : csvReader(column));
  const cells = new Map(
    sample.columns.map((c) => {
      const reader = read(c);
      return [c, sample.rows.map((row) => reader(row))] as const;
    }),
  );
  const korean =
    encoding === "cp949" ||
    sample.columns.some((c) => HANGUL.test(c)) ||
    sample.rows.slice(0, 50).some((r) => HANGUL.test(JSON.stringify(r)));
  const timezone = korean ? "Asia/Seoul" : "UTC";
  const draft = renderDraft({
    input,
    sample,
    timezone,
    korean,
    identities: findIdentities(sample.columns, cells),
    columns: sample.columns.map((column) => ({
      column,
      guess: inferColumn(column, cells.get(column) ?? [], timezone),
    })),
    ...nameTemplate(sample.columns),
  });
  const mapping = parseMapping(draft, out); // a draft that does not load is a bug: it throws
  try {
    writeFileSync(out, draft, { flag: options.force ? "w" : "wx", mode: 0o644 });
  } catch (error) {
    throw new OutputError(out, `cannot write the draft mapping (${errnoOf(error)})`, {
      cause: error,
    });
  }

  let valid = 0;
  const failing = new FailingColumns();
  const codes = new Map<string, number>();
  const count = (failure: RowFailure) => {
    codes.set(failure.code, (codes.get(failure.code) ?? 0) + 1);
    if (failure.errors !== undefined) failing.add(failure.errors);
  };
  sample.rows.forEach((row, i) => {
    const result = applyMapping(mapping, { kind: "row", line: i + 2, cells: row }, format);
    if (result.ok) valid++;
    else count(result.failure);
  });
  const rows = sample.rows.length + sample.unreadable;
  const lines = [
    `import-profiles init: wrote ${out} (${format}${format === "xlsx" ? "" : `, ${encoding}`}, ${sample.columns.length} columns)`,
    `dry run of the draft on the first ${rows.toLocaleString("en-US")} rows: ${valid.toLocaleString("en-US")} valid, ${(rows - valid).toLocaleString("en-US")} not`,
  ];
  const top = failing.top();
  if (top.length > 0)
    lines.push("top failing columns:", ...top.map((f) => `  ${formatFailingColumn(f)}`));
  const reasons = [...codes].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`);
  if (sample.unreadable > 0) reasons.push(`unreadable ${sample.unreadable}`);
  if (reasons.length > 0) lines.push(`reasons: ${reasons.join(", ")}`);
  lines.push(
    `next: review the comments and TODO_ names in ${out}, then: import-profiles ${input} --map ${out} --dry-run`,
  );
  return { draft, sample, valid, summary: `${lines.join("\n")}\n` };
}

/** The input's format and encoding: as given, else found (a workbook by its name has none). */
async function findLayout(
  options: InitOptions,
): Promise<{ format: SourceFormat; encoding: string }> {
  const { input } = options;
  if ((options.format ?? detectFormat(input)) === "xlsx")
    return { format: "xlsx", encoding: "utf8" };
  const head = await readHead(input);
  const encoding = options.encoding ?? findEncoding(head, input);
  const format = options.format ?? findFormat(input, firstLineOf(head, asFound(encoding)));
  return { format, encoding };
}

const LAST = /^(last ?name|surname|family ?name|성)$/i;
const FIRST = /^(first ?name|given ?name|이름)$/i;

function nameTemplate(columns: readonly string[]): { nameTemplate?: string } {
  const last = columns.find((c) => LAST.test(c.trim()));
  const first = columns.find((c) => FIRST.test(c.trim()));
  if (last === undefined || first === undefined) return {};
  if (/[{}]/.test(last + first)) return {};
  return { nameTemplate: `{${last}} {${first}}` };
}
