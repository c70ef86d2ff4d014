/**
 * A folder of part files with --state: the next night skips the files an earlier run finished
 * unchanged (and reads again those with a dead-lettered row, and those changed or new); a run
 * killed (kill -9) in the middle of its third file resumes inside that file, without reading the
 * two before it, and loses no row.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runCli,
  runFlags,
  spawnCli,
  TOKEN,
  tempDir,
  USERS_MAPPING,
  waitFor,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

/** Part `p` of an export: users `p * size` to `(p + 1) * size - 1`; those in `bad` have no Long. */
function partCsv(p: number, size: number, bad: ReadonlySet<number> = new Set()): string {
  const lines = ["id,email,points"];
  for (let i = p * size; i < (p + 1) * size; i++) {
    lines.push(`u${i},user${i}@example.com,${bad.has(i) ? "lots" : i}`);
  }
  return `${lines.join("\n")}\n`;
}

function folder(parts: number, size: number, bad: ReadonlySet<number> = new Set()) {
  const dir = tempDir();
  const out = join(dir, "export");
  mkdirSync(out);
  for (let p = 0; p < parts; p++)
    writeFileSync(join(out, `part-0000${p}.csv`), partCsv(p, size, bad));
  writeFileSync(join(out, "_SUCCESS"), "");
  const map = write(dir, "m.yaml", USERS_MAPPING);
  return { dir, out, map };
}

const partPath = (out: string, p: number) => join(out, `part-0000${p}.csv`);

describe("many inputs with --state", () => {
  it("skips on the next night the files finished unchanged; reads again one with a dead letter, a changed one and a new one", async () => {
    const e = await emulator();
    const { dir, out, map } = folder(3, 10, new Set([14]));
    const args = () => [
      out,
      "--map",
      map,
      ...runFlags(dir, e.url, { rate: "1000/s", state: true }),
    ];

    const first = await runCli(args());
    expect(first.code).toBe(1);
    expect(e.store.count()).toBe(29);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 30,
      accepted: 29,
      deadLettered: 1,
      files: { count: 3, skipped: { marker: 1, finished: 0 } },
    });

    // The next night: part 1 (a dead letter) is read again, parts 0 and 2 are not; a new part 3.
    writeFileSync(partPath(out, 3), partCsv(3, 10));
    const second = await runCli(args());
    expect(second.code).toBe(0); // the dead letter is still failing: no news
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({
      rows: 20,
      accepted: 10,
      unchanged: 9,
      deadLettered: 1,
      stillFailing: 1,
      files: { count: 2, skipped: { marker: 1, finished: 2 } },
    });
    expect(second.stdout).toContain(
      "2 files; skipped: 1 marker (_SUCCESS), 2 finished unchanged (--state)\n",
    );
    expect(
      e.store
        .list()
        .slice(29)
        .map((r) => r.identity.external_id)
        .sort(), // concurrent requests of different users arrive in any order
    ).toEqual(Array.from({ length: 10 }, (_, i) => `u${30 + i}`));
    expect(readNdjson(join(dir, "dl.ndjson"))).toMatchObject([
      { file: partPath(out, 1), line: 6, row: { id: "u14", points: "lots" } },
    ]);

    // A night later: part 2 has a row more; it alone is read (and part 1, still failing).
    appendFileSync(partPath(out, 2), "u99,user99@example.com,99\n");
    const third = await runCli(args());
    expect(third.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 21,
      accepted: 1,
      unchanged: 19,
      deadLettered: 1,
      files: { count: 2, skipped: { finished: 2 } },
    });
    expect(e.store.list().at(-1)?.identity.external_id).toBe("u99");
    expect(e.store.count()).toBe(40);
  });

  it("never reads its own outputs kept in the export's folder: the state file, its journal, the dead letters, the report, the log", async () => {
    const e = await emulator();
    const { out, map } = folder(2, 5, new Set([3]));
    const inside = ["--state", "state.db", "--dead-letter", "dl.ndjson", "--report", "report.json"];
    const args = [
      out,
      "--map",
      map,
      "--endpoint",
      e.url,
      "--service-id",
      "test-service",
      "--rate",
      "1000/s",
    ];
    const flags = inside.map((arg, i) => (i % 2 === 1 ? join(out, arg) : arg));
    const first = await runCli([...args, ...flags, "--log", join(out, "log.ndjson")]);
    expect(first.code).toBe(1);
    const second = await runCli([...args, ...flags, "--log", join(out, "log.ndjson")]);
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
    expect(readJson(join(out, "report.json"))).toMatchObject({
      rows: 5,
      unchanged: 4,
      deadLettered: 1,
      files: { count: 1, skipped: { marker: 1, hidden: 0, empty: 0, finished: 1 } },
    });
  });

  it("resumes after kill -9 in the middle of file 3 inside that file: none lost, the files before not read again", async () => {
    const e = await emulator({ latencyMs: 5, jitterMs: 10 });
    const size = 500;
    const bad = new Set([10, 1_250, 2_990]);
    const { dir, out, map } = folder(6, size, bad);
    const concurrency = 8;
    const args = (extra: string[]) => [
      out,
      "--map",
      map,
      ...runFlags(dir, e.url, { rate: "500/s", state: true }),
      "--concurrency",
      String(concurrency),
      ...extra,
    ];
    const child = spawnCli(args([]), { DFINERY_ACCESS_TOKEN: TOKEN }, dir);
    // Part 3 holds users 1,000 to 1,499: killed once 1,150 are in, at 500 a second.
    await waitFor(() => e.store.count() >= 1_150, "1,150 users sent");
    child.kill("SIGKILL");
    await child.exited;
    const sentBefore = e.store.count();
    expect(sentBefore).toBeLessThan(1_500);

    const resumed = await runCli(args(["--resume"]));
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(1);
    const rows = 6 * size;
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows,
      accepted: rows - bad.size,
      deadLettered: bad.size,
      notAttempted: 0,
      files: { count: 4, skipped: { marker: 1, finished: 2 } },
    });
    const ids = new Set(e.store.list().map((r) => r.identity.external_id));
    expect(ids.size).toBe(rows - bad.size);
    expect(e.store.count() - ids.size).toBeLessThanOrEqual(concurrency); // in flight at the kill
    const deadLetters = readNdjson(join(dir, "dl.ndjson")).map((r) => [r.file, r.line, r.row.id]);
    expect(deadLetters.sort()).toEqual([
      [partPath(out, 0), 12, "u10"],
      [partPath(out, 2), 252, "u1250"],
      [partPath(out, 5), 492, "u2990"],
    ]);
  });
});
