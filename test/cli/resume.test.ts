/**
 * Resuming with --state, for every kind: after kill -9 (nothing lost, only what was in flight sent
 * twice), after a refused token; refused for a changed input or mapping, for nothing interrupted,
 * with --dry-run, and while another run holds the file; a new run's dead-letter file starts anew.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emulatorPerTest, readJson, readNdjson, spawnCli, waitFor, write } from "./helpers.js";
import { ENV, KINDS } from "./kinds.js";
import { history, stateArgs, stateSuite } from "./state-runs.js";

const emulator = emulatorPerTest();

describe.each(KINDS)("$program --state --resume", (kind) => {
  const { run, setup, started } = stateSuite(kind, emulator);
  const spawn = (dir: string, input: string, url: string, extra: string[]) =>
    spawnCli(stateArgs(kind, dir, input, url, extra), ENV, dir, { program: kind.program });

  it("resumes after kill -9: every unit accepted, none lost, only those in flight sent again", async () => {
    const e = await started({ latencyMs: 5, jitterMs: 10 });
    const rows = 3_000;
    const bad = new Set([10, 1_500, 2_999]);
    const { dir, input } = setup(rows, bad);
    const concurrency = 8;
    const flags = ["--concurrency", String(concurrency)];
    const child = spawn(dir, input, e.url, ["--rate", "1000/s", ...flags]);
    await waitFor(() => kind.sent(e).length >= 1_000, "1,000 units accepted");
    child.kill("SIGKILL");
    expect((await child.exited).signal).toBe("SIGKILL");
    const atKill = kind.sent(e).length;
    expect(atKill).toBeLessThan(rows - bad.size);
    const [killed] = history(dir);
    expect(killed?.status).toBe("running");
    const recorded = killed?.accepted ?? 0;
    // Requests in flight at the kill were taken by the emulator, not yet recorded by the run.
    expect(atKill - recorded).toBeGreaterThanOrEqual(0);
    expect(atKill - recorded).toBeLessThanOrEqual(concurrency);

    const resumed = await run(dir, input, e.url, ["--resume", ...flags]);
    expect(resumed.code).toBe(1); // the three bad units are dead-lettered
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({
      rows,
      [kind.word]: rows - bad.size,
      deadLettered: bad.size,
      unchanged: 0,
      notAttempted: 0,
    });
    const sent = kind.sent(e);
    expect(sent.length - atKill).toBe(rows - bad.size - recorded); // exact: the rest
    expect(new Set(sent).size).toBe(rows - bad.size);
    expect(readNdjson(join(dir, "dl.ndjson")).map((r) => r.line)).toEqual(
      [10, 1_500, 2_999].map((i) => kind.firstLine + i),
    );
  }, 120_000);

  it("resumes a run stopped by a refused token once the token is fixed", async () => {
    const e = await started({ latencyMs: 2 });
    const { dir, input } = setup(100);
    const wrong = await run(dir, input, e.url, ["--concurrency", "2"], {
      DFINERY_ACCESS_TOKEN: "wrong",
    });
    expect(wrong.code).toBe(3);
    const fixed = await run(dir, input, e.url, ["--resume"]);
    expect(fixed.code).toBe(0);
    expect(kind.sent(e)).toHaveLength(100);
    expect(readJson(join(dir, "report.json"))).toMatchObject({ rows: 100, [kind.word]: 100 });
  });

  it("refuses to resume a changed file or mapping, or when nothing was interrupted", async () => {
    const e = await started();
    const { dir, input } = setup(10);
    const nothing = await run(dir, input, e.url, ["--resume"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to resume/);

    await run(dir, input, e.url, ["--concurrency", "1"], { DFINERY_ACCESS_TOKEN: "wrong" });
    writeFileSync(input, kind.rows(11));
    const changedFile = await run(dir, input, e.url, ["--resume"]);
    expect(changedFile.code).toBe(2);
    expect(changedFile.stderr).toMatch(/input changed/);

    writeFileSync(input, kind.rows(10));
    write(dir, "m.yaml", kind.changedMapping);
    const changedMapping = await run(dir, input, e.url, ["--resume"]);
    expect(changedMapping.code).toBe(2);
    expect(changedMapping.stderr).toMatch(/mapping changed/);

    const full = await run(dir, input, e.url, ["--resume", "--full"]);
    expect(full.code).toBe(0);
  });

  it("refuses --resume with --dry-run", async () => {
    const { dir, input } = setup(2);
    const result = await run(dir, input, "http://127.0.0.1:9", ["--dry-run", "--resume"], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nothing to resume/);
  });

  it("refuses a second run on the same state file while one is running, naming its pid", async () => {
    const slow = await started({ latencyMs: 200 });
    const { dir, input } = setup(400);
    const child = spawn(dir, input, slow.url, ["--rate", "20/s"]);
    try {
      await waitFor(() => slow.store.stats().requests > 0, "a request of the first run");
      const second = await run(dir, input, slow.url);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/another import is running/);
      expect(second.stderr).toMatch(/pid \d+/);
    } finally {
      child.kill("SIGKILL");
      await child.exited;
    }
    // The lock of the killed process is taken over.
    const next = await run(dir, input, slow.url, ["--rate", "2000/s"]);
    expect(next.code).toBe(0);
  });

  it("starts a new run's dead-letter file anew, so a resumed run never carries an older run's units", async () => {
    const failing = await started({ failRate: 1 });
    const { dir, input } = setup(5);
    expect((await run(dir, input, failing.url, ["--max-attempts", "1"])).code).toBe(1);
    expect(readNdjson(join(dir, "dl.ndjson"))).toHaveLength(5);
    // The next night: the file of the night before is gone as soon as the run starts.
    const slow = await started({ latencyMs: 200 });
    const child = spawn(dir, input, slow.url, ["--rate", "5/s"]);
    await waitFor(() => slow.store.stats().requests > 0, "a request of the next night's run");
    child.kill("SIGKILL");
    await child.exited;
    expect(existsSync(join(dir, "dl.ndjson"))).toBe(false);
    const resumed = await run(dir, input, slow.url, ["--resume"]);
    expect(resumed.code).toBe(0);
    expect(existsSync(join(dir, "dl.ndjson"))).toBe(false);
  });
});
