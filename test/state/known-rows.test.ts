import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { IdentityTable } from "../../src/state/identities.js";
import { KnownRows } from "../../src/state/known-rows.js";
import { StateStore } from "../../src/state/store.js";
import { statePath } from "./helpers.js";

const rawKey = () => randomBytes(17).toString("base64url").slice(0, 22);
const idKey = () => randomBytes(32).toString("base64url");

/** A state file of `n` identities, each with the key of a row known as read but every tenth. */
function stateFile(n: number) {
  const path = statePath();
  StateStore.open(path).close();
  const db = new Database(path);
  const writer = new IdentityTable(db);
  const known = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const key = idKey();
    const raw = i % 10 === 0 ? null : rawKey();
    writer.upsert(key, `hash-${i}`, raw);
    if (raw !== null) known.set(raw, key);
  }
  return { db, known };
}

describe("rows known as read, held in memory", () => {
  it("answers as the index does, in memory and past the memory bound", () => {
    const { db, known } = stateFile(2000);
    const inMemory = new IdentityTable(db);
    const pastBound = new IdentityTable(db, known.size - 1);
    const atBound = new IdentityTable(db, known.size);
    const [first] = known.keys();
    // Unknown keys: random, and one differing from a known key only in its last character (the
    // slot is found by the first 30 bits; the whole key decides).
    const last = (first as string).at(-1) === "A" ? "B" : "A";
    const unknown = [rawKey(), rawKey(), `${(first as string).slice(0, 21)}${last}`, "short"];
    for (const raw of [...known.keys(), ...unknown]) {
      const expected = known.get(raw);
      expect(inMemory.heldBy(raw)).toBe(expected);
      expect(atBound.heldBy(raw)).toBe(expected);
      expect(pastBound.heldBy(raw)).toBe(expected);
    }
  });

  it("never answers from memory for an identity whose hash was written since", () => {
    const { db, known } = stateFile(50);
    const table = new IdentityTable(db);
    const entries = [...known.entries()];
    const [raw, key] = entries[0] as [string, string];
    const [otherRaw, otherKey] = entries[1] as [string, string];
    expect(table.heldBy(raw)).toBe(key); // read into memory
    // A row of unknown key changed the identity's hash: the known row no longer maps to it.
    table.upsert(key, "a new hash", null);
    expect(table.heldBy(raw)).toBeUndefined();
    // Written again with the same row key beside its new hash: known again, from the file.
    table.upsert(key, "a newer hash", raw);
    expect(table.heldBy(raw)).toBe(key);
    // A key written during the run is not in memory: unknown, so its row is mapped and diffed.
    const newRaw = rawKey();
    table.upsert(otherKey, "changed", newRaw);
    expect(table.heldBy(otherRaw)).toBeUndefined();
    expect(new IdentityTable(db).heldBy(newRaw)).toBe(otherKey);
  });

  it("is not read from a file with a key of another length: every row is then looked up", () => {
    // 21 and 23 characters: together the length of two keys of 22, so only the separators tell.
    const { db, known } = stateFile(30);
    const short = rawKey().slice(0, 21);
    const long = `${rawKey()}x`;
    const [first, second] = [idKey(), idKey()];
    const writer = new IdentityTable(db);
    writer.upsert(first, "hash-a", short);
    writer.upsert(second, "hash-b", long);
    expect(KnownRows.load(db, 1_000)).toBeUndefined();
    const table = new IdentityTable(db);
    for (const [raw, key] of [...known, [short, first], [long, second]])
      expect(table.heldBy(raw as string)).toBe(key);
  });

  it("reads the known rows again once the identities are replaced", () => {
    const { db, known } = stateFile(20);
    const table = new IdentityTable(db);
    const raw = [...known.keys()][0] as string;
    expect(table.heldBy(raw)).toBe(known.get(raw));
    db.exec("DELETE FROM identities");
    table.forgetKnown();
    expect(table.heldBy(raw)).toBeUndefined();
  });
});
