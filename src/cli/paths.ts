import { realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { isStreamOutput } from "../sinks/stream-output.js";

/** A file the command line names, and the flag that named it. */
export interface NamedPath {
  /** How the user named it: `the input`, `--report`… */
  readonly role: string;
  readonly path: string;
}

/** What makes two names the same file: the device and inode of an existing file, else the real path. */
function fileIdentity(path: string): string {
  const stat = statSync(path, { throwIfNoEntry: false }); // follows links, as a write through them would
  if (stat !== undefined) return `inode:${stat.dev}:${stat.ino}`;
  const absolute = resolve(path);
  let folder: string;
  try {
    folder = realpathSync(dirname(absolute));
  } catch {
    folder = dirname(absolute); // a missing folder: the output's own check names it later
  }
  return `path:${join(folder, basename(absolute))}`;
}

/**
 * Refuses (E_USAGE) two of the named files that are the same file, after resolving links and
 * hard links, so that no output ever replaces the input, the mapping, the state or another output.
 * A device or a pipe (/dev/null, /dev/stdout) may be named twice: nothing there is replaced.
 * Touches nothing: only stat and realpath.
 */
export function checkDistinctPaths(paths: readonly NamedPath[]): void {
  const seen = new Map<string, NamedPath>();
  for (const named of paths) {
    if (isStreamOutput(named.path)) continue; // /dev/null twice is no file replaced

    const identity = fileIdentity(named.path);
    const earlier = seen.get(identity);
    if (earlier !== undefined) {
      const same =
        earlier.path === named.path ? named.path : `${earlier.path} and ${named.path} are one file`;
      throw new UsageError(
        `${earlier.role} and ${named.role} name the same file (${same}): give each its own path`,
      );
    }
    seen.set(identity, named);
  }
}
