/**
 * Accepted rows are written together, once per turn of the event loop (StateLink.flushAccepted),
 * and what they wrote is never missed in between: a diff or a row known as read of an identity
 * whose accepted row waits in the queue writes the queue first.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { StateLink } from "../../src/run/state-link.js";
import { identityHash, propertiesHash } from "../../src/state/hash.js";
import { openLocked, request, statePath } from "../state/helpers.js";

const KEY = Buffer.alloc(32, 5);
const ALICE = { external_id: "alice" };
const BOB = { external_id: "bob" };

/** A run on a fresh state file, as the importer links it, and a second reader of the file. */
function linked() {
  const path = statePath();
  const store = openLocked(path);
  store.bindKey(KEY, { rekey: false, readOnly: false });
  const handle = store.beginRun(request());
  const link = new StateLink(store, handle, false, KEY);
  const other = new Database(path, { readonly: true });
  const stored = (identity: object) =>
    other
      .prepare<[string], { hash: string; raw: string | null }>(
        "SELECT hash, raw FROM identities WHERE key = ?",
      )
      .get(identityHash(identity as typeof ALICE, KEY));
  const accepted = () =>
    other.prepare<[], number>("SELECT accepted FROM runs ORDER BY id DESC LIMIT 1").pluck().get();
  return { store, handle, link, stored, accepted };
}

/** Reads and sends one row, as a run does: its diff, then its acceptance. */
function send(
  ctx: ReturnType<typeof linked>,
  line: number,
  identity: typeof ALICE,
  held: object,
  rowKey?: string,
) {
  ctx.handle.noteRead(line);
  const diff = ctx.link.diff(identity, held, rowKey);
  expect(diff.unchanged).toBe(false);
  ctx.link.accepted(line, diff);
}

describe("StateLink: accepted rows written together", () => {
  it("writes the rows accepted since the last write in one commit, none before it", () => {
    const ctx = linked();
    send(ctx, 2, ALICE, { points: 1 }, "raw-alice-1-.........");
    send(ctx, 3, BOB, { points: 1 });
    expect(ctx.stored(ALICE)).toBeUndefined();
    expect(ctx.accepted()).toBe(0);
    expect(ctx.handle.inFlight).toBe(2); // not done: a commit of other rows keeps them unsaved
    ctx.link.flushAccepted();
    expect(ctx.stored(ALICE)).toEqual({
      hash: propertiesHash({ points: 1 }, KEY),
      raw: "raw-alice-1-.........",
    });
    expect(ctx.stored(BOB)?.hash).toBe(propertiesHash({ points: 1 }, KEY));
    expect(ctx.accepted()).toBe(2);
    expect(ctx.handle.inFlight).toBe(0);
    ctx.link.flushAccepted(); // nothing queued: nothing written again
    expect(ctx.accepted()).toBe(2);
  });

  it("a diff of an identity whose accepted row is queued sees what it wrote", () => {
    const ctx = linked();
    send(ctx, 2, ALICE, { points: 1 });
    ctx.link.flushAccepted();
    send(ctx, 3, ALICE, { points: 2 }); // queued: the file still holds points 1
    ctx.handle.noteRead(4);
    // The very properties just accepted: unchanged (the file had points 1 until the queue was written).
    expect(ctx.link.diff(ALICE, { points: 2 }).unchanged).toBe(true);
    expect(ctx.stored(ALICE)?.hash).toBe(propertiesHash({ points: 2 }, KEY));
    // And points 1 again is a change, to be sent.
    expect(ctx.link.diff(ALICE, { points: 1 }).unchanged).toBe(false);
  });

  it("a row known as read is not taken as known while its identity's new hash is queued", () => {
    const ctx = linked();
    const night1 = "row-alice-points-1....";
    send(ctx, 2, ALICE, { points: 1 }, night1);
    ctx.link.flushAccepted();
    const key = identityHash(ALICE, KEY);
    expect(ctx.link.heldBy(night1)).toBe(key); // known rows read now, before the change below
    send(ctx, 3, ALICE, { points: 2 }, "row-alice-points-2....");
    // The row of night one maps to points 1, no longer what DFINERY holds once the queue is written.
    expect(ctx.link.heldBy(night1)).toBeUndefined();
    expect(ctx.stored(ALICE)?.hash).toBe(propertiesHash({ points: 2 }, KEY));
  });
});
