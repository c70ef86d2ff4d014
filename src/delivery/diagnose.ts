import type { ProfileUpdate, UserProperties } from "../api/dfinery.js";
import type { AttemptResult } from "./classify.js";

/** What re-sending parts of one refused row found. */
export type Diagnosis =
  | {
      readonly kind: "property";
      readonly property: string;
      /** The API's message for the property alone. */
      readonly message: string;
      readonly requests: number;
    }
  | { readonly kind: "unexplained"; readonly message: string; readonly requests: number };

export interface RefusedRow {
  readonly update: ProfileUpdate;
  readonly code: string;
  readonly message: string;
}

function only(props: UserProperties, names: readonly string[]): UserProperties {
  const subset: UserProperties = {};
  for (const name of names) subset[name] = props[name] as UserProperties[string];
  return subset;
}

/**
 * Finds the property the API refuses, by re-sending the refused row with halves of its
 * `user_properties`: the row's own values, which a profile update sets anyway. A half that is
 * refused with the same code holds the culprit; a half that is accepted clears itself, and the
 * search goes on in the other half. About log2(properties) + 1 requests, one at a time.
 * "Unexplained" when no single property is refused on its own (two properties together, the
 * identity, the size), or when an answer is neither accepted nor the same refusal.
 */
export async function findRefusedProperty(
  row: RefusedRow,
  send: (update: ProfileUpdate) => Promise<AttemptResult>,
): Promise<Diagnosis> {
  const { identity, user_properties: props } = row.update;
  let requests = 0;
  let lastMessage = row.message;
  const unexplained = (): Diagnosis => ({ kind: "unexplained", message: lastMessage, requests });
  /** refused | accepted | undefined (an answer that says neither). */
  const attempt = async (names: readonly string[]): Promise<boolean | undefined> => {
    requests++;
    const result = await send({ identity, user_properties: only(props, names) });
    if (result.kind === "accepted") return false;
    if (result.kind === "permanent" && result.code === row.code) {
      lastMessage = result.message;
      return true;
    }
    return undefined;
  };

  let candidates = Object.keys(props);
  if (candidates.length === 0) return unexplained();
  if (candidates.length === 1) {
    // The row with nothing but its identity: accepted, then the one property is at fault.
    const bare = await attempt([]);
    return bare === false
      ? { kind: "property", property: candidates[0] as string, message: lastMessage, requests }
      : unexplained();
  }
  let confirmed = true; // the candidates, sent alone, are known to be refused
  while (candidates.length > 1) {
    const half = candidates.slice(0, Math.ceil(candidates.length / 2));
    const refused = await attempt(half);
    if (refused === undefined) return unexplained();
    confirmed = refused;
    candidates = refused ? half : candidates.slice(half.length);
  }
  if (!confirmed && (await attempt(candidates)) !== true) return unexplained();
  return { kind: "property", property: candidates[0] as string, message: lastMessage, requests };
}
