import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { childEnv } from "./cli/helpers.js";
import { sweepRuns } from "./global-setup.js";

describe("the test run's temporary folder", () => {
  it("is where this test, and a process it starts, make their temporary files", () => {
    expect(basename(tmpdir())).toMatch(/^dfinery-import-tests-\d+-/);
    const child = spawnSync(
      process.execPath,
      ["-e", "process.stdout.write(require('node:os').tmpdir())"],
      { env: childEnv(), encoding: "utf8" },
    );
    expect(child.stdout).toBe(tmpdir());
  });

  it("sweeps the folders of runs whose vitest is gone, and keeps a live run's and others'", () => {
    const base = mkdtempSync(join(tmpdir(), "runs-"));
    for (const name of ["dfinery-import-tests-999999-a", "dfinery-import-tests-4242-b", "notes"])
      mkdirSync(join(base, name));
    mkdirSync(join(base, "dfinery-import-tests-999999-a", "cli-x")); // what a test left in it
    symlinkSync(dirname(base), join(base, "dfinery-import-tests-999998-link"));
    sweepRuns(base, (pid) => pid === 4242);
    expect(readdirSync(base).sort()).toEqual([
      "dfinery-import-tests-4242-b",
      "dfinery-import-tests-999998-link",
      "notes",
    ]);
  });
});
