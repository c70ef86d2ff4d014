/** The kinds of run, by the command that runs them. */
import type { Kind } from "../kind.js";
import { EVENTS } from "./events.js";
import { PROFILES } from "./profiles.js";

export { EVENTS } from "./events.js";
export { PROFILES } from "./profiles.js";

export const KINDS: Readonly<Record<Kind<unknown>["command"], Kind<unknown>>> = {
  "import-profiles": PROFILES as Kind<unknown>,
  "import-events": EVENTS as Kind<unknown>,
};
