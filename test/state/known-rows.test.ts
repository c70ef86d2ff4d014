import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { IdentityTable } from "../../src/state/identities.js";
import { KnownRows } from "../../src/state/known-rows.js";
import { rowDigestOfText, rowKeyOfText } from "../../src/state/row-key.js";
import { StateStore } from "../../src/state/store.js";
import { idKey, knownRowsFile, rawKey, statePath } from "./helpers.js";

/** A state file of `n` identities, each with the key of a row known as read but every tenth. */
const stateFile = (n: number) => knownRowsFile(n, 10);

describe("rows known as read, held in memory", () => {
  it("answers as the index does, in memory and past the memory bound", () => {
    const { db, known } = stateFile(2000);
    const inMemory = new IdentityTable(db);
    const pastBound = new IdentityTable(db, known.size - 1);
    const atBound = new IdentityTable(db, known.size);
    const [first] = known.keys();
    // Unknown keys: random, and one differing from a known key only in its 20th character, the
    // last of the 120 bits held (the slot is found by the first 30 bits; all 120 decide).
    const at19 = (first as string)[19] === "A" ? "B" : "A";
    const near = `${(first as string).slice(0, 19)}${at19}${(first as string).slice(20)}`;
    const unknown = [rawKey(), rawKey(), near, "short", "not-base64url-at-all.."];
    for (const raw of [...known.keys(), ...unknown]) {
      const expected = known.get(raw);
      expect(inMemory.known(raw)).toBe(expected === undefined ? "unknown" : "known");
      expect(atBound.known(raw)).toBe(expected === undefined ? "unknown" : "known");
      expect(pastBound.known(raw)).toBe("touched"); // one lookup a row
      expect(pastBound.heldBy(raw)).toBe(expected);
      expect(inMemory.heldBy(raw)).toBe(expected);
    }
  });

  it("never answers from memory for an identity touched or written since", () => {
    const { db, known } = stateFile(50);
    const table = new IdentityTable(db);
    const entries = [...known.entries()];
    const [raw, key] = entries[0] as [string, string];
    const [otherRaw, otherKey] = entries[1] as [string, string];
    const [touchedRaw, touchedKey] = entries[2] as [string, string];
    expect(table.known(raw)).toBe("known"); // read into memory
    // A row of unknown key changed the identity's hash: the known row no longer maps to it.
    table.upsert(key, "a new hash", null);
    expect(table.known(raw)).toBe("touched");
    expect(table.heldBy(raw)).toBeUndefined();
    // Written again with the same row key beside its new hash: in the identity's own row (the
    // known rows are held), which the next run's scan reads, not in the index: asked of the file
    // now, it is not found, and the row is mapped and diffed as a row of unknown key.
    table.upsert(key, "a newer hash", raw);
    expect(table.known(raw)).toBe("touched");
    expect(table.heldBy(raw)).toBeUndefined();
    expect(new IdentityTable(db).known(raw)).toBe("known");
    // A unit of an identity took its turn: its row is asked of the file, the others' are not.
    table.touch(touchedKey);
    expect(table.known(touchedRaw)).toBe("touched");
    expect(table.heldBy(touchedRaw)).toBe(touchedKey);
    for (const [other] of entries.slice(3)) expect(table.known(other)).toBe("known");
    // A key written during the run is not in memory: unknown, so its row is mapped and diffed.
    const newRaw = rawKey();
    table.upsert(otherKey, "changed", newRaw);
    expect(table.known(otherRaw)).toBe("touched");
    expect(table.heldBy(otherRaw)).toBeUndefined();
    expect(table.known(newRaw)).toBe("unknown");
    expect(new IdentityTable(db).known(newRaw)).toBe("known");
  });

  it("writes row keys in the index past the memory bound, and never answers from a stale one", () => {
    const { db, known } = stateFile(20);
    const [[oldRaw, key], [clearedRaw, clearedKey]] = [...known.entries()] as [
      [string, string],
      [string, string],
    ];
    const night = new IdentityTable(db);
    expect(night.known(oldRaw)).toBe("known"); // held: row keys written in the identities' rows
    const newRaw = rawKey();
    night.upsert(key, "hash-new", newRaw);
    night.upsert(clearedKey, "hash-cleared", null); // a row of unknown key: none known now
    const index = db.prepare<[string], string | null>("SELECT raw FROM identities WHERE key = ?");
    expect(index.pluck().get(key)).toBe(oldRaw); // stale in the index, which no one asks
    const past = new IdentityTable(db, 5); // past the bound: each row asked of the index
    expect(past.known(oldRaw)).toBe("touched");
    expect(past.heldBy(oldRaw)).toBeUndefined();
    expect(past.heldBy(clearedRaw)).toBeUndefined();
    expect(past.heldBy(newRaw)).toBeUndefined(); // in the row alone: mapped, diffed, noted
    past.noteRaw(newRaw, key, "hash-new");
    expect(past.heldBy(newRaw)).toBe(key);
    expect(index.pluck().get(key)).toBe(newRaw);
    past.upsert(clearedKey, "hash-again", clearedRaw); // past the bound: in the index
    expect(past.heldBy(clearedRaw)).toBe(clearedKey);
    const next = new IdentityTable(db);
    for (const [raw, expected] of [
      [oldRaw, "unknown"],
      [newRaw, "known"],
      [clearedRaw, "known"],
      ...[...known.keys()].slice(2).map((raw) => [raw, "known"]),
    ]) {
      expect(next.known(raw as string)).toBe(expected);
    }
  });

  it("finds a touched identity's row when its key as read changed in the file since", () => {
    const { db, known } = stateFile(10);
    const [[first, firstKey], [second, secondKey]] = [...known.entries()] as [
      [string, string],
      [string, string],
    ];
    const early = new IdentityTable(db);
    early.touch(firstKey); // touched before the known rows are read: applied when they are
    expect(early.known(first)).toBe("touched");
    expect(early.known(second)).toBe("known");
    // A row of unknown key found to map to the hash the identity holds: its key is noted, and
    // the row the file knew when the run began is asked of the file from now on.
    early.noteRaw(rawKey(), secondKey, early.get(secondKey) as string);
    expect(early.known(second)).toBe("touched");
    expect(early.heldBy(second)).toBeUndefined();
    early.touch(secondKey); // its raw is no longer the known one: nothing else touched
    for (const [raw] of [...known].slice(2)) expect(early.known(raw)).toBe("known");
  });

  it("is not read from a file with a key of another length or alphabet: every row is looked up", () => {
    for (const odd of [
      // 21 and 23 characters: together the length of two keys of 22, so only the separators tell.
      [rawKey().slice(0, 21), `${rawKey()}x`],
      ["row-alice-points-1....", rawKey()],
      // 22 characters, the last not base64url: past the 120 bits a slot keeps, still checked.
      [`${rawKey().slice(0, 21)}*`, rawKey()],
    ]) {
      const { db, known } = stateFile(30);
      const [first, second] = [idKey(), idKey()];
      const writer = new IdentityTable(db);
      writer.upsert(first, "hash-a", odd[0] as string);
      writer.upsert(second, "hash-b", odd[1] as string);
      expect(KnownRows.load(db, 1_000)).toBeUndefined();
      const table = new IdentityTable(db);
      for (const [raw, key] of [...known, [odd[0], first], [odd[1], second]]) {
        expect(table.known(raw as string)).toBe("touched");
        expect(table.heldBy(raw as string)).toBe(key);
      }
    }
  });

  it("reads the known rows again once the identities are replaced", () => {
    const { db, known } = stateFile(20);
    const table = new IdentityTable(db);
    const raw = [...known.keys()][0] as string;
    expect(table.known(raw)).toBe("known");
    db.exec("DELETE FROM identities");
    table.forgetKnown();
    expect(table.known(raw)).toBe("unknown");
  });

  it("marks touched exactly the rows touched, slot by slot, up to the table's last slot", () => {
    for (const n of [3, 40, 2000]) {
      const { db, known } = stateFile(n);
      const rows = KnownRows.load(db, 10_000) as KnownRows;
      const all = [...known.keys()];
      const touched = new Set(all.filter((_, i) => i % 3 === 1));
      for (const raw of touched) rows.touch(raw);
      rows.touch(rawKey()); // unknown: marks nothing
      const slots = new Set<number>();
      for (const raw of all) {
        const slot = rows.slotOf(raw);
        slots.add(slot);
        expect(rows.known(raw)).toBe(touched.has(raw) ? "touched" : "known");
        expect(rows.knownAt(slot)).toBe(!touched.has(raw));
      }
      expect(slots.size).toBe(all.length);
      // The other thread's view of the same slots finds the same slots; the marks stay here.
      const other = KnownRows.of(rows.shared());
      for (const raw of all) {
        expect(other.slotOf(raw)).toBe(rows.slotOf(raw));
        expect(other.known(raw)).toBe("known");
      }
    }
  });

  it("looks keys up together as one at a time: known, unknown, none, of another shape, past a batch", () => {
    const { db, known } = stateFile(2000);
    const rows = KnownRows.load(db, 10_000) as KnownRows;
    const all = [...known.keys()];
    const first = all[0] as string;
    const near = `${first.slice(0, 19)}${first[19] === "A" ? "B" : "A"}${first.slice(20)}`;
    const others = [rawKey(), near, "short", "not-base64url-at-all..", `${first}x`, undefined];
    const keys = all.flatMap((raw, i) => [raw, others[i % others.length]]);
    for (const count of [0, 1, 255, 256, 257, 1000, keys.length]) {
      const into = new Int32Array(count + 1).fill(-7);
      rows.slotsOf(keys, count, into);
      const expected = keys
        .slice(0, count)
        .map((raw) => (raw === undefined ? -1 : rows.slotOf(raw)));
      expect([...into.subarray(0, count)]).toEqual(expected);
      expect(into[count]).toBe(-7); // nothing written past `count`
    }
  });

  it("looks keys up by their digests as by the keys themselves", () => {
    const texts = Array.from({ length: 1_500 }, (_, i) => `prefix,u${i},가${i}`);
    const path = statePath();
    StateStore.open(path).close();
    const db = new Database(path);
    const writer = new IdentityTable(db);
    texts.forEach((text, i) => {
      if (i % 3 !== 0) writer.upsert(`identity-${i}`, `hash-${i}`, rowKeyOfText(text) as string);
    });
    const rows = KnownRows.load(db, 10_000) as KnownRows;
    db.close();
    // A known digest cut, made longer, or with a char past a byte that ORs into the same words.
    const digest = texts
      .map((text) => rowDigestOfText(text) as string)
      .find((d, i) => i % 3 !== 0 && (d.charCodeAt(13) & 1) === 1) as string;
    const past = String.fromCharCode(digest.charCodeAt(14) | 0x100);
    const odd = [
      undefined,
      digest.slice(0, 31),
      `${digest}x`,
      digest.slice(0, 14) + past + digest.slice(15),
    ];
    const digests = [...texts.map((text) => rowDigestOfText(text)), ...odd];
    const into = new Int32Array(digests.length);
    rows.slotsOfDigests(digests, digests.length, into);
    const expected = texts.map((text) => rows.slotOf(rowKeyOfText(text) as string));
    expect([...into]).toEqual([...expected, -1, -1, -1, -1]);
    expect(expected.filter((slot) => slot !== -1)).toHaveLength(1_000);
  });
});
