/**
 * The bins start the nightly diff's thread before loading the rest of their modules when the
 * command line may run a diff on it (cli/early-state.ts, run/diff-spare.ts); a spare the run does
 * not take never holds the process: it ends with the run's own code.
 */
import { spawnSync } from "node:child_process";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { mayDiffOnWorker } from "../../src/cli/early-state.js";
import { startSpare, takeSpare } from "../../src/run/diff-spare.js";
import {
  emulatorPerTest,
  HANG_MS,
  runFlags,
  spawnCli,
  TOKEN,
  tempDir,
  USERS_MAPPING,
  write,
} from "./helpers.js";

describe("which command lines may read their input on the diff's thread", () => {
  it("a file that may be CSV or TSV, whatever the other files' names", () => {
    const cases: [string[], boolean][] = [
      [["users.csv", "--map", "m.yaml", "--state", "s.db", "--dead-letter", "dl.ndjson"], true],
      [["--map", "m.yaml", "users.tsv", "--state=s.db"], true],
      [["export.txt", "--format", "csv", "--state", "s.db"], true],
      [["export.txt", "--format=tsv"], true],
      [["users.ndjson", "--state", "s.db"], false],
      [["users.JSONL.gz", "--state", "s.db"], false],
      [["orders.xlsx", "--state", "s.db"], false],
      [["users.csv", "--format", "ndjson"], false],
      [["users.csv", "--group-by-identity"], false],
      [["-", "--state", "s.db"], false], // stdin
    ];
    for (const [argv, expected] of cases)
      expect([argv, mayDiffOnWorker(argv)]).toEqual([argv, expected]);
  });
});

describe("the spare thread", () => {
  it("is taken once, and started again only once taken", async () => {
    startSpare();
    startSpare(); // one spare at a time
    const worker = takeSpare();
    expect(worker).toBeInstanceOf(Worker);
    expect(takeSpare()).toBeUndefined();
    await worker?.terminate();
  });

  it("holds its process to nothing while it waits for work", () => {
    const spare = new URL("../../dist/src/run/diff-spare.js", import.meta.url).href;
    const script = write(
      tempDir(),
      "spare.mjs",
      `const m = await import(${JSON.stringify(spare)});\nm.startSpare();\nconsole.log("started");\n`,
    );
    const child = spawnSync(process.execPath, [script], { encoding: "utf8", timeout: HANG_MS });
    expect([child.status, child.signal, child.stdout, child.stderr]).toEqual([
      0,
      null,
      "started\n",
      "",
    ]);
  });
});

const emulator = emulatorPerTest();

describe("a spare thread the run does not take", () => {
  it("leaves the run's end and code as they are", async () => {
    const e = await emulator();
    const dir = tempDir();
    // A `where`: the run reads on its own thread (diff-source.ts), the spare waits unused.
    const map = write(dir, "m.yaml", `${USERS_MAPPING}where: "row.points != '2'"\n`);
    const input = write(
      dir,
      "users.csv",
      "id,email,points\nu1,a@example.com,1\nu2,b@example.com,2\n",
    );
    const flags = runFlags(dir, e.url, { rate: "1000/s", state: true });
    for (const night of [1, 2]) {
      const child = spawnCli([input, "--map", map, ...flags], { DFINERY_ACCESS_TOKEN: TOKEN }, dir);
      expect([night, await child.exited, child.stderr()]).toEqual([
        night,
        { code: 0, signal: null },
        "",
      ]);
    }
    expect(e.store.list().map((request) => request.identity.external_id)).toEqual(["u1"]);
  });
});
