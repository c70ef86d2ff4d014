import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Bin, parseCommandLine } from "../../src/cli/args.js";
import { COMMANDS } from "../../src/cli/commands.js";
import { checkFlags } from "../../src/cli/flag-checks.js";
import { FLAGS, type FlagName, flagText } from "../../src/cli/flags.js";
import { ROOT, runCli, tempDir, USERS_MAPPING, usersCsv, write } from "./helpers.js";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const declared = COMMANDS;

/** The `--flag` names a help text lists. */
const listed = (help: string) =>
  new Set([...help.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]));

describe("each command's --help", () => {
  it.each(declared.map((c) => c.name))(
    "%s: its usage, only its own flags, and examples",
    async (name) => {
      const command = COMMANDS.find((c) => c.name === name);
      const { code, stdout } = await runCli([name, "--help"], {}, undefined, "dfinery-import");
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: dfinery-import ${name} `));
      expect(listed(stdout)).toEqual(new Set([...(command?.flags ?? []), "help", "version"]));
      expect(command?.examples.length).toBeGreaterThan(0);
      for (const example of command?.examples ?? []) expect(stdout).toContain(example.command);
    },
  );

  it("lists --keep-events for events only (import-profiles rejects it, and now does not list it)", async () => {
    const profiles = await runCli(["--help"], {}, undefined, "import-profiles");
    const events = await runCli(["--help"], {}, undefined, "import-events");
    expect(listed(profiles.stdout).has("keep-events")).toBe(false);
    expect(listed(events.stdout).has("keep-events")).toBe(true);
    expect(listed(events.stdout).has("batch-wait")).toBe(true);
  });

  it("import-profiles status --help prints the status help, not the import's", async () => {
    const { code, stdout } = await runCli(["status", "--help"], {}, undefined, "import-profiles");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: dfinery-import status --state FILE\n +import-profiles status/);
    expect(listed(stdout)).toEqual(new Set(["state", "help", "version"]));
  });

  it("dfinery-import alone lists every command", async () => {
    const { code, stdout } = await runCli([], {}, undefined, "dfinery-import");
    expect(code).toBe(0);
    for (const command of COMMANDS)
      expect(stdout).toMatch(new RegExp(`^ {2}${command.name} +\\S`, "m"));
  });
});

describe("--version", () => {
  it("prints package.json's version, from the binary and from a shorthand", async () => {
    for (const [argv, bin] of [
      [["--version"], "dfinery-import"],
      [["-V"], "dfinery-import"],
      [["--version"], "import-events"],
      [["profiles", "--version"], "dfinery-import"],
    ] as const) {
      const { code, stdout } = await runCli(argv, {}, undefined, bin);
      expect(code).toBe(0);
      expect(stdout).toBe(`${pkg.version}\n`);
    }
  });

  it("is what the built binary prints (npm test builds first)", () => {
    const bin = join(ROOT, pkg.bin["dfinery-import"]);
    expect(execFileSync(process.execPath, [bin, "--version"], { encoding: "utf8" })).toBe(
      `${pkg.version}\n`,
    );
  });
});

describe("the shorthands are the commands", () => {
  const cases: [Bin, string, string[]][] = [
    [
      "import-profiles",
      "profiles",
      ["users.csv", "--map", "m.yaml", "--rate", "5/s", "--state", "s.db", "--resume"],
    ],
    [
      "import-events",
      "events",
      [
        "o.ndjson",
        "--map",
        "e.yaml",
        "--batch-wait",
        "1s",
        "--keep-events",
        "9d",
        "--state",
        "s.db",
      ],
    ],
    ["import-profiles", "init", ["init", "users.csv", "--out", "x.yaml", "--force"]],
    ["import-events", "status", ["status", "--state", "s.db"]],
    ["dfinery-emulator", "emulator", ["--port", "0", "--limit", "none"]],
  ];
  it.each(cases)("%s reads as dfinery-import %s", (bin, name, argv) => {
    const asCommand = argv[0] === name ? argv : [name, ...argv];
    expect(parseCommandLine(argv, {}, bin)).toEqual(
      parseCommandLine(asCommand, {}, "dfinery-import"),
    );
  });

  it("import-profiles X and dfinery-import profiles X run alike: same exit, same output", async () => {
    const dir = tempDir();
    const input = write(dir, "users.csv", usersCsv(3, new Set([1])));
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const argv = [input, "--map", map, "--dry-run", "--sample", "2", "--quiet"];
    const dl = ["--dead-letter", join(dir, "dl.ndjson")];
    const shorthand = await runCli([...argv, ...dl], {}, undefined, "import-profiles");
    const command = await runCli(["profiles", ...argv, ...dl], {}, undefined, "dfinery-import");
    // The same but for the clock: the payloads' request_datetime and the run's duration.
    const timeless = (r: typeof command) => ({
      ...r,
      stdout: r.stdout.replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, "T").replace(/in [\d.]+ m?s/, "in …"),
    });
    expect(shorthand.code).toBe(1);
    expect(shorthand.stdout).toContain('"external_id":"u2"');
    expect(timeless(command)).toEqual(timeless(shorthand));
  });
});

describe("the checks between flags come from the table", () => {
  const needing = declared.flatMap((command) =>
    command.flags
      .filter((name) => flagText(name, command.name).needs !== undefined)
      .map((name) => [command.name, name] as const),
  );

  it.each(needing)("%s: --%s needs the flag it names", (command, name) => {
    const needs = flagText(name, command).needs as FlagName;
    const flag = FLAGS[name] as { value?: string };
    const argv = [command, "in.csv", `--${name}`, ...(flag.value === undefined ? [] : ["90d"])];
    expect(() => parseCommandLine(argv, {})).toThrow(`--${name} needs --${needs}`);
  });

  it("a flag of another command says which takes it; a typo gets a suggestion", async () => {
    const other = await runCli(["users.csv", "--batch-wait", "1s"], {});
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(
      "import-profiles: profiles takes no --batch-wait; events does\nTry import-profiles --help.\n",
    );
    const typo = await runCli(
      ["profiles", "users.csv", "--max-wiat", "1m"],
      {},
      undefined,
      "dfinery-import",
    );
    expect(typo.stderr).toContain("unknown flag --max-wiat; did you mean --max-wait?");
    expect(typo.stderr).toContain("Try dfinery-import profiles --help.");
  });

  it("a required switch is named without a value (as delete's --yes will be)", () => {
    const status = COMMANDS.find((c) => c.name === "status");
    if (status === undefined) throw new Error("no status command");
    const wipe = { ...status, name: "wipe", required: ["force"], flags: ["force"] } as const;
    expect(() => checkFlags(wipe, {}, [])).toThrow(/^wipe needs --force$/);
    expect(() => checkFlags(wipe, { force: true }, [])).not.toThrow();
  });

  it("status needs --state, and an unknown command is named", async () => {
    expect((await runCli(["status"], {})).stderr).toContain("status needs --state FILE");
    const unknown = await runCli(["profile", "x.csv"], {}, undefined, "dfinery-import");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no command "profile"; the commands are profiles, events');
  });
});

describe("messages name the command as it was typed", () => {
  it.each([
    ["dfinery-import profiles", "dfinery-import", ["profiles"]],
    ["import-profiles", "import-profiles", []],
    ["dfinery-import events", "dfinery-import", ["events"]],
  ] as const)("%s: its errors and its --help hint", async (name, bin, words) => {
    const dir = tempDir();
    const input = write(dir, "users.csv", usersCsv(1));
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const result = await runCli([...words, input, "--map", map], {}, undefined, bin);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^${name}: no service id`));
    expect(result.stderr).toContain(`\nTry ${name} --help.\n`);
  });
});

describe("the defaults in --help read cleanly", () => {
  it.each(declared.map((c) => c.name))(
    "%s: no default with parentheses inside, none after a colon",
    async (name) => {
      const { stdout } = await runCli([name, "--help"], {}, undefined, "dfinery-import");
      const text = stdout.replace(/\s+/g, " ");
      expect(text).not.toMatch(/\(default[^()]*\(/);
      expect(text).not.toContain("(default:");
    },
  );

  it("says what the profiles' defaults are", async () => {
    const { stdout } = await runCli(["profiles", "--help"], {}, undefined, "dfinery-import");
    const text = stdout.replace(/\s+/g, " ");
    for (const shown of ["utf8; a BOM wins", ",; tab for .tsv", "0, off", "10m"]) {
      expect(text).toContain(`(default ${shown})`);
    }
  });
});
