/**
 * Issue 21: `--group-by-identity` reads its spill back in short steps that let the event loop in
 * (how short: test/run/spill.test.ts). A 100 MB CSV of 5,000 users' snapshots, interleaved, is
 * spilled; once the importer has read the whole file (its descriptor closed: the read-back
 * begins) it gets SIGTERM. It exits 130 soon after, its scratch file removed, its report whole.
 */
import { closeSync, openSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  emulatorPerTest,
  ownScratch,
  readJson,
  readPosition,
  runFlags,
  spawnCli,
  tempDirsPerTest,
  waitFor,
  write,
} from "./helpers.js";
import { ENV } from "./kinds.js";

const startEmulator = emulatorPerTest();
const ownDir = tempDirsPerTest();

const ROWS = 100_000;
const USERS = 5_000;

/** 100,000 rows of 5,000 users, interleaved, each with a 1,000-character bio: 100 MB. */
function snapshots(dir: string): string {
  const path = join(dir, "users.csv");
  const fd = openSync(path, "w");
  writeSync(fd, "id,bio\n");
  const bio = "x".repeat(1_000);
  let block = "";
  for (let i = 0; i < ROWS; i++) {
    block += `u${i % USERS},${bio}\n`;
    if (block.length > 1_000_000) {
      writeSync(fd, block);
      block = "";
    }
  }
  writeSync(fd, block);
  closeSync(fd);
  return path;
}

describe("SIGTERM while --group-by-identity reads its spill back", () => {
  it("exits 130 soon after, its scratch file removed, its report whole", async () => {
    const e = await startEmulator();
    const dir = ownDir();
    const input = snapshots(dir);
    const map = write(dir, "m.yaml", "identity:\n  external_id: id\nproperties:\n  bio: bio\n");
    // 50 updates a second: the read-back, sending as it goes, lasts far longer than the test.
    const argv = [
      input,
      "--map",
      map,
      "--group-by-identity",
      ...runFlags(dir, e.url, { rate: "50/s" }),
    ];
    const child = spawnCli(argv, ENV, dir);
    const half = statSync(input).size / 2;
    let far = false; // seen past half the file: a descriptor closed after that was at its end
    const readToTheEnd = () => {
      const at = readPosition(child.pid, input);
      far ||= at >= half;
      return far && at === 0;
    };
    await waitFor(readToTheEnd, "the file read to its end, closed");
    const scratch = () => ownScratch(child.pid);
    expect(scratch()).toHaveLength(1); // the spill, being read back
    const signalled = performance.now();
    child.kill("SIGTERM");
    const { code } = await child.exited;
    expect(performance.now() - signalled).toBeLessThan(5_000);
    expect(code).toBe(130);
    expect(scratch()).toEqual([]);
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy.reason).toBe("interrupt");
    expect(report.rows).toBe(ROWS);
    expect(report.rows).toBe(
      report.accepted + report.deadLettered + report.unchanged + report.notAttempted,
    );
  });
});
