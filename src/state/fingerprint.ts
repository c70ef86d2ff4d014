import { createHash, type Hash } from "node:crypto";
import { type FileHandle, open, stat } from "node:fs/promises";
import { errnoOf, InputError } from "../errors.js";
import { canonicalJson } from "../util/canonical-json.js";
import { sha256 } from "../util/hash.js";

/** How much of each end of the input the fingerprint reads. */
export const EDGE_BYTES = 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

/**
 * Identifies an input file cheaply: its size and a SHA-256 of its first and last MiB, read in
 * chunks (a 10 GB export costs 2 MiB of reading). A change that keeps the size and touches only
 * the middle is not seen; appended, truncated, re-exported or re-sorted files are.
 * Standard input (`-`), a named pipe or any other input that is not a regular file has no
 * fingerprint: null. It is never opened here, as its data can be read only once.
 */
export async function fingerprintInput(path: string): Promise<string | null> {
  if (path === "-") return null;
  let handle: FileHandle | undefined;
  try {
    if (!(await stat(path)).isFile()) return null;
    handle = await open(path, "r");
    const { size } = await handle.stat();
    const hash = createHash("sha256").update(`${size}\n`);
    const head = Math.min(EDGE_BYTES, size);
    await hashRange(handle, hash, 0, head);
    const tailStart = Math.max(head, size - EDGE_BYTES);
    await hashRange(handle, hash, tailStart, size);
    return `${size}:${hash.digest("base64url")}`;
  } catch (error) {
    const code = errnoOf(error);
    throw new InputError(path, `cannot read the input to fingerprint it (${code})`, undefined, {
      cause: error,
    });
  } finally {
    await handle?.close();
  }
}

/**
 * The fingerprint of a run's files: one file's own (as a run of one file always had); several
 * files', their names and fingerprints in order, so that a file added, removed or changed is seen.
 */
export async function fingerprintInputs(paths: readonly string[]): Promise<string | null> {
  const prints: (string | null)[] = [];
  for (const path of paths) prints.push(await fingerprintInput(path));
  return combinedFingerprint(paths, prints);
}

/** `fingerprintInputs` of files whose own fingerprints are known (in the same order). */
export function combinedFingerprint(
  paths: readonly string[],
  prints: readonly (string | null)[],
): string | null {
  if (prints.length === 1) return prints[0] ?? null;
  if (prints.includes(null)) return null;
  const parts = paths.map((path, i) => `${path}\n${prints[i]}`);
  return `files:${paths.length}:${sha256(parts.join("\n"))}`;
}

async function hashRange(handle: FileHandle, hash: Hash, start: number, end: number) {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let position = start;
  while (position < end) {
    const { bytesRead } = await handle.read(
      buffer,
      0,
      Math.min(CHUNK_BYTES, end - position),
      position,
    );
    if (bytesRead === 0) break; // the file shrank while we read it: the fingerprint differs anyway
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
}

/** A SHA-256 of the normalized mapping's canonical JSON. */
export function fingerprintMapping(normalized: unknown): string {
  return sha256(canonicalJson(normalized));
}
