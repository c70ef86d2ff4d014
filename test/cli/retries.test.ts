/**
 * Transient failures, for every kind: HTTP 500, a 50000 answer and a reset connection are retried
 * until each unit is taken; none is lost, none dead-lettered. (How a batch of events is retried
 * whole, its ids kept: import-events.test.ts.)
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emulatorPerTest, readJson, runCli, runFlags, tempDir, write } from "./helpers.js";
import { ENV, KINDS } from "./kinds.js";

const emulator = emulatorPerTest();

describe.each(KINDS)("$program through transient failures", (kind) => {
  function setup(rows: number) {
    const dir = tempDir();
    const input = write(dir, kind.file, kind.rows(rows));
    const map = write(dir, "m.yaml", kind.mapping);
    const argv = (url: string, extra: readonly string[] = []) => [
      ...[input, "--map", map, ...runFlags(dir, url, { rate: "1000/s" })],
      ...kind.confirm,
      ...extra,
    ];
    return { dir, argv };
  }
  const run = (argv: readonly string[]) => runCli(argv, ENV, undefined, kind.program);

  it("retries transient server errors (HTTP 500 and 50000) until each unit is taken", async () => {
    // Every third request fails, as HTTP 500 or as a 50000 answer in turn.
    const draws = [0.1, 0.9, 0.9, 0.4, 0.9, 0.9];
    let n = 0;
    const random = () => draws[n++ % draws.length] as number;
    const e = await emulator({ catalog: kind.catalog, failRate: 0.5, random });
    const { dir, argv } = setup(30);
    const result = await run(argv(e.url, ["--concurrency", "2", "--max-attempts", "6"]));
    expect(result.code).toBe(0);
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({ rows: 30, [kind.word]: 30, deadLettered: 0 });
    expect(report.retries).toBeGreaterThanOrEqual(10);
    expect(new Set(kind.sent(e)).size).toBe(30);
  });

  it("delivers every valid unit through 5% server errors and 1% connection resets", async () => {
    const e = await emulator({ catalog: kind.catalog, failRate: 0.05, resetRate: 0.01 });
    const { dir, argv } = setup(400);
    const result = await run(argv(e.url));
    expect(result.code).toBe(0);
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({ [kind.word]: 400, deadLettered: 0 });
    expect(report.retries).toBeGreaterThan(0);
    expect(new Set(kind.sent(e)).size).toBe(400);
  });
});
