import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { cruise, type ICruiseOptions, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");

/** Cruises `src` under `baseDir` with the project's rules (.dependency-cruiser.cjs). */
async function cruiseWithRules(baseDir: string): Promise<ICruiseResult> {
  const options: ICruiseOptions = {
    ...(await extractDepcruiseOptions(join(root, ".dependency-cruiser.cjs"))),
    baseDir,
  };
  const tsConfig = extractTSConfig(join(baseDir, "tsconfig.json"));
  const { output } = await cruise(["src"], options, {}, { tsConfig });
  return output as ICruiseResult;
}

const violations = (result: ICruiseResult) =>
  result.summary.violations.map((v) =>
    v.cycle === undefined
      ? `${v.rule.name}: ${v.from} → ${v.to}`
      : `${v.rule.name}: ${v.cycle.map((c) => c.name).join(" → ")}`,
  );

/** A tiny tree: `files` maps a path under src/ to the modules it imports. */
function fakeTree(files: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), "layers-"));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" } }),
  );
  writeFileSync(join(dir, "package.json"), '{"type":"module"}');
  for (const [file, imports] of Object.entries(files)) {
    const path = join(dir, "src", file);
    mkdirSync(dirname(path), { recursive: true });
    const lines = imports.map((to, i) => `import { x as x${i} } from "${to}";`);
    writeFileSync(path, `${lines.join("\n")}\nexport const x = 1;\n`);
  }
  return dir;
}

describe("the layers of src", () => {
  it("have no import cycle and no import of a higher layer", async () => {
    const result = await cruiseWithRules(root);
    expect(violations(result)).toEqual([]);
    // The rules saw the real tree, its imports resolved (not a cruise of nothing).
    expect(result.summary.totalCruised).toBeGreaterThan(150);
    const unresolved = result.modules.flatMap((m) =>
      m.dependencies.filter((d) => d.couldNotResolve).map((d) => `${m.source} → ${d.module}`),
    );
    expect(unresolved).toEqual([]);
    const between = result.modules.flatMap((m) =>
      m.dependencies.filter((d) => d.resolved.startsWith("src/")).map((d) => d.resolved),
    );
    expect(between.length).toBeGreaterThan(400);
  }, 120_000);

  it("fail on a cycle, an upward import, a type-only one, and the emulator using the importer", async () => {
    const dir = fakeTree({
      "util/canonical.ts": [],
      "api/types.ts": ["../util/canonical.js"],
      "source/read.ts": ["../api/types.js"],
      "mapping/apply.ts": ["../source/read.js", "./normalize.js"],
      "mapping/normalize.ts": ["./apply.js"],
      "state/hash.ts": ["../util/canonical.js"],
      "run/import.ts": ["../mapping/apply.js", "../state/hash.js"],
      "delivery/client.ts": ["../run/import.js"],
      "emulator/core.ts": ["../api/types.js", "../mapping/apply.js"],
      "sinks/report.ts": ["../emulator/core.js"],
      "tools/helper.ts": ["../api/types.js"],
      "init/init.ts": ["../tools/helper.js"],
    });
    writeFileSync(
      join(dir, "src/util/canonical.ts"),
      'import type { X } from "../state/hash.js";\nexport const x = 1;\nexport type Y = X;\n',
    );
    writeFileSync(join(dir, "src/state/hash.ts"), "export const x = 1;\nexport type X = number;\n");
    const found = violations(await cruiseWithRules(dir));
    rmSync(dir, { recursive: true });
    expect(found.sort()).toEqual(
      [
        "no-cycle: src/mapping/normalize.ts → src/mapping/apply.ts",
        "layer-util: src/util/canonical.ts → src/state/hash.ts",
        "layer-delivery: src/delivery/client.ts → src/run/import.ts",
        "emulator-beside: src/emulator/core.ts → src/mapping/apply.ts",
        "emulator-started-by-cli: src/sinks/report.ts → src/emulator/core.ts",
        "unlayered: src/init/init.ts → src/tools/helper.ts",
        "unlayered-importer: src/tools/helper.ts → src/api/types.ts",
      ].sort(),
    );
  }, 120_000);
});
