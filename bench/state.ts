/**
 * Nightly-run benchmarks (issue: state store).
 *  - diff: a first run over N rows with --state (every row sent), then the same file with 1% of
 *    the rows changed (shuffled positions): rows/s of the second run and the requests it sent,
 *    which must be exactly the changed rows, its CPU time per row, and its speed ÷ a dry run of
 *    the same file (target ≥ 0.7). The emulator is unlimited. The nightly and the dry run are
 *    run in turn three times (the state file put back as the first run left it before each
 *    nightly), and the medians are compared: one pair of ~2-3 s runs on a shared 2-core machine
 *    swings the ratio by ±0.04 (bench/README.md), three show the spread.
 *  - resume: a run killed with SIGKILL mid-way, then --resume: rows sent twice, which must be at
 *    most the rows in flight (--concurrency).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../src/emulator/index.js";
import { builtPath, startUnlimitedEmulatorChild } from "./child.js";
import { medianBy } from "./median.js";

const TOKEN = "bench-token";
const SERVICE = "bench-service";
const MAPPING = `identity:
  external_id: id
  email: { column: email, transform: [trim, lowercase] }
properties:
  df_name: name
  points: { column: points, type: Long }
  df_sms_ads_optin: { column: sms, type: Boolean }
  tier: tier
`;

async function writeCsv(file: string, rows: number, changed: ReadonlySet<number>): Promise<void> {
  const out = createWriteStream(file);
  out.write("id,email,name,points,sms,tier\n");
  for (let i = 0; i < rows; i++) {
    const points = changed.has(i) ? i + 1_000_000 : i;
    const line = `u${i},User${i}@Example.com,User ${i},${points},${i % 3 === 0 ? "Y" : "N"},${i % 5 === 0 ? "gold" : "basic"}\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

interface CliRun {
  readonly code: number | null;
  readonly ms: number;
  /** The importer's CPU time (user and system), µs; 0 when it was killed. */
  readonly cpuMicros: number;
}

const CPU_HOOK = fileURLToPath(new URL("./cpu-hook.js", import.meta.url));

function cli(dir: string, args: readonly string[]): { done: Promise<CliRun>; kill: () => void } {
  const started = performance.now();
  const cpuOut = join(dir, `cpu-${started}.json`);
  const child = spawn(
    process.execPath,
    [
      ...["--import", CPU_HOOK, builtPath("cli/import-profiles.js")],
      ...[...args, "--quiet", "--log-level", "warn"],
    ],
    {
      cwd: dir,
      env: { ...process.env, DFINERY_ACCESS_TOKEN: TOKEN, DFINERY_BENCH_CPU_OUT: cpuOut },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const done = once(child, "exit").then(([code]) => {
    const ms = performance.now() - started;
    let cpuMicros = 0;
    try {
      const usage = JSON.parse(readFileSync(cpuOut, "utf8")) as NodeJS.CpuUsage;
      cpuMicros = usage.user + usage.system;
      rmSync(cpuOut);
    } catch {} // killed: no figure
    return { code: code as number | null, ms, cpuMicros };
  });
  return { done, kill: () => child.kill("SIGKILL") };
}

const common = (dir: string, url: string, input: string, concurrency: number) => [
  input,
  "--map",
  join(dir, "m.yaml"),
  "--endpoint",
  url,
  "--service-id",
  SERVICE,
  "--rate",
  "1000000/s",
  "--concurrency",
  String(concurrency),
  "--state",
  join(dir, "state.db"),
  "--dead-letter",
  join(dir, "dl.ndjson"),
  "--log",
  join(dir, "import.log"),
];

/** Requests the emulator child says it answered when it stopped. */
function requestsOf(stopLine: string): number {
  const match = /stopped after (\d+) requests/.exec(stopLine);
  if (match?.[1] === undefined) throw new Error(`unexpected emulator output: ${stopLine}`);
  return Number(match[1]);
}

/**
 * One --state run against a fresh unlimited emulator: its duration, the requests it sent and the
 * importer's CPU time per row (µs).
 */
async function runOnce(
  dir: string,
  input: string,
  rows: number,
): Promise<{ ms: number; requests: number; cpuUs: number }> {
  const emulator = await startUnlimitedEmulatorChild(TOKEN, SERVICE);
  const run = await cli(dir, common(dir, emulator.url, input, 32)).done;
  const requests = requestsOf(await emulator.close());
  if (run.code !== 0) throw new Error(`a --state run exited ${run.code}`);
  return { ms: Math.round(run.ms), requests, cpuUs: Number((run.cpuMicros / rows).toFixed(2)) };
}

/** A dry run of the same file through the same command line (no --state): the diff's yardstick. */
async function dryRunOnce(dir: string, input: string, rows: number) {
  const args = [input, "--map", join(dir, "m.yaml"), "--dry-run"];
  const run = await cli(dir, [...args, "--dead-letter", join(dir, "dry.ndjson")]).done;
  if (run.code !== 0) throw new Error(`the dry run exited ${run.code}`);
  const rowsPerSecond = Math.round(rows / (run.ms / 1000));
  return {
    ms: Math.round(run.ms),
    rowsPerSecond,
    cpuUs: Number((run.cpuMicros / rows).toFixed(2)),
  };
}

interface Timed {
  ms: number;
  rowsPerSecond: number;
  /** The importer's CPU time per row, µs. */
  cpuUs: number;
}

export interface DiffResult {
  rows: number;
  changed: number;
  firstRun: Timed & { requests: number };
  /** The nightly run of median duration. */
  nightly: Timed & { requests: number };
  /** The dry run of the nightly file of median duration. */
  dryRun: Timed;
  /** The median nightly's rows/s ÷ the median dry run's (issue 20: ≥ 0.7). */
  ratio: number;
  /** Each round's nightly ÷ its dry run, in the order they ran. */
  rounds: number[];
  /** Requests each nightly sent (each must be exactly the changed rows). */
  requests: number[];
}

/** Nightly and dry runs taken in turn, each pair one round (see the file's comment). */
const DIFF_ROUNDS = 3;

/** The state file (and its key) as a run left it: copied aside, to be put back before each nightly. */
function keepState(dir: string): () => void {
  const files = ["state.db", "state.db.key"];
  // The run closed the file: its WAL was checkpointed and removed, the file alone holds it all.
  if (existsSync(join(dir, "state.db-wal")))
    throw new Error("the first run left a WAL beside its state file");
  for (const file of files) copyFileSync(join(dir, file), join(dir, `kept-${file}`));
  return () => {
    for (const file of ["state.db-wal", "state.db-shm"]) rmSync(join(dir, file), { force: true });
    for (const file of files) copyFileSync(join(dir, `kept-${file}`), join(dir, file));
  };
}

/** The run of median duration. */
const medianRun = <T extends { readonly ms: number }>(runs: readonly T[]): T =>
  medianBy(runs, (run) => run.ms);

export async function benchDiff(rows = 1_000_000): Promise<DiffResult> {
  const dir = mkdtempSync(join(tmpdir(), "bench-state-"));
  try {
    writeFileSync(join(dir, "m.yaml"), MAPPING);
    const input = join(dir, "users.csv");
    await writeCsv(input, rows, new Set());
    const changed = new Set<number>();
    for (let i = 0; changed.size < rows / 100; i++) changed.add((i * 7_919 + 13) % rows); // spread out
    const first = await runOnce(dir, input, rows);
    await writeCsv(input, rows, changed);
    const putBack = keepState(dir);
    const nightlies: { ms: number; requests: number; cpuUs: number }[] = [];
    const dryRuns: Timed[] = [];
    for (let round = 0; round < DIFF_ROUNDS; round++) {
      putBack();
      nightlies.push(await runOnce(dir, input, rows));
      dryRuns.push(await dryRunOnce(dir, input, rows));
    }
    const nightly = medianRun(nightlies);
    const dryRun = medianRun(dryRuns);
    const perSecond = (ms: number) => Math.round(rows / (ms / 1000));
    return {
      rows,
      changed: changed.size,
      firstRun: { ...first, rowsPerSecond: perSecond(first.ms) },
      nightly: { ...nightly, rowsPerSecond: perSecond(nightly.ms) },
      dryRun,
      ratio: Number((perSecond(nightly.ms) / dryRun.rowsPerSecond).toFixed(3)),
      rounds: nightlies.map((run, i) => Number(((dryRuns[i] as Timed).ms / run.ms).toFixed(3))),
      requests: nightlies.map((run) => run.requests),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ResumeResult {
  rows: number;
  concurrency: number;
  acceptedBeforeKill: number;
  sentTwice: number;
  resumedExit: number | null;
}

export async function benchResume(rows = 20_000, concurrency = 32): Promise<ResumeResult> {
  const dir = mkdtempSync(join(tmpdir(), "bench-resume-"));
  const emulator = await startEmulator({
    limit: null,
    latencyMs: 2,
    jitterMs: 8,
    token: TOKEN,
    serviceId: SERVICE,
  });
  try {
    writeFileSync(join(dir, "m.yaml"), MAPPING);
    const input = join(dir, "users.csv");
    await writeCsv(input, rows, new Set());
    const args = [...common(dir, emulator.url, input, concurrency)];
    args[args.indexOf("1000000/s")] = "4000/s";
    const run = cli(dir, args);
    const deadline = Date.now() + 60_000;
    while (emulator.store.count() < rows / 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    run.kill();
    await run.done;
    const acceptedBeforeKill = emulator.store.count();
    const resumed = await cli(dir, [...args, "--resume"]).done;
    const ids = new Set(emulator.store.list().map((r) => r.identity.external_id));
    if (ids.size !== rows)
      throw new Error(`after resume ${ids.size} of ${rows} identities were accepted`);
    return {
      rows,
      concurrency,
      acceptedBeforeKill,
      sentTwice: emulator.store.count() - ids.size,
      resumedExit: resumed.code,
    };
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
