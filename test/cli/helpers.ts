import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, type Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";
import type { Bin, Program } from "../../src/cli/args.js";
import { main } from "../../src/cli/main.js";
import { type Emulator, type EmulatorInit, startEmulator } from "../../src/emulator/index.js";
import { scratchDir } from "../../src/run/scratch.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BUILT_CLI = join(ROOT, "dist/src/cli/import-profiles.js");
const BUILT_BINS: Readonly<Record<Bin, string>> = {
  "import-profiles": BUILT_CLI,
  "import-events": join(ROOT, "dist/src/cli/import-events.js"),
  "dfinery-import": join(ROOT, "dist/src/cli/dfinery-import.js"),
  "dfinery-emulator": join(ROOT, "dist/src/cli/dfinery-emulator.js"),
};
export const TOKEN = "test-token";

/** This process's run scratch files (test files run in other processes have their own), or process `pid`'s. */
export function ownScratch(pid = process.pid): string[] {
  const dir = scratchDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name.startsWith(`${pid}-`));
}

/** How far process `pid` has read `path` (its open descriptor's position, from /proc), 0 when not open. */
export function readPosition(pid: number, path: string): number {
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== path) continue;
      const pos = /^pos:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, "utf8"));
      return Number(pos?.[1] ?? 0);
    }
  } catch {
    // not started yet, or gone: nothing read as far as we can tell
  }
  return 0;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "cli-"));
}

/**
 * Registers an afterEach that removes every folder a test made, and returns the function that
 * makes one (for tests whose files are large: a 100 MB input should not outlive its test).
 */
export function tempDirsPerTest(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = tempDir();
    made.push(dir);
    return dir;
  };
}

/**
 * A script to `--require` in a spawned CLI (with --expose-gc): every 200 ms, a full collection and
 * the heap it leaves, the highest written at exit to the file named by env HEAP_OUT. What the run
 * holds, not what the collector has yet to reclaim.
 */
export const HEAP_PROBE = `
let peak = 0;
const probe = () => { globalThis.gc(); peak = Math.max(peak, process.memoryUsage().heapUsed); };
setInterval(probe, 200).unref();
process.on("exit", () => require("node:fs").writeFileSync(process.env.HEAP_OUT, String(peak)));
`;

export function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A bin, or a run's program (`dfinery-import delete`): the bin to start and the words before `argv`.
 */
function invocation(program: Bin | Program): { bin: Bin; words: string[] } {
  const [bin, ...words] = program.split(" ");
  return { bin: bin as Bin, words };
}

/** Streams for the CLI's stdout and stderr, and what was written to each so far. */
function captured() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => {
    out += c.toString("utf8");
  });
  stderr.on("data", (c: Buffer) => {
    err += c.toString("utf8");
  });
  return { stdout, stderr, out: () => out, err: () => err };
}

/**
 * Runs import-profiles (or another of the bins: `dfinery-import`, `import-events`, or a run's
 * program such as `dfinery-import identities`) in this process, as the bin would, and captures
 * its output.
 */
export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = { DFINERY_ACCESS_TOKEN: TOKEN },
  stdin?: NodeJS.ReadableStream,
  program: Bin | Program = "import-profiles",
): Promise<CliResult> {
  const { stdout, stderr, out, err } = captured();
  const io = { stdout, stderr, env, ...(stdin === undefined ? {} : { stdin }) };
  const { bin, words } = invocation(program);
  const code = await main([...words, ...argv], io, bin);
  return { code, stdout: out(), stderr: err() };
}

/** A run of the CLI in this process, signalled by the test: Ctrl-C without a real process. */
export interface SignalledRun {
  /** Emits SIGINT, SIGTERM or SIGHUP to the run, as the bin's relay would. */
  readonly signal: (name: "SIGINT" | "SIGTERM" | "SIGHUP") => void;
  /** The codes of forced exits so far (second signal, or the grace period's end), in order. */
  readonly exits: readonly number[];
  readonly stderr: () => string;
  /** The run's own end (a forced exit does not end it: close its server to let it end). */
  readonly done: Promise<CliResult>;
}

/** Starts a bin (or a run's program) in this process with signals the test emits. */
export function signalledCli(argv: readonly string[], program: Bin | Program): SignalledRun {
  const signals = new EventEmitter();
  const exits: number[] = [];
  const { stdout, stderr, out, err } = captured();
  const env = { DFINERY_ACCESS_TOKEN: TOKEN };
  const io = { stdout, stderr, env, signals, exit: (code: number) => exits.push(code) };
  const { bin, words } = invocation(program);
  const done = main([...words, ...argv], io, bin).then((code) => ({
    code,
    stdout: out(),
    stderr: err(),
  }));
  return { signal: (name) => signals.emit(name), exits, stderr: err, done };
}

/** Lines of an NDJSON file, parsed. Throws if any line is not whole JSON. */
// biome-ignore lint/suspicious/noExplicitAny: records are checked field by field
export function readNdjson(path: string): any[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}

// biome-ignore lint/suspicious/noExplicitAny: reports are checked field by field
export function readJson(path: string): any {
  return JSON.parse(readFileSync(path, "utf8"));
}

export interface Child {
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stdout: () => string;
  readonly stderr: () => string;
  kill(signal: NodeJS.Signals): void;
  /** The child's stdin, when spawned with `stdin: true` (else null). */
  readonly stdin: Writable | null;
}

/**
 * Registers an afterEach that SIGKILLs every importer a test spawned (a failed test leaves none
 * behind), and returns the function that spawns one with the test token (and `env` on top),
 * `options` as spawnCli takes them.
 */
export function importersPerTest(): (
  argv: readonly string[],
  dir: string,
  env?: NodeJS.ProcessEnv,
  options?: SpawnOptions,
) => Child {
  let children: Child[] = [];
  afterEach(() => {
    for (const child of children) child.kill("SIGKILL");
    children = [];
  });
  return (argv, dir, env = {}, options = {}) => {
    const child = spawnCli(argv, { DFINERY_ACCESS_TOKEN: TOKEN, ...env }, dir, options);
    children.push(child);
    return child;
  };
}

/**
 * The environment of a process a test starts: `env` and, of this process's, only PATH and TMPDIR
 * (no token or setting of the developer's leaks in). TMPDIR is the run's folder (test/global-setup.ts):
 * the child's scratch files are where ownScratch() looks, and are removed with the run.
 */
export function childEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, TMPDIR: tmpdir(), ...env };
}

/** Which bin or command spawnCli starts (import-profiles unless named), and whether its stdin is a pipe. */
export interface SpawnOptions {
  readonly program?: Bin | Program;
  readonly stdin?: boolean;
}

/** Spawns the built CLI (npm test builds it before vitest runs); its stdin a pipe if asked. */
export function spawnCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  options: SpawnOptions = {},
): Child {
  const { bin, words } = invocation(options.program ?? "import-profiles");
  const child = spawn(process.execPath, [BUILT_BINS[bin], ...words, ...argv], {
    cwd,
    env: childEnv(env),
    stdio: [options.stdin === true ? "pipe" : "ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString("utf8");
  });
  child.stderr?.on("data", (c: Buffer) => {
    err += c.toString("utf8");
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const stdin = child.stdin;
  const pid = child.pid ?? 0;
  return { pid, exited, stdout: () => out, stderr: () => err, kill: (s) => child.kill(s), stdin };
}

/**
 * How long a test waits for something that should happen before it takes it for hung: a guard,
 * never a timing assertion, so generous enough for a loaded 2-core machine (a node start alone can
 * take seconds there). Below vitest's testTimeout, so the failure names what was awaited.
 */
export const HANG_MS = 60_000;

/**
 * Resolves when `check` holds, polling; after HANG_MS, fails naming what it waited for (`what`,
 * or the check's own source).
 */
export async function waitFor(check: () => boolean, what: string = String(check)): Promise<void> {
  const deadline = Date.now() + HANG_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waited ${HANG_MS / 1000} s in vain for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A CSV of `rows` users; every row whose index is in `bad` has a points value that is not a Long. */
export function usersCsv(rows: number, bad: ReadonlySet<number> = new Set()): string {
  const lines = ["id,email,points"];
  for (let i = 0; i < rows; i++)
    lines.push(`u${i},user${i}@example.com,${bad.has(i) ? "lots" : i}`);
  return `${lines.join("\n")}\n`;
}

export const USERS_MAPPING = `identity:
  external_id: id
  email: { column: email }
properties:
  points: { column: points, type: Long }
`;

/**
 * Registers an afterEach that closes every emulator a test started, and returns the function that
 * starts one (unlimited unless the test sets a limit).
 */
export function emulatorPerTest(): (init?: EmulatorInit) => Promise<Emulator> {
  let started: Emulator[] = [];
  afterEach(async () => {
    for (const e of started) await e.close();
    started = [];
  });
  return async (init = {}) => {
    const e = await startEmulator({ limit: null, ...init });
    started.push(e);
    return e;
  };
}

export interface RunFlagOptions {
  /** The --rate flag. */
  readonly rate: string;
  /** Outputs named `<name>.dead-letter.ndjson` and `<name>.report.json`; default dl.ndjson and report.json. */
  readonly name?: string;
  /** Add --state <dir>/state.db. */
  readonly state?: boolean;
}

/** The flags every CLI test passes after the input and the mapping: endpoint, rate, outputs in `dir`. */
export function runFlags(dir: string, url: string, options: RunFlagOptions): string[] {
  const { rate, name, state = false } = options;
  return [
    ...["--endpoint", url, "--service-id", "test-service", "--rate", rate],
    ...(state ? ["--state", join(dir, "state.db")] : []),
    ...[
      "--dead-letter",
      join(dir, name === undefined ? "dl.ndjson" : `${name}.dead-letter.ndjson`),
    ],
    ...["--report", join(dir, name === undefined ? "report.json" : `${name}.report.json`)],
    ...["--log", join(dir, "log.ndjson")],
  ];
}

/** Writes the input and the mapping into `dir` and runs the CLI against the emulator at `url`. */
export function importFile(dir: string, url: string, name: string, text: string, mapping: string) {
  const input = write(dir, name, text);
  const map = write(dir, "m.yaml", mapping);
  return runCli([input, "--map", map, ...runFlags(dir, url, { rate: "1000/s" })]);
}
