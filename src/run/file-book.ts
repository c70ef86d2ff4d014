/**
 * A run of several files with --state: which of its files it does not read, and which it
 * finished. A file is skipped when an earlier run finished it and it is unchanged since (its
 * fingerprint, under the same mapping), or when the interrupted pass this run resumes had done
 * every row of it. At the end of a run that read all its input, the files it read are remembered
 * as finished, but those with a row dead-lettered: they are read again next time, as a single
 * file's dead-lettered rows are tried again the next night.
 */
import type { FinishedFile } from "../state/files.js";

/**
 * Rows of the run's n-th file are read at `n * FILE_STRIDE + line` (Row.at): increasing over the
 * files, and the same on a resume over the same files, whichever of them are skipped. A file of
 * more than 2^32 lines would overlap the next: none is that long.
 */
export const FILE_STRIDE = 2 ** 32;

/**
 * Where the row at `line` of the run's `index`-th file was read (Row.at). The first file's is the
 * line itself: a product with the stride is a heap number even when it is 0, and a base of one
 * made every row's `at` a number boxed on its own (16 bytes a row, held while its unit is in flight).
 */
export const fileAt = (index: number, line: number): number =>
  index === 0 ? line : index * FILE_STRIDE + line;

export class FileBook {
  readonly #files: readonly FinishedFile[];
  readonly #skipped: ReadonlySet<number>;
  readonly #deadLettered = new Set<number>();

  /** `files` in the order the run reads them; `skipped`: the indices of those it does not read. */
  constructor(files: readonly FinishedFile[], skipped: ReadonlySet<number>) {
    this.#files = files;
    this.#skipped = skipped;
  }

  /** Whether the run's `index`-th file is not read. */
  skip(index: number): boolean {
    return this.#skipped.has(index);
  }

  /** Rows dead-lettered (by where they were read): their files are not finished. */
  deadLettered(ats: readonly number[]): void {
    for (const at of ats) this.#deadLettered.add(fileOf(at));
  }

  /** Once the run has read all its input: the files it finished, and those read but not. */
  outcome(): { finished: FinishedFile[]; unfinished: string[] } {
    const finished: FinishedFile[] = [];
    const unfinished: string[] = [];
    for (const [index, file] of this.#files.entries()) {
      if (this.#skipped.has(index)) continue; // finished before, or by the pass resumed: as it was
      if (this.#deadLettered.has(index)) unfinished.push(file.path);
      else finished.push(file);
    }
    return { finished, unfinished };
  }
}

/** The index of the file a row was read in, from where it was read (Row.at). */
export const fileOf = (at: number): number => Math.floor(at / FILE_STRIDE);

/** The files an interrupted pass had done (its watermark past their last row): not read again. */
export function doneByPass(count: number, watermark: number): number[] {
  const done: number[] = [];
  for (let index = 0; index < count && watermark >= fileAt(index + 1, 0); index++) {
    done.push(index);
  }
  return done;
}
