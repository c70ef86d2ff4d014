/** The kinds of run, by the command that runs them. */
import type { Kind } from "../kind.js";
import { DELETES } from "./deletes.js";
import { EVENTS } from "./events.js";
import { IDENTITIES } from "./identities.js";
import { PROFILES } from "./profiles.js";

export { DELETES } from "./deletes.js";
export { EVENTS } from "./events.js";
export { IDENTITIES } from "./identities.js";
export { PROFILES } from "./profiles.js";

export const KINDS: Readonly<Record<Kind<unknown>["command"], Kind<unknown>>> = {
  "import-profiles": PROFILES as Kind<unknown>,
  "import-events": EVENTS as Kind<unknown>,
  "dfinery-import identities": IDENTITIES as Kind<unknown>,
  "dfinery-import delete": DELETES as Kind<unknown>,
};
