import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll } from "vitest";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Writes `content` to a fresh temporary file named `name` and returns its path. */
export async function tempFile(name: string, content: string | Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "source-test-"));
  dirs.push(dir);
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** A directory that is removed after the test file. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "source-test-"));
  dirs.push(dir);
  return dir;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** The items of a reader's batches, in order; a reader never gives an empty batch. */
export async function collectItems<T>(batches: AsyncIterable<readonly T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const batch of batches) {
    if (batch.length === 0) throw new Error("a reader gave an empty batch");
    all.push(...batch);
  }
  return all;
}

/** An async iterable of the given chunks, as a decoder would yield them. */
export async function* chunks<T>(...parts: T[]): AsyncGenerator<T> {
  for (const part of parts) yield part;
}

/** `text` cut into pieces of `size` characters (or bytes). */
export function split<T extends string | Buffer>(text: T, size: number): T[] {
  const parts: T[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size) as T);
  return parts;
}

/** A stand-in for standard input that yields `parts` as separate chunks. */
export function stdinOf(...parts: Buffer[]): Readable {
  return Readable.from(parts);
}
