/**
 * The profiles kind (`import-profiles`, POST /api/v1/user-profile): a row is one profile update
 * (apply.ts), sent alone, its request time the attempt's. With --state, whether DFINERY already
 * holds its properties is asked when its turn comes in its user's order (the rows before it may
 * change the answer), and the hash is recorded when accepted. A refused row is dead-lettered; the
 * breaker's diagnosis re-sends one with some of its properties to name the one refused. Without a
 * mapping, a dead-letter file's stored updates are sent again, once checked as the API would.
 * With --group-by-identity, an identity's rows are merged into one update, the later row winning.
 */
import {
  IDENTITY_FIELDS,
  type Identity,
  PROFILE_PATH,
  type ProfileUpdate,
  type UserProperties,
} from "../../api/dfinery.js";
import { identityProblem, propertiesProblem, STANDARD_RULES } from "../../api/profile-rules.js";
import { profileRequestBody } from "../../delivery/request-time.js";
import { type RowFailure, rowFailure, UsageError } from "../../errors.js";
import { applyMapping } from "../../mapping/apply.js";
import type { Mapping } from "../../mapping/types.js";
import type { SourceRow } from "../../source/types.js";
import { identityKey } from "../batcher.js";
import {
  ACCEPTED,
  type Assembler,
  type Finished,
  type Kind,
  type Row,
  type SpillKey,
} from "../kind.js";
import { turnState } from "./turn-state.js";

export const PROFILES: Kind<ProfileUpdate> = {
  command: "import-profiles",
  words: ACCEPTED,
  identityOnly: false,
  counted: "rows",
  path: PROFILE_PATH,
  limits: {
    units: 1,
    maxWeight: 1,
    weight: () => 1,
    window: (concurrency) => concurrency * 2 + 16,
  },
  checkMapping(mapping, _format, file) {
    if (mapping?.event !== undefined) {
      throw new UsageError(
        `${file}: this mapping has an event section: it maps events, not user profiles`,
      );
    }
  },
  assembler: (mapping) => new ProfileAssembler(mapping),
  body: (_identity, units, now) =>
    profileRequestBody((units[0] as { unit: ProfileUpdate }).unit, now),
  payload: (_identity, update) => update,
  state: (state, onError) =>
    turnState(state, (u) => ({ identity: u.identity, held: u.user_properties }), onError),
  merge: (a, b) => ({
    identity: a.identity,
    user_properties: { ...a.user_properties, ...b.user_properties },
  }),
  diagnosis: {
    update: (update) => update,
    send: (sender, update, now) => sender.send(profileRequestBody(update, now)),
  },
};

class ProfileAssembler implements Assembler<ProfileUpdate> {
  constructor(readonly mapping: Mapping | null) {}

  row(row: Row, source: SourceRow): Finished<ProfileUpdate> {
    const mapped = applyMapping(this.mapping as Mapping, source, row.format);
    return mapped.ok
      ? { ok: true, identity: mapped.update.identity, unit: mapped.update, rows: [row] }
      : failed(row, mapped.failure, null);
  }

  unreadable(row: Row & { readonly failure: RowFailure }): Finished<ProfileUpdate>[] {
    return [{ ok: false, rows: [row], payload: null }];
  }

  stored(row: Row, payload: unknown): Finished<ProfileUpdate>[] {
    const update = asPayload(payload);
    if (update === null) {
      const message = "this row was never mapped: replay it with --map";
      return [failed(row, rowFailure("input", "REPLAY_NO_PAYLOAD", message), null)];
    }
    const problem = storedPayloadProblem(update); // sent as it was: checked as the API would
    if (problem !== undefined) return [failed(row, problem, null)];
    return [{ ok: true, identity: update.identity, unit: update, rows: [row] }];
  }

  flush(): Finished<ProfileUpdate>[] {
    return [];
  }

  spillKey(row: Row, source: SourceRow): SpillKey {
    const mapped = applyMapping(this.mapping as Mapping, source, row.format);
    return { identity: mapped.ok ? identityKey(mapped.update.identity) : "" };
  }
}

function failed(
  row: Row,
  failure: RowFailure,
  payload: ProfileUpdate | null,
): Finished<ProfileUpdate> {
  return { ok: false, rows: [{ ...row, failure }], payload };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function asPayload(value: unknown): ProfileUpdate | null {
  if (!isObject(value) || !isObject(value.identity) || !isObject(value.user_properties))
    return null;
  const identity = value.identity;
  if (!IDENTITY_FIELDS.some((f) => typeof identity[f] === "string" && identity[f] !== ""))
    return null;
  // The API's keys only: anything else a file holds (`service_id`, an edit) is not sent.
  return {
    identity: identity as unknown as Identity,
    user_properties: value.user_properties as UserProperties,
  };
}

/**
 * Why a stored payload, sent again without --map, would be refused by the API (a dead-letter file
 * edited by hand, or written by an older version): checked with the rules the emulator judges by
 * (identity fields, standard property types, df_gender values, the 8 KB limit). Undefined if none.
 */
export function storedPayloadProblem(payload: ProfileUpdate): RowFailure | undefined {
  const problem =
    identityProblem(payload.identity) ?? propertiesProblem(payload.user_properties, STANDARD_RULES);
  if (problem === undefined) return undefined;
  const code = /bytes, over the/.test(problem) ? "TOO_LARGE" : "INVALID_VALUE";
  return rowFailure("mapping", code, `the stored payload breaks the API's rules: ${problem}`);
}
