/**
 * The inputs a command line names, as the files a run reads: several files, a folder (a Spark,
 * Hive or BigQuery export: its part files, nested folders included), or a glob (`'hourly/*.json.gz'`,
 * quoted so the shell leaves it to us). Files come in name order, each once. Of a folder or glob,
 * the files an exporter writes beside its data are skipped and counted: markers (`_SUCCESS`,
 * `_temporary/`), checksums (`.part-00000.csv.crc`), hidden files and empty files.
 */
import { stat } from "node:fs/promises";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import { InputError, UsageError } from "../errors.js";

/** Why a file of a folder or glob was not read. */
export type SkipReason = "marker" | "checksum" | "hidden" | "empty";

export interface Inputs {
  /** The files to read, in name order; one name (a file, `-`) is itself, unexpanded. */
  readonly files: readonly string[];
  /** Files of a folder or glob left out, per reason. */
  readonly skipped: Readonly<Record<SkipReason, number>>;
  /** More than one input was named, or a folder, or a glob: every row is named by its file. */
  readonly many: boolean;
}

const NONE_SKIPPED: Record<SkipReason, number> = { marker: 0, checksum: 0, hidden: 0, empty: 0 };

/** One name as the user gave it: the input itself (a file, `-`, a pipe), unexpanded. */
export function oneInput(name: string): Inputs {
  return { files: [name], skipped: NONE_SKIPPED, many: false };
}

/**
 * The files `names` name. Throws InputError (exit 2) for a name that is no file, folder or
 * matching glob, UsageError for `-` among other inputs. One plain name is read as it is (its
 * errors, such as "no such file", are the reader's). `outputs`: the files the run writes (a
 * dead-letter file or state file kept in the export's folder): never read as its inputs.
 */
export async function expandInputs(
  names: readonly string[],
  outputs: readonly string[] = [],
): Promise<Inputs> {
  const only = names[0];
  if (names.length === 1 && only !== undefined && (await isOne(only))) return oneInput(only);
  if (names.includes("-")) {
    throw new UsageError("- (standard input) cannot be read with other inputs: give files alone");
  }
  const skipped = { ...NONE_SKIPPED };
  const files = new Set<string>();
  const written = new Set(outputs.map((path) => resolve(path)));
  for (const name of names) {
    for (const found of await filesOf(name)) {
      if (written.has(resolve(found.path))) continue;
      const reason = await skipReason(found.path, found.within);
      if (reason === undefined) files.add(found.path);
      else skipped[reason]++;
    }
  }
  return { files: [...files].sort(byName), skipped, many: true };
}

/** Paths in name order: by code unit, as `ls` in the C locale (part-00009 before part-00010). */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Whether a name is a glob pattern rather than a path (a path that exists is a path). */
function isGlob(name: string): boolean {
  return name !== "-" && isDynamicPattern(name);
}

/** A name read as it is: `-`, a file (or pipe) that exists, or a missing path that is no glob. */
async function isOne(name: string): Promise<boolean> {
  if (name === "-") return true;
  const info = await stat(name).catch(() => undefined);
  return info === undefined ? !isGlob(name) : !info.isDirectory();
}

interface Found {
  readonly path: string;
  /** What the skip rules look at: the path below the folder or the glob's fixed part. */
  readonly within: string;
}

/** A name's files: itself, a folder's files, a glob's matches. */
async function filesOf(name: string): Promise<Found[]> {
  const info = await stat(name).catch(() => undefined);
  if (info?.isDirectory() === true) {
    const paths = await glob("**/*", { cwd: name, dot: true, onlyFiles: true });
    return paths.map((path) => ({ path: join(name, path), within: path }));
  }
  if (info !== undefined) return [{ path: name, within: basename(name) }];
  if (!isGlob(name)) throw new InputError(name, "no such file, folder or glob match");
  const base = fixedPart(name);
  // An absolute pattern gives absolute paths (else they would be relative to the working folder).
  const absolute = isAbsolute(name);
  const paths = await glob(name, {
    dot: true,
    onlyFiles: true,
    expandDirectories: false,
    absolute,
  });
  if (paths.length === 0) throw new InputError(name, "this glob matches no file");
  return paths.map((path) => ({ path, within: relative(base, path) }));
}

/** The folders of a glob before its first pattern: `exports/2024/*.gz` → `exports/2024`. */
function fixedPart(pattern: string): string {
  const parts = pattern.split("/");
  const dynamic = parts.findIndex((part) => isDynamicPattern(part));
  return dynamic <= 0 ? "." : parts.slice(0, dynamic).join("/");
}

/** Why a file of a folder or glob is not data, if it is not. */
async function skipReason(path: string, within: string): Promise<SkipReason | undefined> {
  const parts = within.split(sep);
  const name = parts[parts.length - 1] ?? "";
  if (name.toLowerCase().endsWith(".crc")) return "checksum";
  if (parts.some((part) => part.startsWith("_"))) return "marker";
  if (parts.some((part) => part.startsWith("."))) return "hidden";
  if ((await stat(path)).size === 0) return "empty";
  return undefined;
}

/**
 * The stem a run's default output files are named after: the input's file, the folder's name, a
 * glob's fixed folder (`hourly/*.json.gz` → `hourly`); several names: the first.
 */
export function inputStem(name: string): string {
  if (name === "-") return "stdin";
  const base = basename(isGlob(name) ? fixedPart(name) : name);
  return base === "" || base === "." || base === ".." ? "inputs" : base;
}
