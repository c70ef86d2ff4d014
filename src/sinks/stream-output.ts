/**
 * `--log` and `--report` may name a character device or a pipe (`/dev/null`, `/dev/stdout` when it
 * is a terminal or a pipe, a named pipe), also through a link such as /dev/stdout: what is written
 * there is a stream, not a file the importer owns. A link to a regular file is still refused
 * (own-file.ts): the path may be a link only when what it leads to is a stream.
 */
import { closeSync, constants, fstatSync, openSync, type Stats, statSync } from "node:fs";
import { errnoOf, OutputError } from "../errors.js";
import { appendWhole } from "./own-file.js";

const isStream = (stat: Stats) => stat.isCharacterDevice() || stat.isFIFO() || stat.isSocket();

/** True when `path` leads (through links or not) to a character device, a pipe or a socket. */
export function isStreamOutput(path: string): boolean {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat !== undefined && isStream(stat);
}

/**
 * Opens `path` for writing when it is a stream; checked again on what was opened, so a link turned
 * to a regular file since `isStreamOutput` is refused, not written through. Never creates a file.
 */
export function openStreamOutput(path: string, what: string): number {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND);
  } catch (error) {
    throw new OutputError(path, `cannot open ${what} (${errnoOf(error)})`, { cause: error });
  }
  if (!isStream(fstatSync(fd))) {
    closeSync(fd);
    throw new OutputError(
      path,
      `is no longer a device or a pipe; ${what} is never written through a link to a file`,
    );
  }
  return fd;
}

/** Writes all of `text` to the stream at `path` and closes it. */
export function writeStreamOutput(path: string, text: string, what: string): void {
  const fd = openStreamOutput(path, what);
  try {
    appendWhole(fd, text);
  } finally {
    closeSync(fd);
  }
}
