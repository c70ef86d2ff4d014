import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emulatorPerTest, readJson, runCli, tempDir, write } from "./helpers.js";
import { ENV, KINDS, kindFlags } from "./kinds.js";

const emulator = emulatorPerTest();

describe.each(KINDS)("$program --canary", (kind) => {
  const setup = (rows: number) => {
    const dir = tempDir();
    const input = write(dir, kind.file, kind.rows(rows));
    return { dir, input, map: write(dir, "m.yaml", kind.mapping) };
  };

  it("sends the first N units and stops with exit 3 before reading further when none was accepted", async () => {
    const e = await kind.refusing(emulator, 1_000);
    const { dir, input, map } = setup(1_000);
    const argv = [input, "--map", map, ...kindFlags(dir, e.url), ...kind.confirm, "--canary", "10"];
    const result = await runCli([...argv, "--max-error-rate", "1"], ENV, undefined, kind.program);
    expect(result.code).toBe(3);
    // 10 users: the first 10 units go in 10 requests, each refused; the 11th is in hand.
    expect(e.store.stats().requests).toBe(10);
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({
      rows: 11,
      [kind.word]: 0,
      deadLettered: 10,
      notAttempted: 1,
      firstNotAttemptedLine: kind.firstLine + 10,
      stoppedBy: { reason: "canary" },
    });
    expect(report.stoppedBy.message).toMatch(
      new RegExp(
        `^canary: none of the first 10 ${kind.counted} was accepted \\(most refused: 40001 ×10, "VALIDATION_FAILURE: .*"\\); stopped before reading further$`,
      ),
    );
  });

  it("goes on through the whole file when a canary unit was accepted", async () => {
    const e = await emulator(kind.catalog === undefined ? {} : { catalog: kind.catalog });
    const { dir, input, map } = setup(50);
    const argv = [input, "--map", map, ...kindFlags(dir, e.url), ...kind.confirm, "--canary", "10"];
    expect((await runCli(argv, ENV, undefined, kind.program)).code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 50,
      [kind.word]: 50,
      stoppedBy: null,
    });
  });
});
