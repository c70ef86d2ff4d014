import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  lstatSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { errnoOf, OutputError } from "../errors.js";

/**
 * The files the importer writes (dead letter, report, log) are opened here: never through a
 * symbolic link (O_NOFOLLOW), created with mode 0600, and an existing file keeps its mode.
 */
const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** The writes an output does, replaceable in tests to inject a full disk. */
export interface WriteIo {
  writeSync(fd: number, buffer: Buffer, offset: number, length: number): number;
}
export const FS_WRITE: WriteIo = { writeSync: (fd, b, o, l) => writeSync(fd, b, o, l) };

/**
 * How each file the importer writes begins, so that it replaces or appends to a file of its own
 * only, never an export, a state database or anything else given by mistake as an output.
 */
export interface OwnFormat {
  /** What the file is, for messages: `a dead-letter file`. */
  readonly name: string;
  /** What its first bytes look like (a cut first line included). */
  readonly start: RegExp;
}

/** dead-letter.ts: NDJSON records, `line` and `row` first (after the input's `file`, of several). */
export const DEAD_LETTER_FORMAT: OwnFormat = {
  name: "a dead-letter file",
  start: /^\{(?:"file":"(?:[^"\\]|\\.)*",)?"line":\d+,"row":/,
};
/** report.ts: one JSON object, two-space indented, `rows` first. */
export const REPORT_FORMAT: OwnFormat = { name: "a report", start: /^\{\n {2}"rows": \d+,\n/ };
/** The log (cli/main.ts): pino's JSON lines, `level` and `time` first. */
export const LOG_FORMAT: OwnFormat = { name: "a log", start: /^\{"level":\d+,"time":\d+,/ };

/** Enough of a file's start to tell its format (a dead letter's `file` is a path: up to 4 KB). */
const START_BYTES = 8192;

/**
 * Refuses (OutputError) a path that must name one of our output files but is a symbolic link, a
 * folder, something other than a regular file, or a file with content that is not `format` (one
 * this tool did not write). A missing path, or an empty file, is fine.
 */
export function checkOutputPath(path: string, what: string, format: OwnFormat): void {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return;
  if (stat.isFile()) {
    if (stat.size > 0 && !format.start.test(startOf(path))) {
      throw new OutputError(
        path,
        `is not ${format.name} this tool wrote, and ${what} would replace it or add to it: name a new file (or remove this one if it is yours to lose)`,
      );
    }
    return;
  }
  if (stat.isSymbolicLink()) throw linkRefused(path, what);
  if (stat.isDirectory()) throw new OutputError(path, `is a folder; ${what} needs a file name`);
  throw new OutputError(path, `is not a regular file; ${what} needs a regular file`);
}

function linkRefused(path: string, what: string): OutputError {
  return new OutputError(
    path,
    `is a symbolic link; ${what} is never written through a link: give the path of a regular file`,
  );
}

function startOf(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const bytes = Buffer.alloc(START_BYTES);
    return bytes.subarray(0, readSync(fd, bytes, 0, START_BYTES, 0)).toString("latin1");
  } finally {
    closeSync(fd);
  }
}

/** Opens for appending, creating it with mode 0600 when missing; never follows a link. */
export function openAppend(path: string): number {
  try {
    return openSync(path, APPEND, 0o600);
  } catch (error) {
    if (errnoOf(error) === "ELOOP") throw linkRefused(path, "this file");
    throw error;
  }
}

/**
 * Writes all of `text` at the end of `fd`. When the write fails part-way (a full disk), the file is
 * cut back to where it was, so it never ends in half a record, and the error is thrown.
 */
export function appendWhole(fd: number, text: string, io: WriteIo = FS_WRITE): void {
  const bytes = Buffer.from(text, "utf8");
  const before = fstatSync(fd).size;
  let written = 0;
  try {
    while (written < bytes.length) {
      const n = io.writeSync(fd, bytes, written, bytes.length - written);
      if (n <= 0) throw Object.assign(new Error("nothing written"), { code: "EIO" });
      written += n;
    }
  } catch (error) {
    if (written > 0) {
      try {
        ftruncateSync(fd, before);
      } catch {
        // the repair on the next resume moves the cut record aside
      }
    }
    throw error;
  }
}

/**
 * Writes `text` to a new file beside `path` and renames it over `path`: a link at `path` is
 * replaced, never followed, and a reader never sees half a file.
 */
export function replaceFile(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  const fd = openSync(temporary, CREATE_NEW, 0o600);
  try {
    appendWhole(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * A file of lines cut short (a kill -9 or a full disk in the middle of a write): moves the bytes
 * after its last newline to `<path>.damaged` (appended) and cuts them off. Returns how many bytes
 * were moved; 0 when the file ends in a newline, is empty or is missing.
 */
export function moveCutLastLine(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW);
  } catch (error) {
    if (errnoOf(error) === "ENOENT") return 0;
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    const start = lastLineStart(fd, size);
    if (start === size) return 0;
    const cut = Buffer.alloc(size - start);
    readSync(fd, cut, 0, cut.length, start);
    const damaged = openAppend(`${path}.damaged`);
    try {
      appendWhole(damaged, `${cut.toString("utf8")}\n`);
      fsyncSync(damaged);
    } finally {
      closeSync(damaged);
    }
    ftruncateSync(fd, start);
    return cut.length;
  } finally {
    closeSync(fd);
  }
}

/** Where the last line starts: just after the last newline (`size` when the file ends in one). */
function lastLineStart(fd: number, size: number): number {
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const n = readSync(fd, chunk, 0, end - start, start);
    const at = chunk.subarray(0, n).lastIndexOf(0x0a);
    if (at !== -1) return start + at + 1;
    end = start;
  }
  return 0;
}
