/**
 * The identities and delete runs through the shared engine, against the emulator, for each of the
 * two kinds: --state (a unit done before is unchanged), kill -9 then --resume (nothing lost, only
 * what was in flight sent twice), and transient server errors (retried). The rate limit: rate-limit.test.ts.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IDENTITIES_PATH } from "../../src/api/dfinery.js";
import { IDENTITIES_DELETE_PATH } from "../../src/api/identities.js";
import type { Program } from "../../src/cli/args.js";
import type { Emulator } from "../../src/emulator/index.js";
import {
  emulatorPerTest,
  readJson,
  runCli,
  runFlags,
  spawnCli,
  TOKEN,
  tempDir,
  waitFor,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

const MAPPING = "identity:\n  external_id: member_id\n  email: email\n";

/** `count` members, each with an id and an email. */
function members(count: number): string {
  const lines = ["member_id,email"];
  for (let i = 0; i < count; i++) lines.push(`m${i},member${i}@example.com`);
  return `${lines.join("\n")}\n`;
}

interface Case {
  readonly program: Program;
  readonly path: string;
  /** What the report calls the rows the API took. */
  readonly word: "accepted" | "deleted";
  readonly confirm: readonly string[];
  /** What `status` says the state file remembers. */
  readonly known: string;
}

const CASES: readonly Case[] = [
  {
    program: "dfinery-import identities",
    path: IDENTITIES_PATH,
    word: "accepted",
    confirm: [],
    known: "identities linked",
  },
  {
    program: "dfinery-import delete",
    path: IDENTITIES_DELETE_PATH,
    word: "deleted",
    confirm: ["--yes"],
    known: "people deleted",
  },
];

/** The external ids the emulator took at `path`, in arrival order. */
const sent = (e: Emulator, path: string) =>
  e.store
    .list()
    .filter((r) => r.endpoint === path)
    .map((r) => r.identity.external_id);

describe.each(CASES)("$program", (kind) => {
  const run = (argv: readonly string[]) => runCli(argv, undefined, undefined, kind.program);
  function setup(rows: number) {
    const dir = tempDir();
    const input = write(dir, "members.csv", members(rows));
    const map = write(dir, "m.yaml", MAPPING);
    const argv = (url: string, rate: string, extra: readonly string[] = []) => [
      input,
      "--map",
      map,
      ...runFlags(dir, url, { rate, state: true }),
      ...kind.confirm,
      ...extra,
    ];
    return { dir, input, map, argv };
  }

  it("with --state, a unit done by an earlier run is unchanged and not sent again", async () => {
    const e = await emulator();
    const { dir, argv } = setup(20);
    expect((await run(argv(e.url, "1000/s"))).code).toBe(0);
    expect(sent(e, kind.path)).toHaveLength(20);
    const again = await run(argv(e.url, "1000/s"));
    expect(again.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 20,
      [kind.word]: 0,
      unchanged: 20,
    });
    expect(sent(e, kind.path)).toHaveLength(20); // nothing more
    // A new person, and one whose identifiers changed (another email), are sent.
    const changed = `${members(20).replace("member3@example.com", "new3@example.com")}m20,m20@example.com\n`;
    write(dir, "members.csv", changed);
    expect((await run(argv(e.url, "1000/s"))).code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 21,
      [kind.word]: 2,
      unchanged: 19,
    });
    expect(sent(e, kind.path).slice(20)).toEqual(["m3", "m20"]);
    const status = await runCli(
      ["status", "--state", join(dir, "state.db")],
      undefined,
      undefined,
      "dfinery-import",
    );
    expect(status.stdout).toContain(`${kind.known}: 22 (of ${kind.program})`);
  });

  it("resumes after kill -9: every row sent, none lost, re-sent rows within the in-flight bound", async () => {
    const e = await emulator({ latencyMs: 5, jitterMs: 10 });
    const rows = 2_000;
    const concurrency = 8;
    const { dir, argv } = setup(rows);
    const flags = ["--concurrency", String(concurrency)];
    const child = spawnCli(argv(e.url, "1000/s", flags), { DFINERY_ACCESS_TOKEN: TOKEN }, dir, {
      program: kind.program,
    });
    await waitFor(() => e.store.stats().accepted >= 500);
    child.kill("SIGKILL");
    expect((await child.exited).signal).toBe("SIGKILL");
    const before = sent(e, kind.path).length;
    expect(before).toBeLessThan(rows);

    const resumed = await run(argv(e.url, "2000/s", [...flags, "--resume"]));
    expect(resumed.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows,
      [kind.word]: rows,
      deadLettered: 0,
      notAttempted: 0,
    });
    const ids = sent(e, kind.path);
    expect(new Set(ids).size).toBe(rows);
    expect(ids.length - rows).toBeLessThanOrEqual(concurrency);
  }, 120_000);

  it("retries transient server errors (HTTP 500 and 50000) until each row is taken", async () => {
    // Every third request fails, as HTTP 500 or as a 50000 answer in turn.
    const draws = [0.1, 0.9, 0.9, 0.4, 0.9, 0.9];
    let n = 0;
    const e = await emulator({ failRate: 0.5, random: () => draws[n++ % draws.length] as number });
    const { dir, argv } = setup(30);
    const result = await run(argv(e.url, "1000/s", ["--concurrency", "2", "--max-attempts", "6"]));
    expect(result.code).toBe(0);
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({ rows: 30, [kind.word]: 30, deadLettered: 0 });
    expect(report.retries).toBeGreaterThanOrEqual(10);
    expect(new Set(sent(e, kind.path)).size).toBe(30);
  });
});
