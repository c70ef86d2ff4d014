/** Runs of a kind with --state, as the state and resume suites start them (state.test.ts, resume.test.ts). */
import { join } from "node:path";
import { StateStore } from "../../src/state/store.js";
import { runCli, runFlags, tempDir, write } from "./helpers.js";
import { ENV, type KindCase, type StartEmulator } from "./kinds.js";

/** The argv of a run of `kind` over `dir`'s input and mapping (m.yaml) with --state `dir`/state.db. */
export function stateArgs(
  kind: KindCase,
  dir: string,
  input: string,
  url: string,
  extra: readonly string[] = [],
): string[] {
  return [
    ...[input, "--map", join(dir, "m.yaml")],
    ...runFlags(dir, url, { rate: "2000/s", state: true }),
    ...kind.confirm,
    ...extra,
  ];
}

/** Runs `kind` in this process as stateArgs says. */
export function stateRun(kind: KindCase) {
  return (
    dir: string,
    input: string,
    url: string,
    extra: readonly string[] = [],
    env: NodeJS.ProcessEnv = ENV,
  ) => runCli(stateArgs(kind, dir, input, url, extra), env, undefined, kind.program);
}

/** A new `dir` with `kind`'s mapping and `rows` units of it (those in `invalid` failing mapping). */
export function stateSetup(kind: KindCase, rows: number, invalid: ReadonlySet<number> = new Set()) {
  const dir = tempDir();
  write(dir, "m.yaml", kind.mapping);
  return { dir, input: write(dir, kind.file, kind.rows(rows, invalid)) };
}

/** The runs recorded in `dir`/state.db, newest first. */
export function history(dir: string) {
  const store = StateStore.open(join(dir, "state.db"));
  try {
    return store.history();
  } finally {
    store.close();
  }
}

/**
 * What a suite of `kind` with --state starts: its runs, its inputs, and emulators that accept
 * its units (`start` given more options).
 */
export function stateSuite(kind: KindCase, start: StartEmulator) {
  return {
    run: stateRun(kind),
    setup: (rows: number, invalid?: ReadonlySet<number>) => stateSetup(kind, rows, invalid),
    started: (init: Parameters<StartEmulator>[0] = {}) => start({ catalog: kind.catalog, ...init }),
  };
}
