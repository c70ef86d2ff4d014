import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emulatorPerTest, readJson, runCli, tempDir, write } from "./helpers.js";
import { hostileServerPerTest } from "./hostile-server.js";
import { ENV, KINDS, kindFlags, refusingUsers } from "./kinds.js";

const emulator = emulatorPerTest();
const hostile = hostileServerPerTest();

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

  it("goes on through the whole file once one of the first N units is accepted", async () => {
    // Users 1, 2 and 3 refused (40001), the rest accepted: the canary of 5 saw one accepted.
    const server = await hostile(refusingUsers(kind, (user) => user >= 1 && user <= 3));
    const { dir, input, map } = setup(300);
    const argv = [input, "--map", map, ...kindFlags(dir, server.url), ...kind.confirm];
    const result = await runCli([...argv, "--canary", "5"], ENV, undefined, kind.program);
    expect(result.code).toBe(1);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 300,
      [kind.word]: 297,
      deadLettered: 3,
      stoppedBy: null,
    });
    expect(server.requests).toHaveLength(300);
  });

  it("is resumable: with --state, --resume after the fix sends the units the canary did not try", async () => {
    const refusing = await kind.refusing(emulator, 500);
    const { dir, input, map } = setup(500);
    const state = ["--state", join(dir, "state.db"), "--canary", "10", ...kind.confirm];
    const argv = (url: string) => [input, "--map", map, ...kindFlags(dir, url), ...state];
    expect((await runCli(argv(refusing.url), ENV, undefined, kind.program)).code).toBe(3);
    // Fixed in the console: the run goes on where it stopped.
    const fixed = await emulator(kind.catalog === undefined ? {} : { catalog: kind.catalog });
    const resumed = await runCli([...argv(fixed.url), "--resume"], ENV, undefined, kind.program);
    expect(resumed.code).toBe(1); // the canary's 10, dead-lettered by the first pass
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 500,
      [kind.word]: 490,
      deadLettered: 10,
      notAttempted: 0,
      stoppedBy: null,
    });
    // None of the canary's first 10 is sent again, and each of the others once.
    const sent = kind.sent(fixed);
    expect(sent.sort()).toEqual(Array.from({ length: 490 }, (_, i) => kind.userOf(10 + i)).sort());
  });
});
