/** Which command lines start reading the state file's known rows as the process starts. */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { earlyStatePath } from "../../src/cli/early-state.js";

describe("the state file a command line will read known rows of, guessed from its words", () => {
  it("names it for a run of profiles, identities or delete with --state", () => {
    expect(earlyStatePath("import-profiles", ["u.csv", "--map", "m.yaml", "--state", "s.db"])).toBe(
      resolve("s.db"),
    );
    expect(earlyStatePath("import-profiles", ["u.csv", "--state=/x/s.db"])).toBe("/x/s.db");
    for (const command of ["profiles", "identities", "delete"]) {
      expect(earlyStatePath("dfinery-import", [command, "u.csv", "--state", "/s.db"])).toBe(
        "/s.db",
      );
    }
  });

  it("names none where no run would take its rows under the lock", () => {
    const none: [Parameters<typeof earlyStatePath>[0], string[]][] = [
      ["import-profiles", ["u.csv", "--map", "m.yaml"]], // no state file
      ["import-profiles", ["u.csv", "--state", "s.db", "--dry-run"]], // takes no lock
      ["import-profiles", ["status", "--state", "s.db"]],
      ["import-profiles", ["init", "u.csv", "--state", "s.db"]],
      ["import-profiles", ["u.csv", "--state", "s.db", "--help"]],
      ["import-profiles", ["u.csv", "--state"]], // no value: the parser's error to tell
      ["import-profiles", ["u.csv", "--state", "--map", "m.yaml"]],
      ["import-profiles", ["u.csv", "--state-key", "k", "--map", "m.yaml"]],
      ["import-profiles", ["u.csv", "--", "--state", "s.db"]],
      ["dfinery-import", ["events", "e.ndjson", "--state", "s.db"]], // events know no rows
      ["dfinery-import", ["--state", "s.db"]],
      ["import-events", ["e.ndjson", "--state", "s.db"]],
    ];
    for (const [bin, argv] of none)
      expect(earlyStatePath(bin, argv), argv.join(" ")).toBeUndefined();
  });
});
