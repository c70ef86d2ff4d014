/**
 * A row known as read is answered from memory only while no unit of its identity has been
 * accepted in this run (known-rows.ts `touch`): once one waits in the queue of accepted rows, the
 * row is asked of the file, which writes the queue first (state-link-accepted.test.ts).
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { StateLink } from "../../src/run/state-link.js";
import { identityHash } from "../../src/state/hash.js";
import { openLocked, request, statePath } from "../state/helpers.js";

const KEY = Buffer.alloc(32, 7);
const ALICE = { external_id: "alice" };
const BOB = { external_id: "bob" };
const rowKey = () => randomBytes(17).toString("base64url").slice(0, 22);

/** A run on the state file `path` (fresh if missing), as the importer links it. */
function linked(path = statePath(), full = false) {
  const store = openLocked(path);
  store.bindKey(KEY, { rekey: false, readOnly: false });
  const handle = store.beginRun(request());
  return { path, store, handle, link: new StateLink(store, handle, full, KEY) };
}

/** A first night: each identity's row accepted with its key as read; the file closed. */
function firstNight(rows: readonly (readonly [typeof ALICE, string])[]): string {
  const { path, store, handle, link } = linked();
  rows.forEach(([identity, raw], i) => {
    handle.noteRead(i + 2);
    link.accepted(i + 2, link.diff(identity, { points: 1 }, raw));
  });
  link.flushAccepted();
  store.finishRun(handle.runId, { exitCode: 0, report: {} });
  store.close();
  return path;
}

describe("StateLink: rows known as read, from memory", () => {
  it("asks the file for a row whose identity's accepted row waits to be written", () => {
    const night1 = { alice: rowKey(), bob: rowKey() };
    const path = firstNight([
      [ALICE, night1.alice],
      [BOB, night1.bob],
    ]);
    const { handle, link } = linked(path);
    expect(link.knownRow(night1.alice)).toBe("known"); // read into memory now
    expect(link.knownRow(rowKey())).toBe("unknown");
    handle.noteRead(4);
    link.accepted(4, link.diff(ALICE, { points: 2 }, rowKey())); // queued, not written
    expect(link.knownRow(night1.alice)).toBe("touched");
    expect(link.heldBy(night1.alice)).toBeUndefined(); // the queue written: points 2 now
    expect(link.knownRow(night1.bob)).toBe("known");
    link.touch(identityHash(BOB, KEY)); // a unit of bob took its turn
    expect(link.knownRow(night1.bob)).toBe("touched");
    expect(link.heldBy(night1.bob)).toBe(identityHash(BOB, KEY));
  });

  it("knows no row with --full", () => {
    const raw = rowKey();
    const path = firstNight([[ALICE, raw]]);
    expect(linked(path, true).link.knownRow(raw)).toBe("unknown");
  });
});
