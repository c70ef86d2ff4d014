/**
 * `--state` for the kinds sent one unit a request (profiles, identities, deletes): whether DFINERY
 * already holds what a unit would send is asked once, when its turn comes in its user's order (the
 * rows before it may change the answer; with none in flight, as it is read), under the key of its
 * identity, and the hash is recorded when it is accepted. What is held differs by kind: a profile's properties, an identity's linked set,
 * a deletion.
 *
 * A row the state file knows by its key as read (state/row-key.ts) to map to the hash its
 * identity holds is unchanged before it is mapped, unless a unit of that identity has taken its
 * turn and not ended (its acceptance could change the hash): then it is mapped and waits its turn
 * as any row. A row of unknown key is mapped and diffed; found unchanged, or accepted, its key is
 * recorded beside the hash, for the next run.
 */
import type { Identity } from "../../api/dfinery.js";
import { TurnWrite } from "../accepted-queue.js";
import type { KindState, Pending, Row } from "../kind.js";
import { type Diff, NO_STATE, type RunState } from "../state-link.js";

/** A unit's identity, and what DFINERY holds for it once the unit is accepted. */
export type Holding<U> = (unit: U) => { readonly identity: Identity; readonly held: object };

const NO_TURN_STATE: KindState<never> = {
  knownAtRead: () => false,
  knownAtTurn: () => false,
  accepted: () => {},
  flush: () => {},
};

/**
 * The diff is asked at the unit's turn and kept until it is accepted; accepted rows are written
 * once per turn of the event loop (accepted-queue.ts), `onError` told if that write fails.
 */
export function turnState<U>(
  state: RunState,
  holding: Holding<U>,
  onError: (error: unknown) => void,
): KindState<U> {
  if (state === NO_STATE) return NO_TURN_STATE;
  const written = new TurnWrite(() => state.flushAccepted(), onError);
  const diffs = new WeakMap<object, Diff>();
  /** Rows looked up by their key as read and not known unchanged: their keys, for their diff. */
  const rowKeys = new WeakMap<Row, string>();
  /** Identity keys of the units that took their turn and have not ended → how many. */
  const busy = new Map<string, number>();
  const turnKeys = new WeakMap<object, string>();
  /** A unit of one row keeps its row's key (a merged unit's hash is no row's). */
  const rowKeyOf = ({ rows, parts }: Pending<U>) =>
    parts === undefined && rows.length === 1 ? rowKeys.get(rows[0] as Row) : undefined;
  return {
    knownAtRead: () => false,
    knownAsRead(row, cells) {
      const key = state.rowKey(cells, row.format);
      if (key === undefined) return false;
      const known = state.knownRow(key);
      if (known === "known") return true; // no unit of its identity has taken its turn
      if (known === "touched") {
        const identity = state.heldBy(key);
        if (identity !== undefined && !busy.has(identity)) return true;
      }
      rowKeys.set(row, key);
      return false;
    },
    knownAtTurn(pending) {
      const unit = pending.unit as object;
      // Asked once: when the turn came as the unit was read (run.ts), the answer holds at dispatch.
      const asked = diffs.get(unit);
      if (asked !== undefined) return asked.unchanged;
      const { identity, held } = holding(pending.unit);
      const diff = state.diff(identity, held, rowKeyOf(pending));
      // A unit found unchanged never goes on to be sent (nor asked again): only changed ones are
      // kept, for their hashes once accepted (most units of a nightly run are unchanged).
      if (!diff.unchanged) diffs.set(unit, diff);
      return diff.unchanged;
    },
    accepted(units) {
      for (const { unit, rows } of units) {
        const diff = diffs.get(unit as object);
        // A unit merged from several rows (--group-by-identity): every row of it is done with it.
        if (diff !== undefined) for (const { at } of rows) state.accepted(at, diff);
      }
      written.schedule();
    },
    began(units) {
      for (const { unit } of units) {
        const diff = diffs.get(unit as object);
        const key =
          diff !== undefined && !diff.unchanged
            ? diff.key
            : state.identityKey(holding(unit).identity);
        turnKeys.set(unit as object, key);
        busy.set(key, (busy.get(key) ?? 0) + 1);
        state.touch(key);
      }
    },
    settled(units) {
      for (const { unit } of units) {
        const key = turnKeys.get(unit as object);
        if (key === undefined) continue;
        turnKeys.delete(unit as object);
        const left = (busy.get(key) ?? 1) - 1;
        if (left === 0) busy.delete(key);
        else busy.set(key, left);
      }
    },
    flush: () => written.now(),
  };
}
