/**
 * One temporary folder for a whole test run (vitest's globalSetup). TMPDIR points at it before the
 * workers start, so every folder a test makes with os.tmpdir(), every scratch file of a run in a
 * worker and every process a test starts (given TMPDIR by test/cli/helpers.ts childEnv) is made
 * under it; it is removed when the run ends, passed or failed. A test need not remove its own
 * folders for a run on a developer's machine to leave nothing behind in /tmp.
 *
 * A run killed outright (kill -9) cannot remove its folder: the next run removes every such folder
 * of this user whose vitest process is gone (a live one is another run, going on beside it).
 */
import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processIsAlive } from "../src/run/scratch.js";

const PREFIX = "dfinery-import-tests-";
const NAME = /^dfinery-import-tests-(\d+)-/;

function remove(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Removes the folders in `base` of earlier runs, this user's, whose vitest process is gone. */
export function sweepRuns(base: string, isAlive: (pid: number) => boolean = processIsAlive): void {
  for (const name of readdirSync(base)) {
    const pid = NAME.exec(name)?.[1];
    if (pid === undefined || isAlive(Number(pid))) continue;
    const dir = join(base, name);
    const stat = lstatSync(dir, { throwIfNoEntry: false });
    if (stat?.isDirectory() && stat.uid === process.getuid?.()) remove(dir);
  }
}

export default function setup(): () => void {
  const base = tmpdir();
  sweepRuns(base);
  const dir = mkdtempSync(join(base, `${PREFIX}${process.pid}-`));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir; // what os.tmpdir() reads first, here and in the workers forked after
  const removeRun = () => remove(dir);
  process.once("exit", removeRun); // a run ended without its teardown (Ctrl-C, a crash)
  return () => {
    process.off("exit", removeRun);
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    removeRun();
  };
}
