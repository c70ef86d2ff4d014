/**
 * The parts of an .xlsx a sheet is read with, found as OOXML says (by relationships, not by fixed
 * names): the workbook (its sheets in tab order, its date system), the styles (which cell styles
 * show dates) and the shared strings (where Excel keeps every text cell's text).
 */
import { InputError } from "../errors.js";
import { SharedStrings } from "./shared-strings.js";
import { type DateKind, dateKind } from "./xlsx-dates.js";
import { StringScanner, stringsHandler } from "./xlsx-strings-scan.js";
import { feedScanner, readXml } from "./xml.js";
import { SI } from "./xml-bytes.js";
import { UnitScanner } from "./xml-units.js";
import type { Zip } from "./zip.js";

export interface SheetEntry {
  readonly name: string;
  /** The sheet's part in the zip; undefined for a chart or dialog sheet (no cells). */
  readonly part: string | undefined;
  readonly hidden: boolean;
}

export interface WorkbookParts {
  /** In tab order. */
  readonly sheets: readonly SheetEntry[];
  readonly date1904: boolean;
  /** By cell style index (`s`): how the style shows a number, undefined for a plain number. */
  readonly dateStyles: readonly (DateKind | undefined)[];
  readonly strings: SharedStrings;
}

type Rels = ReadonlyMap<string, { readonly target: string; readonly type: string }>;

export async function readWorkbookParts(zip: Zip, file: string): Promise<WorkbookParts> {
  const root = await readRels(zip, "_rels/.rels", "", file);
  const main = [...root.values()].find((r) => r.type.endsWith("/officeDocument"))?.target;
  const workbookPart = main ?? "xl/workbook.xml";
  if (!zip.has(workbookPart)) {
    throw new InputError(
      file,
      "is a zip archive but not an Excel workbook (it has no workbook part)",
    );
  }
  const dir = workbookPart.slice(0, workbookPart.lastIndexOf("/") + 1);
  const name = workbookPart.slice(dir.length);
  const rels = await readRels(zip, `${dir}_rels/${name}.rels`, dir, file);
  const byType = (type: string) => [...rels.values()].find((r) => r.type.endsWith(type))?.target;
  const { sheets, date1904 } = await readWorkbook(zip, workbookPart, rels, file);
  const styles = byType("/styles");
  const strings = byType("/sharedStrings");
  return {
    sheets,
    date1904,
    dateStyles: styles === undefined ? [] : await readStyles(zip, styles, file),
    strings: strings === undefined ? new SharedStrings() : await readStrings(zip, strings, file),
  };
}

/** A relationships part: id → target (resolved against `dir`) and type. */
async function readRels(zip: Zip, part: string, dir: string, file: string): Promise<Rels> {
  const rels = new Map<string, { target: string; type: string }>();
  if (!zip.has(part)) return rels;
  await readXml(
    zip.text(part),
    {
      open(name, a) {
        if (name !== "Relationship" || a.Id === undefined || a.Target === undefined) return;
        if (a.TargetMode === "External") return;
        rels.set(a.Id, { target: resolvePart(dir, a.Target), type: a.Type ?? "" });
      },
      close() {},
      text() {},
    },
    file,
    part,
  );
  return rels;
}

/** A relationship's target as a part name: `/xl/x.xml` → `xl/x.xml`, `../a/b` against `dir`. */
function resolvePart(dir: string, target: string): string {
  const parts = target.startsWith("/") ? [] : dir.split("/").filter((p) => p !== "");
  for (const step of target.split("/")) {
    if (step === "..") parts.pop();
    else if (step !== "." && step !== "") parts.push(step);
  }
  return parts.join("/");
}

async function readWorkbook(zip: Zip, part: string, rels: Rels, file: string) {
  const sheets: SheetEntry[] = [];
  let date1904 = false;
  await readXml(
    zip.text(part),
    {
      open(name, a) {
        if (name === "workbookPr") date1904 = a.date1904 === "1" || a.date1904 === "true";
        if (name !== "sheet") return;
        const rel = rels.get(a["r:id"] ?? relId(a) ?? "");
        const part = rel?.type.endsWith("/worksheet") === true ? rel.target : undefined;
        const hidden = a.state === "hidden" || a.state === "veryHidden";
        sheets.push({ name: a.name ?? "", part, hidden });
      },
      close() {},
      text() {},
    },
    file,
    part,
  );
  return { sheets, date1904 };
}

/** A sheet's relationship id under another namespace prefix than `r:`. */
function relId(attributes: Readonly<Record<string, string>>): string | undefined {
  const key = Object.keys(attributes).find((k) => k.endsWith(":id"));
  return key === undefined ? undefined : attributes[key];
}

/** By cell style index: how the style's number format shows a number. */
async function readStyles(zip: Zip, part: string, file: string) {
  const codes = new Map<number, string>();
  const formats: number[] = [];
  let inCellXfs = false;
  await readXml(
    zip.text(part),
    {
      open(name, a) {
        if (name === "numFmt") codes.set(Number(a.numFmtId), a.formatCode ?? "");
        else if (name === "cellXfs") inCellXfs = true;
        else if (name === "xf" && inCellXfs) formats.push(Number(a.numFmtId ?? 0));
      },
      close(name) {
        if (name === "cellXfs") inCellXfs = false;
      },
      text() {},
    },
    file,
    part,
  );
  return formats.map((id) => dateKind(id, codes.get(id)));
}

/**
 * The shared strings: each `<si>`'s text, its rich-text runs joined, without the phonetic
 * guides (`<rPh>`) East Asian Excel stores beside a text.
 */
async function readStrings(zip: Zip, part: string, file: string): Promise<SharedStrings> {
  const strings = new SharedStrings();
  try {
    await readStringsInto(strings, zip, part, file);
    return strings;
  } catch (error) {
    strings.close();
    throw error;
  }
}

async function readStringsInto(
  strings: SharedStrings,
  zip: Zip,
  part: string,
  file: string,
): Promise<void> {
  const scanner = new UnitScanner(SI, new StringScanner(strings), stringsHandler(strings));
  for await (const _ of feedScanner(zip.bytes(part), scanner, file, part));
}
