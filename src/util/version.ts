/** The package's version (--version; what decides a row's mapping, state/row-key.ts). */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package's name in its package.json. */
const PACKAGE = "dfinery-import";

let known: string | undefined;

/** The package's version, from its package.json (found upward from here: src/ or dist/src/). */
export function version(): string {
  known ??= find();
  return known;
}

function find(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === PACKAGE && pkg.version !== undefined) return pkg.version;
    } catch {
      // no package.json here: look further up
    }
    const parent = dirname(dir);
    if (parent === dir) return "unknown";
    dir = parent;
  }
}
