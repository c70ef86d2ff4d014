/**
 * Still failing, for every kind (with --state): a unit that fails again the same way as on the
 * last run is not news (exit 0 for it alone, counted apart, still dead-lettered); a new failure
 * is (exit 1); --strict makes every failure exit 1; without --state every failure is news.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runCli,
  runFlags,
  tempDir,
  write,
} from "./helpers.js";
import { ENV, KINDS } from "./kinds.js";

const emulator = emulatorPerTest();

describe.each(KINDS)("$program: still failing, news, and --strict", (kind) => {
  /** A run over `rows` units, the `invalid` ones failing, in `dir` (its state file too, if `state`). */
  const night = async (
    dir: string,
    url: string,
    invalid: ReadonlySet<number>,
    { state = true, extra = [] as string[] } = {},
  ) => {
    const input = write(dir, kind.file, kind.rows(10, invalid));
    const map = write(dir, "m.yaml", kind.mapping);
    const argv = [input, "--map", map, ...runFlags(dir, url, { rate: "1000/s", state })];
    const result = await runCli([...argv, ...kind.confirm, ...extra], ENV, undefined, kind.program);
    return { result, report: readJson(join(dir, "report.json")) };
  };

  it("counts a unit that fails again the same way as still failing, exits 0 for it alone, and 1 for a new failure", async () => {
    const e = await emulator({ catalog: kind.catalog });
    const dir = tempDir();
    const first = await night(dir, e.url, new Set([3]));
    expect(first.result.code).toBe(1);
    expect(first.report).toMatchObject({ [kind.word]: 9, deadLettered: 1, stillFailing: 0 });

    // The same export the next night: the same unit fails the same way. Known: exit 0.
    const second = await night(dir, e.url, new Set([3]));
    expect(second.result.code).toBe(0);
    expect(second.report).toMatchObject({ unchanged: 9, deadLettered: 1, stillFailing: 1 });
    expect(second.result.stdout).toContain("1 of the dead-lettered rows are still failing");
    // Still written to the dead-letter file.
    expect(readNdjson(join(dir, "dl.ndjson")).map((r) => r.line)).toEqual([kind.firstLine + 3]);

    // --strict: every failure exits 1.
    const strict = await night(dir, e.url, new Set([3]), { extra: ["--strict"] });
    expect(strict.result.code).toBe(1);
    expect(strict.report).toMatchObject({ deadLettered: 1, stillFailing: 1 });

    // A new failure (unit 6 broken too) is news: exit 1; the old one is still counted as known.
    const third = await night(dir, e.url, new Set([3, 6]));
    expect(third.result.code).toBe(1);
    expect(third.report).toMatchObject({ deadLettered: 2, stillFailing: 1 });
  });

  it("counts the units the API refuses again the same way as still failing; --strict counts them as news", async () => {
    const e = await kind.refusing(emulator, 3);
    const dir = tempDir();
    const run = async (extra: string[] = []) => {
      const input = write(dir, kind.file, kind.rows(3));
      const map = write(dir, "m.yaml", kind.mapping);
      const argv = [input, "--map", map, ...runFlags(dir, e.url, { rate: "1000/s", state: true })];
      const result = await runCli(
        [...argv, ...kind.confirm, ...extra],
        ENV,
        undefined,
        kind.program,
      );
      return { code: result.code, report: readJson(join(dir, "report.json")) };
    };
    expect(await run()).toMatchObject({ code: 1, report: { deadLettered: 3, stillFailing: 0 } });
    expect(await run()).toMatchObject({ code: 0, report: { deadLettered: 3, stillFailing: 3 } });
    expect(await run(["--strict"])).toMatchObject({
      code: 1,
      report: { deadLettered: 3, stillFailing: 3 },
    });
    const lines = readNdjson(join(dir, "dl.ndjson")).map((d) => d.line);
    expect(lines.sort((x, y) => x - y)).toEqual([0, 1, 2].map((i) => kind.firstLine + i));
  });

  it("without --state, every failure is news", async () => {
    const e = await emulator({ catalog: kind.catalog });
    const dir = tempDir();
    for (let i = 0; i < 2; i++) {
      const { result, report } = await night(dir, e.url, new Set([1]), { state: false });
      expect(result.code).toBe(1);
      expect(report.stillFailing).toBe(0);
    }
  });
});

describe("import-profiles: a row whose content changed", () => {
  it("is not the same row: fixed and broken anew, its failure is news", async () => {
    const e = await emulator();
    const dir = tempDir();
    const profiles = KINDS.find((k) => k.program === "import-profiles");
    const map = write(dir, "m.yaml", profiles?.mapping ?? "");
    const night = async (csv: string) => {
      const input = write(dir, "users.csv", csv);
      const argv = [input, "--map", map, ...runFlags(dir, e.url, { rate: "1000/s", state: true })];
      const result = await runCli(argv, ENV);
      return { result, report: readJson(join(dir, "report.json")) };
    };
    const csv = profiles?.rows(10, new Set([3, 6])) ?? "";
    expect((await night(csv)).result.code).toBe(1);
    expect((await night(csv)).report).toMatchObject({ deadLettered: 2, stillFailing: 2 });
    const changed = await night(
      csv.replace("u3,user3@example.com,lots", "u3,user3@example.com,many"),
    );
    expect(changed.result.code).toBe(1);
    expect(changed.report).toMatchObject({ deadLettered: 2, stillFailing: 1 });
  });
});
