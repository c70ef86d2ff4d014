/**
 * What the identities and delete kinds share: a row is one identity (the mapping's `identity`
 * section, nothing else), sent alone as `{identity, request_datetime}`, its request time the
 * attempt's. A refused row is dead-lettered with its identity; without a mapping, a dead-letter
 * file's stored identities are sent again, once checked as the API would. With --state, whether
 * the unit is already done (kinds say what "done" holds) is asked at its turn, keyed by the
 * identity's identifiers.
 */
import type { Identity, ProfileUpdate } from "../../api/dfinery.js";
import type { IdentityRequestBody } from "../../api/identities.js";
import { identityProblem } from "../../api/profile-rules.js";
import { requestDatetime } from "../../delivery/request-time.js";
import { type RowFailure, rowFailure, UsageError } from "../../errors.js";
import type { Mapping } from "../../mapping/types.js";
import type { SourceRow } from "../../source/types.js";
import { isPlainObject } from "../../util/plain-object.js";
import type { Assembler, Finished, Kind, KindWords, Row } from "../kind.js";
import { PROFILES } from "./profiles.js";
import { turnState } from "./turn-state.js";

export interface IdentityKindParts {
  readonly command: "dfinery-import identities" | "dfinery-import delete";
  readonly path: string;
  readonly words: KindWords;
  /** What DFINERY holds once an identity's request is accepted (the state's hash of it). */
  readonly held: (identity: Identity) => object;
}

/** A kind whose unit is one identity, sent alone. */
export function identityKind(parts: IdentityKindParts): Kind<Identity> {
  const { command, path, words, held } = parts;
  return {
    command,
    words,
    identityOnly: true,
    counted: "rows",
    path,
    limits: {
      units: 1,
      maxWeight: 1,
      weight: () => 1,
      window: (concurrency) => concurrency * 2 + 16,
    },
    checkMapping: (mapping, _format, file) => checkIdentityOnly(mapping, file, command),
    assembler: (mapping, file) => new IdentityAssembler(mapping, file),
    body: (identity, _units, now): IdentityRequestBody => ({
      identity,
      request_datetime: requestDatetime(now),
    }),
    payload: (identity) => ({ identity }),
    state: (state, onError) =>
      turnState(state, (identity) => ({ identity, held: held(identity) }), onError),
  };
}

/** Refuses a mapping that maps more than the identity, naming the command that maps it. */
function checkIdentityOnly(mapping: Mapping | null, file: string, command: string): void {
  if (mapping === null) return;
  const more =
    mapping.event !== undefined || mapping.items !== undefined
      ? "an event section: events go through `dfinery-import events`"
      : mapping.properties.length > 0
        ? "properties: user properties go through `dfinery-import profiles` (here leave properties out, or write properties: {})"
        : undefined;
  if (more === undefined) return;
  throw new UsageError(`${file}: ${command} maps the identity alone; this mapping has ${more}`);
}

class IdentityAssembler implements Assembler<Identity> {
  /** A row is mapped as a profile update would be (without properties), and kept as its identity. */
  readonly #profiles: Assembler<ProfileUpdate>;

  constructor(mapping: Mapping | null, file: string) {
    this.#profiles = PROFILES.assembler(mapping, file);
  }

  row(row: Row, source: SourceRow): Finished<Identity> {
    const done = this.#profiles.row(row, source);
    if (done === undefined || !done.ok) return done as Finished<Identity>;
    return { ok: true, identity: done.identity, unit: done.identity, rows: done.rows };
  }

  unreadable(row: Row & { readonly failure: RowFailure }): Finished<Identity>[] {
    return [{ ok: false, rows: [row], payload: null }];
  }

  stored(row: Row, payload: unknown): Finished<Identity>[] {
    if (!isPlainObject(payload)) {
      const message = "this row was never mapped: replay it with --map";
      return [failed(row, rowFailure("input", "REPLAY_NO_PAYLOAD", message))];
    }
    // Sent as it was: checked as the API would (a dead-letter file edited by hand).
    const problem = identityProblem(payload.identity);
    if (problem !== undefined) {
      const message = `the stored payload breaks the API's rules: ${problem}`;
      return [failed(row, rowFailure("mapping", "INVALID_VALUE", message))];
    }
    const identity = payload.identity as Identity;
    return [{ ok: true, identity, unit: identity, rows: [row] }];
  }

  flush(): Finished<Identity>[] {
    return [];
  }
}

function failed(row: Row, failure: RowFailure): Finished<Identity> {
  return { ok: false, rows: [{ ...row, failure }], payload: null };
}
