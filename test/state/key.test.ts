import { readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { identityHash } from "../../src/state/hash.js";
import { loadStateKey } from "../../src/state/key.js";
import { StateStore } from "../../src/state/store.js";
import { sha256 } from "../../src/util/hash.js";
import { accepted, BEFORE_ROW_KEYS, openLocked, request, statePath, tempDir } from "./helpers.js";

describe("the state key", () => {
  it("is created once, 0600, 32 random bytes as one base64url line, and read back the same", () => {
    const path = join(tempDir(), "state.db.key");
    const first = loadStateKey(path);
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, "utf8")).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    const again = loadStateKey(path);
    expect(again).toEqual({ key: first.key, created: false });
    expect(loadStateKey(join(tempDir(), "other.key")).key.equals(first.key)).toBe(false);
  });

  it("refuses a file that is not a key, and never creates one through a link", () => {
    const dir = tempDir();
    const notKey = join(dir, "notes.txt");
    writeFileSync(notKey, "hello world\n");
    expect(() => loadStateKey(notKey)).toThrow(`state key ${notKey} is not a state key file`);
    const link = join(dir, "dangling.key");
    symlinkSync(join(dir, "target"), link);
    expect(() => loadStateKey(link)).toThrow(`state key ${link} cannot be created (EEXIST)`);
  });

  it("keys identity hashes: a phone number is not found by hashing guesses without the key", () => {
    const identity = { phone_no: "+821012345678" };
    const a = Buffer.alloc(32, 1);
    const unkeyed = sha256(JSON.stringify(["phone_no", "+821012345678"])); // the old key
    expect(identityHash(identity, a)).not.toBe(unkeyed);
    expect(identityHash(identity, a)).not.toBe(identityHash(identity, Buffer.alloc(32, 2)));
    expect(identityHash(identity, a)).toBe(identityHash({ ...identity }, a));
  });
});

describe("StateStore.bindKey", () => {
  const A = Buffer.alloc(32, 1);
  const B = Buffer.alloc(32, 2);

  function withOneHash(path: string): void {
    const store = openLocked(path);
    const run = store.beginRun(request());
    run.noteRead(2);
    run.complete(2, accepted("k", "h"));
    store.finishRun(run.runId, { report: {}, exitCode: 0 });
    store.close();
  }

  it("binds a new file, accepts its key again, refuses another key unless --full", () => {
    const path = statePath();
    const store = StateStore.open(path);
    expect(store.bindKey(A, { rekey: false, readOnly: false })).toBe("new");
    store.close();
    withOneHash(path);
    const again = StateStore.open(path);
    expect(again.bindKey(A, { rekey: false, readOnly: false })).toBe("same");
    expect(again.identityCount()).toBe(1);
    expect(() => again.bindKey(B, { rekey: false, readOnly: false })).toThrow(
      `state file ${path} was written with another state key: pass the --state-key it was written with, or --full to start its memory over with this key`,
    );
    expect(again.bindKey(B, { rekey: true, readOnly: false })).toBe("cleared");
    expect(again.identityCount()).toBe(0);
    expect(again.bindKey(B, { rekey: false, readOnly: false })).toBe("same");
    again.close();
  });

  it("migrates a state file of version 1 (unkeyed hashes): keeps its runs, drops its hashes", () => {
    const path = statePath();
    withOneHash(path);
    // What version 1 left: no failures or meta table, user_version 1, unkeyed hashes.
    const db = new Database(path);
    db.exec(BEFORE_ROW_KEYS);
    db.exec("DROP TABLE meta; DROP TABLE failures; DROP TABLE events; DROP TABLE files");
    db.exec("ALTER TABLE runs DROP COLUMN filtered");
    db.pragma("user_version = 1");
    db.close();
    const dry = StateStore.open(path);
    expect(dry.bindKey(A, { rekey: false, readOnly: true })).toBe("unkeyed");
    expect(dry.identityCount()).toBe(1); // a dry run writes nothing
    expect(dry.bindKey(A, { rekey: false, readOnly: false })).toBe("cleared");
    expect(dry.identityCount()).toBe(0);
    expect(dry.history()).toHaveLength(1);
    dry.close();
  });
});
