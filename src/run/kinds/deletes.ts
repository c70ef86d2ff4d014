/**
 * The deletes kind (`dfinery-import delete`, POST /api/v1/identities/delete): a row is one person
 * to remove from DFINERY, profile and events (the members who left). The command runs only with
 * --yes (commands.ts). With --state, a person whose delete an earlier run had accepted is
 * unchanged; `--full` sends every delete again.
 */
import { IDENTITIES_DELETE_PATH } from "../../api/identities.js";
import { identityKind } from "./identity-rows.js";

const DELETED = { deleted: true } as const;

export const DELETES = identityKind({
  command: "dfinery-import delete",
  path: IDENTITIES_DELETE_PATH,
  words: { done: "deleted", dry: "to delete" },
  held: () => DELETED,
});
