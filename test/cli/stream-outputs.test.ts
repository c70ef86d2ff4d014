import { spawn } from "node:child_process";
import { existsSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import {
  BUILT_CLI,
  childEnv,
  emulatorPerTest,
  runCli,
  runFlags,
  TOKEN,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

/** A folder with a mapping and a 5-row CSV, and the flags of a run over it with `--log`/`--report` as given. */
function setup(url: string, outputs: { log: string; report: string }) {
  const dir = tempDir();
  const map = write(dir, "m.yaml", USERS_MAPPING);
  const input = write(dir, "users.csv", usersCsv(5));
  const flags = runFlags(dir, url, { rate: "1000/s" });
  flags[flags.indexOf("--log") + 1] = outputs.log;
  flags[flags.indexOf("--report") + 1] = outputs.report;
  return { dir, argv: [input, "--map", map, ...flags] };
}

describe("--log and --report to a device or a pipe", () => {
  it("--log /dev/null and --report through a link to /dev/null: the run goes, no file is made", async () => {
    const e = await emulator();
    const dir = tempDir();
    const link = join(dir, "report-to-null");
    symlinkSync("/dev/null", link);
    const { argv } = setup(e.url, { log: "/dev/null", report: link });
    const result = await runCli(argv);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(e.store.count()).toBe(5);
    expect(existsSync(join(dir, "report-to-null.tmp"))).toBe(false);
  });

  it("--report /dev/stdout writes the report on the importer's stdout, a pipe", async () => {
    const e = await emulator();
    const { dir, argv } = setup(e.url, { log: "/dev/null", report: "/dev/stdout" });
    // `importer … | cat`: stdout a real pipe, as a shell makes it (node's own stdio is a socket).
    const shell = spawn("sh", ["-c", '"$@" | cat', "sh", process.execPath, BUILT_CLI, ...argv], {
      cwd: dir,
      env: childEnv({ DFINERY_ACCESS_TOKEN: TOKEN }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const [out, err, code] = await Promise.all([
      text(shell.stdout),
      text(shell.stderr),
      new Promise((r) => shell.on("exit", r)),
    ]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const json = out.slice(out.indexOf("{"), out.lastIndexOf("}") + 1);
    expect(JSON.parse(json)).toMatchObject({ rows: 5, accepted: 5, deadLettered: 0 });
    expect(out).toContain("5 accepted"); // and the summary after it
  });
});
