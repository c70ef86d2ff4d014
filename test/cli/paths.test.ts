import {
  chmodSync,
  copyFileSync,
  linkSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  emulatorPerTest,
  readJson,
  runCli,
  runFlags,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

/** A folder with a mapping and a 5-row CSV, and the flags of a run over it. */
function setup(url: string) {
  const dir = tempDir();
  const map = write(dir, "m.yaml", USERS_MAPPING);
  const input = write(dir, "users.csv", usersCsv(5));
  const argv = [input, "--map", map, ...runFlags(dir, url, { rate: "1000/s", state: true })];
  return { dir, map, input, argv };
}

/** `argv` with `flag`'s value replaced. */
function withFlag(argv: string[], flag: string, value: string): string[] {
  const copy = [...argv];
  copy[copy.indexOf(flag) + 1] = value;
  return copy;
}

describe("import-profiles refuses paths that name one file", () => {
  it("--report equal to --dead-letter: exit 2 before anything is touched", async () => {
    const e = await emulator();
    const { dir, argv } = setup(e.url);
    const failures = write(dir, "dl.ndjson", '{"earlier":"failures"}\n');
    const result = await runCli(withFlag(argv, "--report", failures));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `--dead-letter and --report name the same file (${failures}): give each its own path`,
    );
    expect(readFileSync(failures, "utf8")).toBe('{"earlier":"failures"}\n');
    expect(e.store.stats().requests).toBe(0);
  });

  it("--report that is a link to the input, and --log a hard link of it", async () => {
    const e = await emulator();
    const { dir, input, argv } = setup(e.url);
    const before = readFileSync(input, "utf8");
    const link = join(dir, "report-link.json");
    symlinkSync(input, link);
    const byLink = await runCli(withFlag(argv, "--report", link));
    expect(byLink.code).toBe(2);
    expect(byLink.stderr).toMatch(/the input and --report name the same file/);
    const hard = join(dir, "hard.log");
    linkSync(input, hard);
    const byHardLink = await runCli(withFlag(argv, "--log", hard));
    expect(byHardLink.code).toBe(2);
    expect(byHardLink.stderr).toMatch(/the input and --log name the same file/);
    expect(readFileSync(input, "utf8")).toBe(before);
    expect(e.store.stats().requests).toBe(0);
  });

  it("--state equal to the mapping, and a relative path equal to an absolute one", async () => {
    const e = await emulator();
    const { dir, map, argv } = setup(e.url);
    const mapping = readFileSync(map, "utf8");
    const sameState = await runCli(withFlag(argv, "--state", map));
    expect(sameState.code).toBe(2);
    expect(sameState.stderr).toMatch(/--map and --state name the same file/);
    expect(readFileSync(map, "utf8")).toBe(mapping);
    const relative = join(dir, "sub", "..", "dl.ndjson");
    const sameOutput = await runCli(withFlag(argv, "--log", relative));
    expect(sameOutput.code).toBe(2);
    expect(sameOutput.stderr).toMatch(/--dead-letter and --log name the same file/);
    const token = write(dir, "token", "s3cret-token\n");
    const overToken = await runCli([...withFlag(argv, "--report", token), "--token-file", token]);
    expect(overToken.code).toBe(2);
    expect(overToken.stderr).toMatch(/--token-file and --report name the same file/);
    expect(readFileSync(token, "utf8")).toBe("s3cret-token\n");
  });
});

describe("import-profiles never writes through a link, nor changes a mode it did not set", () => {
  it("refuses --report, --log and --dead-letter that are symbolic links", async () => {
    const e = await emulator();
    const { dir, argv } = setup(e.url);
    const target = write(dir, "precious.txt", "mine\n");
    chmodSync(target, 0o644);
    for (const [flag, what] of [
      ["--report", "--report"],
      ["--log", "--log"],
      ["--dead-letter", "the dead-letter file"],
    ] as const) {
      const link = join(dir, `link${flag}`);
      symlinkSync(target, link);
      const result = await runCli(withFlag(argv, flag, link));
      expect(result.code, flag).toBe(2);
      expect(result.stderr).toContain(
        `${link}: is a symbolic link; ${what} is never written through a link`,
      );
    }
    expect(readFileSync(target, "utf8")).toBe("mine\n");
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(e.store.stats().requests).toBe(0);
  });

  it("--state and status refuse a foreign file or a link without changing its mode", async () => {
    const e = await emulator();
    const { dir, argv } = setup(e.url);
    const foreign = write(dir, "notes.txt", "a file of the user's\n");
    chmodSync(foreign, 0o644);
    const asState = await runCli(withFlag(argv, "--state", foreign));
    expect(asState.code).toBe(2);
    expect(asState.stderr).toMatch(/is not a state file/);
    const status = await runCli(["status", "--state", foreign]);
    expect(status.code).toBe(2);
    const link = join(dir, "state-link.db");
    symlinkSync(foreign, link);
    const viaLink = await runCli(withFlag(argv, "--state", link));
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toContain(`state file ${link} is a symbolic link`);
    expect(statSync(foreign).mode & 0o777).toBe(0o644);
    expect(readFileSync(foreign, "utf8")).toBe("a file of the user's\n");
  });
});

describe("outputs replace or add to a file this tool wrote, and no other", () => {
  it("an export or a state database as --dead-letter, --report or --log: exit 2, nothing written, a dry run too", async () => {
    const e = await emulator();
    const { dir, argv } = setup(e.url);
    const first = await runCli(argv); // makes a state database
    expect(first.code).toBe(0);
    const state = join(dir, "state.db");
    const other = join(dir, "other.db");
    copyFileSync(state, other);
    const database = readFileSync(other);
    const exported = write(dir, "export.csv", "id,email\nu1,a@example.com\n");
    for (const flag of ["--dead-letter", "--report", "--log"]) {
      for (const [victim, before] of [
        [other, database],
        [exported, readFileSync(exported)],
      ] as const) {
        for (const dry of [[], ["--dry-run"]]) {
          const out = tempDir(); // the other outputs: none may be created
          const own = runFlags(out, e.url, { rate: "1000/s" }).slice(6); // dead letter, report, log
          const result = await runCli(
            withFlag([...argv.slice(0, 3), ...own, ...dry], flag, victim),
          );
          expect(result.code, `${flag} ${victim} ${dry}`).toBe(2);
          expect(result.stderr).toContain(`${victim}: is not a `);
          expect(result.stderr).toContain("this tool wrote");
          expect(readFileSync(victim).equals(before)).toBe(true);
          expect(readdirSync(out)).toEqual([]);
        }
      }
    }
    expect(e.store.stats().requests).toBe(5); // the first run's
  });

  it("takes its own dead letters, report and log again, and an empty file", async () => {
    const e = await emulator();
    const { dir, input, argv } = setup(e.url);
    writeFileSync(input, usersCsv(5, new Set([3])));
    expect((await runCli(argv)).code).toBe(1);
    const again = await runCli([...argv, "--full"]);
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0); // its one failure is still failing, as on the first run
    expect(readFileSync(join(dir, "dl.ndjson"), "utf8").split("\n")).toHaveLength(2);
    expect(readFileSync(join(dir, "report.json"), "utf8")).toMatch(/^\{\n {2}"rows": 5,/);
    const empty = write(dir, "empty.json", ""); // made by mktemp, say
    expect((await runCli(withFlag(argv, "--report", empty))).code).toBe(0);
    expect(readJson(empty)).toMatchObject({ rows: 5 });
  });
});

describe("import-profiles keeps the previous dead-letter file until it reads a row", () => {
  it("a run that fails on the header leaves the earlier failures as they were", async () => {
    const e = await emulator();
    const { dir, input, argv } = setup(e.url);
    writeFileSync(input, "id,mail,points\nu1,a@example.com,1\n"); // no email column
    const earlier = '{"line":7,"row":{"earlier":"failures"}}\n';
    const failures = write(dir, "dl.ndjson", earlier);
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/email/);
    expect(readFileSync(failures, "utf8")).toBe(earlier);
  });
});

describe("import-profiles --log", () => {
  it("a log path that is a folder or in a missing folder: exit 2 before the run", async () => {
    const e = await emulator();
    const { dir, argv } = setup(e.url);
    const folder = await runCli(withFlag(argv, "--log", dir));
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`${dir}: is a folder; --log needs a file name`);
    const missing = join(dir, "no-such-folder", "run.log");
    const denied = await runCli(withFlag(argv, "--log", missing));
    expect(denied.code).toBe(2);
    expect(denied.stderr).toContain(`cannot write the log file ${missing} (ENOENT)`);
    expect(e.store.stats().requests).toBe(0);
  });
});
