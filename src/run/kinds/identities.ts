/**
 * The identities kind (`dfinery-import identities`, POST /api/v1/identities): a row is one person,
 * whose identifiers (external_id, email, phone_no, …) DFINERY links into one unified profile: the
 * guide's first step, before profiles and events. With --state, an identity whose same identifiers
 * an earlier run linked is unchanged.
 */
import { IDENTITIES_PATH } from "../../api/identities.js";
import { ACCEPTED } from "../kind.js";
import { identityKind } from "./identity-rows.js";

export const IDENTITIES = identityKind({
  command: "dfinery-import identities",
  path: IDENTITIES_PATH,
  words: ACCEPTED,
  // The linked set: the identity itself (its key is made of the same identifiers).
  held: (identity) => identity,
});
