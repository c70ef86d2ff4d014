/**
 * `import-profiles init <input>`: reads the header and the first rows of an export, writes a
 * commented draft mapping, and dry-runs the draft on the same rows, so the first mapping takes one
 * command instead of edit-run cycles. Every choice rests on what the sample shows and says so; what
 * it does not show is a `TODO_` that fails to load. It never picks a consent property, and it
 * never overwrites a file unless asked to.
 */
import { existsSync, writeFileSync } from "node:fs";
import { ConfigError, errnoOf, InputError, OutputError, UsageError } from "../errors.js";
import { parseMapping } from "../mapping/load.js";
import { csvReader, jsonReader } from "../mapping/read.js";
import { findCountryColumn } from "./countries.js";
import { type DraftInput, identitiesOnly, renderDraft } from "./draft.js";
import type { DraftReading } from "./draft-source.js";
import { dryRunDraft } from "./dry-run.js";
import { findIdentities } from "./identity.js";
import { inferColumn } from "./infer.js";
import { findEmptyMarkers, withoutMarkers } from "./markers.js";
import { nameTemplate } from "./names.js";
import { findLayout, type ReadingOptions } from "./reading.js";
import { readSample, type Sample } from "./sample.js";
import { chooseZone, zoneOfColumn } from "./zone.js";

export interface InitOptions extends ReadingOptions {
  readonly out: string;
  readonly force: boolean;
}

export interface InitResult {
  readonly draft: string;
  readonly sample: Sample;
  readonly valid: number;
  /** What the dry run of the draft on the sample printed. */
  readonly summary: string;
}

export interface ProfileInitResult extends InitResult {
  /** Where and why the draft does not load as written: its TODO_ values; empty: it loads. */
  readonly placeholders: readonly string[];
}

/** Drafts a mapping for `input`, writes it to `out`, and dry-runs it on the sample. */
export async function runInit(options: InitOptions): Promise<ProfileInitResult> {
  const { input, out } = options;
  const { sample, found } = await readDraft(options);
  const d = draftOf(input, sample, found);
  const draft = renderDraft(d);
  // The dry run's mapping: the draft with stand-ins for its TODO_ values. It loads, else a bug.
  const only = identitiesOnly(d);
  const mapping = parseMapping(renderDraft(d, true), out, only);
  const placeholders = placeholdersOf(draft, out, only);
  writeDraft(out, draft, options.force);
  const run = dryRunDraft(mapping, sample, d.identities);
  const lines = [`import-profiles init: wrote ${out} (${layoutOf(sample)})`, ...run.lines];
  if (placeholders.length > 0) {
    lines.push(
      `${out} does not load until you write what the sample could not tell (the dry run above stood in for them):`,
      ...placeholders.map((t) => `  ${t}`),
    );
  }
  const command = only ? "dfinery-import identities" : "import-profiles";
  lines.push(
    `next: review the comments and TODO_ names in ${out}, then: ${command} ${input} --map ${out} --dry-run`,
  );
  return { draft, sample, valid: run.valid, placeholders, summary: `${lines.join("\n")}\n` };
}

/** The input's sample, read as the layout found says, and what was found about its layout. */
export async function readDraft(
  options: InitOptions,
): Promise<{ sample: Sample; found: DraftReading }> {
  const { input, out } = options;
  if (input === "-") throw new UsageError("init reads a file, not standard input");
  if (existsSync(out) && !options.force) {
    throw new UsageError(`${out} exists: pass --force to replace it, or --out another file`);
  }
  const layout = await findLayout(options);
  const sample = await readSample(layout.reading);
  if (sample.rows.length === 0) {
    throw new InputError(input, "has no rows to draft a mapping from (a header alone, or empty)");
  }
  return { sample, found: layout.source };
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

/** Everything the sample shows, weighed: the draft's content. */
function draftOf(input: string, sample: Sample, found: DraftReading) {
  const read = (c: string) => (sample.format === "ndjson" ? jsonReader(c) : csvReader(c));
  const raw = new Map(
    sample.columns.map((c) => {
      const reader = read(c);
      return [c, sample.rows.map((row) => reader(row))] as const;
    }),
  );
  const markers = findEmptyMarkers(raw);
  const empty = new Set(markers.map((m) => m.marker));
  const cells = new Map([...raw].map(([c, values]) => [c, withoutMarkers(values, empty)]));
  const columns = sample.columns.map((column) => ({
    column,
    guess: inferColumn(column, cells.get(column) ?? [], "UTC"),
  }));
  const datetimes = columns.flatMap(({ column, guess }) =>
    guess?.type === "Datetime"
      ? [{ column, evidence: zoneOfColumn(column, textsOf(cells.get(column)), guess.format) }]
      : [],
  );
  const d: DraftInput = {
    input,
    rows: sample.rows.length,
    source: { ...found, zone: chooseZone(datetimes, sample.columns), markers },
    identities: findIdentities(sample.columns, cells, findCountryColumn(sample.columns, cells)),
    columns,
    ...nameTemplate(sample.columns, cells),
  };
  return d;
}

const textsOf = (values: readonly unknown[] = []) =>
  values.flatMap((v) => (typeof v === "string" && v.trim() !== "" ? [v.trim()] : []));

/** The draft's placeholders, as loading it says them (line and what to write); none: it loads. */
function placeholdersOf(draft: string, out: string, identityOnly: boolean): string[] {
  try {
    parseMapping(draft, out, identityOnly);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((i) => `line ${i.line ?? "?"}: ${i.path}: ${i.message}`);
  }
}
