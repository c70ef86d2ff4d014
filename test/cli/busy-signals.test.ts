/**
 * Issue 21, item 3: a signal is answered within a second during a step that keeps the CPU busy
 * for long: SIGTERM comes once the step has started (the importer has read into it: its read
 * position in the file, from /proc), and the importer exits 130 soon after, whatever the load.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  emulatorPerTest,
  readJson,
  readPosition,
  runFlags,
  spawnCli,
  tempDirsPerTest,
  waitFor,
  write,
} from "./helpers.js";
import { ENV } from "./kinds.js";

const MiB = 1024 * 1024;
const startEmulator = emulatorPerTest();
const ownDir = tempDirsPerTest();

/**
 * A file of `head`, then a record of `mib` MiB made of `unit` repeated (a line without a line
 * break, a dump cell of escaped lines), then `rows` more rows made by `row`.
 */
function bigFile(dir: string, name: string, head: string, unit: string, mib: number, tail: string) {
  const path = join(dir, name);
  const fd = openSync(path, "w");
  writeSync(fd, head);
  const block = unit.repeat(MiB / unit.length);
  for (let i = 0; i < mib; i++) writeSync(fd, block);
  writeSync(fd, tail);
  closeSync(fd);
  return path;
}

/** 2,000 rows u1000…u2999 at 50/s: 40 s, longer than any test waits. */
const after = (line: (i: number) => string) =>
  Array.from({ length: 2_000 }, (_, i) => line(1_000 + i)).join("\n");

const CASES = [
  {
    name: "a line of 200 MB without a line break",
    file: "users.csv",
    head: "id,bio\nu1,hello\nu2,",
    unit: "x",
    tail: `\n${after((i) => `u${i},b`)}\n`,
    mapping: "identity:\n  external_id: id\nproperties:\n  bio: bio\n",
  },
  {
    name: "a MySQL dump cell of 200 MB of escaped lines",
    file: "users.tsv",
    head: "u1\thello\nu2\t",
    unit: "ab\\\n",
    tail: `\n${after((i) => `u${i}\tb`)}\n`,
    mapping:
      "source:\n  format: tsv\n  dialect: mysql\n  header: false\n  columns: [id, bio]\nidentity:\n  external_id: id\nproperties:\n  bio: bio\n",
  },
];

/**
 * Spawns `program` on `c`'s file (made in a new folder, removed after the test), sends SIGTERM once
 * it has read 20 MiB into the long record, and times the exit from the signal.
 */
async function signalledWhileReading(
  c: (typeof CASES)[number],
  argv: (input: string, dir: string) => string[],
  program: "import-profiles" | "dfinery-import",
) {
  const dir = ownDir();
  const input = bigFile(dir, c.file, c.head, c.unit, 200, c.tail);
  const child = spawnCli(argv(input, dir), ENV, dir, { program });
  await waitFor(() => readPosition(child.pid, input) >= 20 * MiB, "20 MiB of the file read");
  const signalled = performance.now();
  child.kill("SIGTERM");
  const { code } = await child.exited;
  return { code, ms: performance.now() - signalled, dir };
}

describe.each(CASES)("SIGTERM while reading $name", (c) => {
  it("import-profiles exits 130 within seconds, its report whole", async () => {
    const e = await startEmulator();
    const { code, ms, dir } = await signalledWhileReading(
      c,
      (input, d) => [
        ...[input, "--map", write(d, "m.yaml", c.mapping)],
        ...runFlags(d, e.url, { rate: "50/s" }),
      ],
      "import-profiles",
    );
    expect(code).toBe(130);
    expect(ms).toBeLessThan(5_000);
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy.reason).toBe("interrupt");
    expect(report.rows).toBe(
      report.accepted + report.deadLettered + report.unchanged + report.notAttempted,
    );
  });
});

describe("SIGTERM while init reads a line of 200 MB", () => {
  it("exits 130 within seconds", async () => {
    const { code, ms } = await signalledWhileReading(
      CASES[0] as (typeof CASES)[number],
      (input, d) => ["init", input, "--out", join(d, "m.yaml")],
      "dfinery-import",
    );
    expect(code).toBe(130);
    expect(ms).toBeLessThan(5_000);
  });
});
