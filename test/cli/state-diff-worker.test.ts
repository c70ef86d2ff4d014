/**
 * A nightly `--state` run of one CSV file reads, keys and looks up its rows on a second thread
 * (run/diff-source.ts): what reaches DFINERY, the report, an input error and a stop are exactly
 * those of the one-thread path. A known row whose identity an earlier row of the same night
 * touched (read by the worker before that row was stepped) is mapped and sent, never skipped.
 */
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  emulatorPerTest,
  readJson,
  runCli,
  runFlags,
  signalledCli,
  tempDir,
  USERS_MAPPING,
  waitFor,
  write,
} from "./helpers.js";

/** Whether the run may read on the worker (false: the one-thread path, to compare with). */
let onWorker = true;
/** A worker started with data it cannot take (a bug in it, as far as the run can tell). */
let broken = false;
const workerRuns = vi.fn();
vi.mock("../../src/run/diff-source.js", async (original) => {
  const real = await original<typeof import("../../src/run/diff-source.js")>();
  return {
    ...real,
    diffOnWorker: (...args: Parameters<typeof real.diffOnWorker>) =>
      onWorker && real.diffOnWorker(...args),
    diffInputs: (...args: Parameters<typeof real.diffInputs>) => {
      workerRuns();
      return real.diffInputs(...args);
    },
    startDiffWorker: (...args: Parameters<typeof real.startDiffWorker>) => {
      const [config, mapping, prefix, open] = args;
      if (!broken) return real.startDiffWorker(...args);
      // `empty_values` the worker cannot make a set of: it throws as it starts.
      const emptyValues = { map: () => 5 } as unknown as string[];
      const source = { ...mapping.source, emptyValues };
      return real.startDiffWorker(config, { ...mapping, source }, prefix, open);
    },
  };
});

const emulator = emulatorPerTest();

const HEADER = "id,email,points";

/** More rows than one batch of the worker's holds (4,096 items). */
const ROWS = 5_000;

const line = (i: number, points = `${i}`) => `u${i},user${i}@example.com,${points}`;

/** Row i: user u<i>, points i, or 9i for a changed row; `extra` lines after row `at`. */
function csv(
  changed: ReadonlySet<number>,
  extra: ReadonlyMap<number, readonly string[]> = new Map(),
) {
  const lines = [HEADER];
  for (let i = 0; i < ROWS; i++) {
    lines.push(line(i, changed.has(i) ? `9${i}` : `${i}`));
    lines.push(...(extra.get(i) ?? []));
  }
  return `${lines.join("\n")}\n`;
}

/** A night's state: the first night imported into a directory of its own. */
async function firstNight(url: string) {
  const dir = tempDir();
  write(dir, "m.yaml", USERS_MAPPING);
  const input = write(dir, "users.csv", csv(new Set()));
  onWorker = true;
  expect((await run(dir, input, url)).code).toBe(0); // nothing known: one thread
  expect(workerRuns).not.toHaveBeenCalled();
  return { dir, input };
}

async function run(dir: string, input: string, url: string, extra: readonly string[] = []) {
  const flags = runFlags(dir, url, { rate: "100000/s", state: true });
  return runCli([input, "--map", join(dir, "m.yaml"), ...flags, ...extra]);
}

/** The state file as it is now, and how to put it back (a second night from the same first). */
function keep(dir: string): () => void {
  const state = join(dir, "state.db");
  copyFileSync(state, `${state}.kept`);
  return () => copyFileSync(`${state}.kept`, state);
}

/**
 * What the emulator received, without the clocks': each user's requests in the order they came
 * (the users' own order is the connections', not the file's), users in order of their ids.
 */
function received(e: Awaited<ReturnType<typeof emulator>>) {
  const users = new Map<string, object[]>();
  for (const { receivedAt: _, request_datetime: __, ...request } of e.store.list()) {
    const id = String(request.identity.external_id);
    users.set(id, [...(users.get(id) ?? []), request]);
  }
  return [...users].sort(([a], [b]) => a.localeCompare(b));
}

/** The report without its clock and its endpoint. */
function report(dir: string) {
  const {
    durationMs: _,
    startedAt: __,
    finishedAt: ___,
    endpoint: ____,
    ...rest
  } = readJson(join(dir, "report.json"));
  return rest;
}

beforeEach(() => {
  workerRuns.mockClear();
  broken = false;
});

describe("import-profiles --state, the diff on a second thread", () => {
  it("sends exactly what one thread sends, and maps a known row whose user an earlier row touched", async () => {
    const e = await emulator();
    const { dir, input } = await firstNight(e.url);
    const restore = keep(dir);
    // u7 changed on its line, and its unchanged row of the first night again after line 4,500
    // (another batch of the worker's): its identity is touched by then, the row is not unchanged.
    // A blank row and a repeated header among the known rows; u9's change at the very end.
    const extra = new Map([
      [100, [",,"]],
      [2_000, [HEADER]],
      [4_500, [line(7)]],
      [ROWS - 1, [line(9, "99")]],
    ]);
    write(dir, "users.csv", csv(new Set([7, 1_234, 4_321, ROWS - 1]), extra));
    const nights: { code: number; sent: ReturnType<typeof received>; report: unknown }[] = [];
    for (const worker of [true, false]) {
      restore();
      e.store.clear();
      onWorker = worker;
      workerRuns.mockClear();
      const { code } = await run(dir, input, e.url);
      expect(workerRuns).toHaveBeenCalledTimes(worker ? 1 : 0);
      nights.push({ code, sent: received(e), report: report(dir) });
    }
    const [two, one] = nights as [(typeof nights)[0], (typeof nights)[0]];
    expect(two).toEqual(one);
    expect(two.code).toBe(1); // the repeated header is dead-lettered
    const points = (id: string) =>
      (two.sent.find(([user]) => user === id)?.[1] ?? []).map(
        (request) => (request as { user_properties: { points: number } }).user_properties.points,
      );
    expect(two.sent.map(([id]) => id)).toEqual(["u1234", "u4321", `u${ROWS - 1}`, "u7", "u9"]);
    expect(points("u7")).toEqual([97, 7]); // its change, then its first night's row again
    expect(points("u9")).toEqual([99]);
    expect(two.report).toMatchObject({
      rows: ROWS + 3,
      blank: 1,
      accepted: 6,
      deadLettered: 1, // the repeated header
      unchanged: ROWS - 4,
      stoppedBy: null,
    });
  });

  it("sends, samples and counts the canary's rows and the sample's as one thread does", async () => {
    const e = await emulator();
    const { dir, input } = await firstNight(e.url);
    const restore = keep(dir);
    // The known rows after the first 5 end at once; the sample's and the canary's are mapped.
    write(dir, "users.csv", csv(new Set([1, 6, 2_500])));
    const nights: { code: number; stdout: string; sent: unknown; report: unknown }[] = [];
    for (const worker of [true, false]) {
      restore();
      e.store.clear();
      onWorker = worker;
      const { code, stdout } = await run(dir, input, e.url, ["--canary", "3", "--sample", "5"]);
      // The sample's bodies and the summary without their clocks.
      const unclocked = stdout.replace(/"request_datetime":"[^"]*"/g, "").replace(/ in \d+ ms/, "");
      nights.push({ code, stdout: unclocked, sent: received(e), report: report(dir) });
    }
    const [two, one] = nights;
    expect(one?.stdout.match(/external_id/g)).toHaveLength(5);
    expect(two).toEqual(one);
    expect(one?.report).toMatchObject({ rows: ROWS, accepted: 3, unchanged: ROWS - 3 });
    expect(workerRuns).toHaveBeenCalledTimes(1);
  });

  it.each([
    // Line 4,601 (the worker's second batch), a changed row before it.
    { where: "mid-file", changed: [3, 4_000], before: 4_600, line: 4602 },
    // Line 3: the worker meets it before it is given the known rows' slots.
    {
      where: "in the first rows, read before the known rows are",
      changed: [0],
      before: 1,
      line: 3,
    },
  ])(
    "stops on an input error $where as one thread does: same message, code and rows done",
    async ({ changed, before, line: bad }) => {
      const e = await emulator();
      const { dir, input } = await firstNight(e.url);
      const restore = keep(dir);
      // A byte that is no UTF-8 at the start of row `before`.
      const text = csv(new Set(changed));
      const at = text.indexOf(`\n${line(before)}`) + 1;
      const bytes = Buffer.concat([
        Buffer.from(text.slice(0, at + 1)),
        Buffer.from([0xff]),
        Buffer.from(text.slice(at + 1)),
      ]);
      writeFileSync(input, bytes);
      const ends: { code: number; stderr: string; report: unknown; sent: unknown }[] = [];
      for (const worker of [true, false]) {
        restore();
        e.store.clear();
        onWorker = worker;
        const result = await run(dir, input, e.url);
        ends.push({
          code: result.code,
          stderr: result.stderr,
          report: report(dir),
          sent: received(e),
        });
      }
      const [two, one] = ends;
      expect(two).toEqual(one);
      expect(one?.code).not.toBe(0);
      expect(one?.report).toMatchObject({ stoppedBy: { reason: "input" } });
      expect(one?.stderr).toContain(`${input}:${bad}`);
      expect(workerRuns).toHaveBeenCalledTimes(1);
    },
  );

  it("fails the run, never hangs it, when the worker fails", async () => {
    const e = await emulator();
    const { dir, input } = await firstNight(e.url);
    write(dir, "users.csv", csv(new Set([3])));
    e.store.clear();
    broken = true;
    const result = await run(dir, input, e.url);
    expect(workerRuns).toHaveBeenCalledTimes(1);
    expect(result.code).toBe(70);
    expect(result.stderr).toContain("is not iterable");
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 0,
      stoppedBy: { reason: "internal" },
    });
    expect(e.store.list()).toEqual([]);
  });

  it("stops mid-run on Ctrl-C with every row accounted for, and a resume sends the rest", async () => {
    const e = await emulator();
    const { dir, input } = await firstNight(e.url);
    const changed = new Set(Array.from({ length: 200 }, (_, i) => i * 25));
    write(dir, "users.csv", csv(changed));
    e.store.clear();
    const flags = runFlags(dir, e.url, { rate: "100/s", state: true });
    const stopped = signalledCli(
      [input, "--map", join(dir, "m.yaml"), ...flags],
      "import-profiles",
    );
    await waitFor(() => e.store.list().length >= 10, "10 changed rows accepted");
    stopped.signal("SIGINT");
    const { code } = await stopped.done;
    expect(code).toBe(130);
    expect(workerRuns).toHaveBeenCalledTimes(1);
    const first = readJson(join(dir, "report.json"));
    expect(first.notAttempted).toBeGreaterThan(0);
    expect(first.accepted + first.unchanged + first.notAttempted).toBe(first.rows);
    // The resumed pass skips the rows done, then ends the rest as one thread does.
    const sentFirst = e.store.list().map((r) => r.identity.external_id);
    const restore = keep(dir);
    e.store.clear();
    onWorker = false;
    expect((await run(dir, input, e.url, ["--resume"])).code).toBe(0);
    const oneThread = { sent: received(e), report: report(dir) };
    restore();
    e.store.clear();
    onWorker = true;
    const resumed = await run(dir, input, e.url, ["--resume"]);
    expect(resumed.code).toBe(0);
    expect(workerRuns).toHaveBeenCalledTimes(2);
    expect({ sent: received(e), report: report(dir) }).toEqual(oneThread);
    const ids = new Set([...sentFirst, ...e.store.list().map((r) => r.identity.external_id)]);
    expect(ids).toEqual(new Set([...changed].map((i) => `u${i}`)));
    const second = readJson(join(dir, "report.json"));
    expect(second).toMatchObject({ rows: ROWS, notAttempted: 0, stoppedBy: null });
    expect(second.accepted + second.unchanged).toBe(ROWS);
    expect(second.deadLettered).toBe(0);
  });
});
