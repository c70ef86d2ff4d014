import { openSync, readFileSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  emulatorPerTest,
  runCli,
  runFlags,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

async function setup() {
  const e = await emulator();
  const dir = tempDir();
  const input = write(dir, "users.csv", usersCsv(300));
  const map = write(dir, "m.yaml", USERS_MAPPING);
  const argv = [input, "--map", map, ...runFlags(dir, e.url, { rate: "10000/s", state: true })];
  return { e, dir, argv, state: join(dir, "state.db") };
}

describe("a state file another program holds or that is damaged", () => {
  it("locked by another SQLite client: exit 2, named, no stack trace", async () => {
    const { argv, state } = await setup();
    expect((await runCli(argv)).code).toBe(0);
    const other = new Database(state);
    other.exec("BEGIN EXCLUSIVE");
    other.prepare("SELECT count(*) FROM runs").get();
    try {
      const result = await runCli(argv);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`state file ${state} is locked by another program`);
      expect(result.stderr).not.toMatch(/internal error/);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
  });

  it("damaged in its data pages: exit 2, named, no stack trace", async () => {
    const { argv, state } = await setup();
    expect((await runCli(argv)).code).toBe(0);
    const pageSize = readFileSync(state).readUInt16BE(16);
    const fd = openSync(state, "r+");
    const garbage = Buffer.alloc(statSync(state).size - pageSize, 0xa5);
    writeSync(fd, garbage, 0, garbage.length, pageSize); // every page but the first
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`state file ${state} is damaged`);
    expect(result.stderr).not.toMatch(/internal error/);
  });
});

describe("a state file belongs to the command, not to how it was typed", () => {
  const typed = [
    ["import-profiles", "dfinery-import profiles"],
    ["dfinery-import profiles", "import-profiles"],
  ] as const;
  /** Runs the profiles command typed as `as`: the shorthand, or the binary and its command. */
  const run = (argv: readonly string[], as: (typeof typed)[number][number]) =>
    as === "import-profiles"
      ? runCli(argv)
      : runCli(["profiles", ...argv], undefined, undefined, "dfinery-import");
  it.each(typed)(
    "written as %s, it opens as %s: nothing sent again",
    async (first, second) => {
      const { e, argv: flags, state } = await setup();
      expect((await run(flags, first)).code).toBe(0);
      expect(e.store.stats().requests).toBe(300);
      const again = await run(flags, second);
      expect(again.stderr).toBe("");
      expect(again.code).toBe(0);
      expect(e.store.stats().requests).toBe(300);
      const db = new Database(state, { readonly: true });
      try {
        const owner = db.prepare("SELECT value FROM meta WHERE name = 'command'").pluck().get();
        expect(owner).toBe("import-profiles");
      } finally {
        db.close();
      }
    },
    20_000,
  );
});

describe("a state file keeps no personal data in clear", () => {
  it("the failing examples of the report it stores are shapes, not the values", async () => {
    const e = await emulator();
    const dir = tempDir();
    const csv = [
      "id,email,mobile,points",
      "u1,lee@@example.com,010-1234-5678,1",
      "u2,kim@example.com,010-12-34,2",
      "u3,park@example.com,010-5555-6666,3",
    ];
    const input = write(dir, "users.csv", `${csv.join("\n")}\n`);
    const map = write(
      dir,
      "m.yaml",
      `${USERS_MAPPING}  phone_no: { column: mobile, transform: [phone] }\n`,
    );
    const argv = [input, "--map", map, ...runFlags(dir, e.url, { rate: "1000/s", state: true })];
    const result = await runCli(argv);
    expect(result.code).toBe(1);
    // The run's own report and summary show the values: they are the user's outputs.
    expect(result.stdout).toContain('"lee@@example.com"');
    const state = readFileSync(join(dir, "state.db"));
    for (const value of ["lee@@example.com", "kim@example.com", "010-12-34", "0101234"]) {
      expect(state.includes(value), value).toBe(false);
    }
    const db = new Database(join(dir, "state.db"), { readonly: true });
    try {
      const stored = JSON.parse(db.prepare("SELECT report FROM runs").pluck().get() as string);
      expect(stored.failingColumns.map((f: { example: unknown }) => f.example).sort()).toEqual([
        "999-99-99",
        "aaa@@aaaaaaa.aaa",
      ]);
    } finally {
      db.close();
    }
  });
});
