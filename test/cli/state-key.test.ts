import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { identityHash } from "../../src/state/hash.js";
import { sha256 } from "../../src/util/hash.js";
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

/** The state file and its WAL as text, as someone who copied them would read them. */
const stateBytes = (dir: string) =>
  ["state.db", "state.db-wal"]
    .map((f) => {
      try {
        return readFileSync(join(dir, f)).toString("latin1");
      } catch {
        return "";
      }
    })
    .join("");

describe("import-profiles --state-key", () => {
  it("keys the state file's hashes with <state>.key (0600): the file alone confirms no guess", async () => {
    const e = await emulator();
    const dir = tempDir();
    const input = write(dir, "users.csv", usersCsv(3));
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const argv = [input, "--map", map, ...runFlags(dir, e.url, { rate: "1000/s", state: true })];
    expect((await runCli(argv)).code).toBe(0);
    const keyFile = join(dir, "state.db.key");
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = Buffer.from(readFileSync(keyFile, "utf8").trim(), "base64url");
    const identity = { external_id: "u0", email: "user0@example.com" };
    const unkeyed = sha256(JSON.stringify(["email", identity.email, "external_id", "u0"]));
    const bytes = stateBytes(dir);
    expect(bytes).not.toContain(unkeyed); // what version 1 stored, found by hashing guesses
    expect(bytes).toContain(identityHash(identity, key));
    expect((await runCli(argv)).stdout).toMatch(/3 unchanged/);
  });

  it("refuses another key with a clear message; --full starts the memory over with it", async () => {
    const e = await emulator();
    const dir = tempDir();
    const input = write(dir, "users.csv", usersCsv(3));
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const argv = [input, "--map", map, ...runFlags(dir, e.url, { rate: "1000/s", state: true })];
    expect((await runCli(argv)).code).toBe(0);
    const other = [...argv, "--state-key", join(dir, "other.key")];
    const refused = await runCli(other);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("was written with another state key");
    expect(e.store.stats().requests).toBe(3);
    const full = await runCli([...other, "--full"]);
    expect(full.code).toBe(0);
    expect(e.store.stats().requests).toBe(6);
    expect((await runCli(other)).stdout).toMatch(/3 unchanged/);
  });
});
