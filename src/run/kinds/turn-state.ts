/**
 * `--state` for the kinds sent one unit a request (profiles, identities, deletes): whether DFINERY
 * already holds what a unit would send is asked once, when its turn comes in its user's order (the
 * rows before it may change the answer; with none in flight, as it is read), under the key of its
 * identity, and the hash is recorded when it is accepted. What is held differs by kind: a profile's properties, an identity's linked set,
 * a deletion.
 */
import type { Identity } from "../../api/dfinery.js";
import type { KindState } from "../kind.js";
import { type Diff, NO_STATE, type RunState } from "../state-link.js";

/** A unit's identity, and what DFINERY holds for it once the unit is accepted. */
export type Holding<U> = (unit: U) => { readonly identity: Identity; readonly held: object };

const NO_TURN_STATE: KindState<never> = {
  knownAtRead: () => false,
  knownAtTurn: () => false,
  accepted: () => {},
  flush: () => {},
};

/** The diff is asked at the unit's turn and kept until it is accepted. */
export function turnState<U>(state: RunState, holding: Holding<U>): KindState<U> {
  if (state === NO_STATE) return NO_TURN_STATE;
  const diffs = new WeakMap<object, Diff>();
  return {
    knownAtRead: () => false,
    knownAtTurn(unit) {
      // Asked once: when the turn came as the unit was read (run.ts), the answer holds at dispatch.
      const asked = diffs.get(unit as object);
      if (asked !== undefined) return asked.unchanged;
      const { identity, held } = holding(unit);
      const diff = state.diff(identity, held);
      // A unit found unchanged never goes on to be sent (nor asked again): only changed ones are
      // kept, for their hashes once accepted (most units of a nightly run are unchanged).
      if (!diff.unchanged) diffs.set(unit as object, diff);
      return diff.unchanged;
    },
    accepted(units) {
      for (const { unit, rows } of units) {
        const diff = diffs.get(unit as object);
        // A unit merged from several rows (--group-by-identity): every row of it is done with it.
        if (diff !== undefined) for (const { at } of rows) state.accepted(at, diff);
      }
    },
    flush: () => {},
  };
}
