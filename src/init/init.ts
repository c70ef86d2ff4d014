/**
 * `import-profiles init <input>`: reads the header and the first rows of an export, writes a
 * commented draft mapping, and dry-runs the draft on the same rows, so the first mapping takes one
 * command instead of edit-run cycles. The draft states what it found; it never picks a consent
 * property, and it never overwrites a file unless asked to.
 */
import { existsSync, writeFileSync } from "node:fs";
import { errnoOf, InputError, OutputError, UsageError } from "../errors.js";
import { applyMapping } from "../mapping/apply.js";
import { parseMapping } from "../mapping/load.js";
import { csvReader, jsonReader } from "../mapping/read.js";
import { detectFormat } from "../source/read.js";
import type { SourceFormat } from "../source/types.js";
import { renderDraft } from "./draft.js";
import { findIdentities } from "./identity.js";
import { inferColumn } from "./infer.js";
import { readSample, SAMPLE_ROWS, type Sample } from "./sample.js";
import { type FoundEncoding, findEncoding, findFormat, firstLineOf, readHead } from "./sniff.js";
import { DryRunTally } from "./tally.js";

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
  const sample = await readDraftSample(options);
  const { format, encoding } = sample;

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
  writeDraft(out, draft, options.force);

  const tally = new DryRunTally();
  sample.rows.forEach((row, i) => {
    const result = applyMapping(mapping, { kind: "row", line: i + 2, cells: row }, format);
    if (result.ok) tally.pass();
    else tally.fail(result.failure);
  });
  const rows = sample.rows.length + sample.unreadable;
  const lines = [
    `import-profiles init: wrote ${out} (${layoutOf(sample)})`,
    ...tally.lines(rows, sample.unreadable),
    `next: review the comments and TODO_ names in ${out}, then: import-profiles ${input} --map ${out} --dry-run`,
  ];
  return { draft, sample, valid: tally.valid, summary: `${lines.join("\n")}\n` };
}

/** The input's sample, refusing before reading what init cannot draft from or write to. */
export async function readDraftSample(options: InitOptions): Promise<Sample> {
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
  return sample;
}

/** Writes the draft (never over an existing file unless `force`). */
export function writeDraft(out: string, draft: string, force: boolean): void {
  try {
    writeFileSync(out, draft, { flag: force ? "w" : "wx", mode: 0o644 });
  } catch (error) {
    throw new OutputError(out, `cannot write the draft mapping (${errnoOf(error)})`, {
      cause: error,
    });
  }
}

/** `csv, cp949, 12 columns`, as the summary says it. */
export const layoutOf = (sample: Sample): string =>
  `${sample.format}${sample.format === "xlsx" ? "" : `, ${sample.encoding}`}, ${sample.columns.length} columns`;

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
