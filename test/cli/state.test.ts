/**
 * What --state remembers, for every kind: a unit DFINERY already holds is unchanged and not sent
 * again, a changed or new one is; --full sends all; a dead-lettered unit is tried again; a dry run
 * counts and writes nothing; `status` tells; a dead-letter file replays; one state file per
 * command. Resuming: resume.test.ts. What only events have (event ids, item groups,
 * --keep-events): events-state.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
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
import { ENV, KINDS, type KindCase } from "./kinds.js";
import { stateRun, stateSuite } from "./state-runs.js";

const emulator = emulatorPerTest();

describe.each(KINDS)("$program --state", (kind) => {
  const { run, setup, started } = stateSuite(kind, emulator);
  const users = (indexes: Iterable<number>) => [...indexes].map((i) => kind.userOf(i)).sort();

  it("sends nothing on a second run over an unchanged file, and `status` tells what it remembers", async () => {
    const e = await started();
    const { dir, input } = setup(300);
    expect((await run(dir, input, e.url)).code).toBe(0);
    expect(kind.sent(e)).toHaveLength(300);
    const second = await run(dir, input, e.url);
    expect(second.code).toBe(0);
    expect(e.store.stats().requests).toBe(300);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 300,
      unchanged: 300,
      [kind.word]: 0,
    });
    expect(second.stdout).toMatch(/300 unchanged/);
    const status = await runCli(["status", "--state", join(dir, "state.db")], {});
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(kind.known(300));
    expect(status.stdout).toMatch(/finished/);
    expect(status.stdout).toContain(input);
    expect(status.stdout).toMatch(/[^\n]\n$/); // one line break at the end, as a shell prompt needs
  });

  it("sends exactly the changed and the new units, whatever the order of the file", async () => {
    const e = await started();
    const { dir, input } = setup(500);
    expect((await run(dir, input, e.url)).code).toBe(0);
    const changed = new Set([7, 123, 250, 499, 42]);
    const text = kind.rows(502);
    const header = kind.firstLine - 1;
    const lines = text.trimEnd().split("\n");
    const rows = lines.slice(header).map((row, i) => (changed.has(i) ? kind.change(row) : row));
    rows.reverse();
    writeFileSync(input, `${[...lines.slice(0, header), ...rows].join("\n")}\n`);
    e.store.clear();
    expect((await run(dir, input, e.url)).code).toBe(0);
    expect(kind.sent(e).sort()).toEqual(users([...changed, 500, 501]));
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 502,
      [kind.word]: 7,
      unchanged: 495,
    });
  });

  it("--full sends every unit again", async () => {
    const e = await started();
    const { dir, input } = setup(50);
    await run(dir, input, e.url);
    await run(dir, input, e.url, ["--full"]);
    expect(kind.sent(e)).toHaveLength(100);
  });

  it("tries a dead-lettered unit again on the next run instead of counting it unchanged", async () => {
    const failing = await started({ failRate: 1 });
    const { dir, input } = setup(3);
    expect((await run(dir, input, failing.url, ["--max-attempts", "1"])).code).toBe(1);
    const healthy = await started();
    expect((await run(dir, input, healthy.url)).code).toBe(0);
    expect(kind.sent(healthy)).toHaveLength(3);
  });

  it("with --dry-run counts unchanged units and writes nothing", async () => {
    const e = await started();
    const { dir, input } = setup(20);
    await run(dir, input, e.url);
    const before = readFileSync(join(dir, "state.db"));
    const dry = await run(dir, input, e.url, ["--dry-run"], {});
    expect(dry.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      unchanged: 20,
      [kind.word]: 0,
      dryRun: true,
    });
    expect(readFileSync(join(dir, "state.db")).equals(before)).toBe(true);
  });

  it("replays a dead-letter file with --state, whatever the order of its records", async () => {
    const failing = await kind.refusing(emulator, 6);
    // Mapping failures (units 1, 3) are written at once, API failures when their answers come:
    // the dead-letter file is not in line order.
    const { dir, input } = setup(6, new Set([1, 3]));
    expect((await run(dir, input, failing.url)).code).toBe(1);
    const deadLetter = join(dir, "dl.ndjson");
    const lines = readNdjson(deadLetter).map((r) => r.line);
    expect([...lines].sort((a, b) => a - b)).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => kind.firstLine + i),
    );
    // Fixed where the kind's mapping can be (profiles: points read as a String); else the two
    // unmapped units fail again, as on the run before.
    write(dir, "m.yaml", kind.fixedMapping ?? kind.mapping);
    const healthy = await started();
    const replay = await run(dir, deadLetter, healthy.url, [
      ...["--dead-letter", join(dir, "replay.dead-letter.ndjson")],
    ]);
    const fixed = kind.fixedMapping === null ? [0, 2, 4, 5] : [0, 1, 2, 3, 4, 5];
    // Exit 0 either way: units failing again as they did on the last run are not news (--strict).
    expect(replay.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 6,
      [kind.word]: fixed.length,
      deadLettered: 6 - fixed.length,
      stillFailing: 6 - fixed.length,
    });
    expect(kind.sent(healthy).sort()).toEqual(users(fixed));
  });

  it("keeps one state file per command: another command's run refuses it", async () => {
    const other = KINDS[(KINDS.indexOf(kind) + 1) % KINDS.length] as KindCase;
    const e = await started();
    const { dir, input } = setup(3);
    expect((await run(dir, input, e.url)).code).toBe(0);
    const state = join(dir, "state.db");
    const theirs = write(dir, other.file, other.rows(3));
    const map = write(dir, "theirs.yaml", other.mapping);
    const refused = await runCli(
      [
        theirs,
        "--map",
        map,
        ...runFlags(dir, e.url, { rate: "1000/s", state: true, name: "theirs" }),
        ...other.confirm,
      ],
      ENV,
      undefined,
      other.program,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `state file ${state} belongs to ${kind.program} (it remembers ${kind.remembers}): give ${other.program} a --state file of its own`,
    );
    expect(e.store.stats().requests).toBe(3);
  });
});

// What profiles keep of a person: hashes, keyed with the state key, never the identifiers.
describe("import-profiles --state", () => {
  const run = stateRun(KINDS[0] as KindCase);
  it("keeps no raw identity values in the state file", async () => {
    const e = await emulator();
    const dir = tempDir();
    write(
      dir,
      "m.yaml",
      "identity:\n  email: email\n  phone_no: { column: phone, transform: [phone] }\nproperties:\n  df_name: name\n",
    );
    const input = write(
      dir,
      "u.csv",
      "email,phone,name\nsecret.person@example.com,010-9876-5432,Kim\n",
    );
    expect((await run(dir, input, e.url)).code).toBe(0);
    for (const file of ["state.db", "state.db-wal"]) {
      if (!existsSync(join(dir, file))) continue;
      const bytes = readFileSync(join(dir, file)).toString("latin1");
      expect(bytes).not.toContain("secret.person");
      expect(bytes).not.toContain("9876");
    }
  });
});
