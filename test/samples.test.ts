import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCatalog, startEmulator } from "../src/emulator/index.js";
import { ROOT, readJson, readNdjson, runCli, tempDir } from "./cli/helpers.js";

const SAMPLES = join(ROOT, "samples");

// Every sample is imported into the emulator by the real CLI, so the README's examples cannot go stale.
describe("samples", () => {
  const cases = readdirSync(SAMPLES);
  it("has the Korean CP949 export and the NDJSON export", () => {
    expect(cases).toEqual(expect.arrayContaining(["crm-cp949", "app-ndjson"]));
  });

  for (const name of cases) {
    it(`imports samples/${name} as expected.json says`, async () => {
      const dir = join(SAMPLES, name);
      const input = readdirSync(dir).find((f) => /\.(csv|tsv|ndjson)$/.test(f)) as string;
      const expected = readJson(join(dir, "expected.json"));
      const catalog = parseCatalog(JSON.parse(readFileSync(join(dir, "catalog.json"), "utf8")));
      if ("problems" in catalog) throw new Error(catalog.problems.join("; "));
      const emulator = await startEmulator({ limit: null, catalog: catalog.catalog });
      const out = tempDir();
      try {
        const result = await runCli([
          join(dir, input),
          "--map",
          join(dir, "mapping.yaml"),
          "--endpoint",
          emulator.url,
          "--service-id",
          "test-service",
          "--dead-letter",
          join(out, "dl.ndjson"),
          "--report",
          join(out, "report.json"),
          "--log",
          join(out, "log.ndjson"),
        ]);
        expect(result.code).toBe(expected.deadLettered.length > 0 ? 1 : 0);
        expect(readJson(join(out, "report.json"))).toMatchObject({
          rows: expected.rows,
          accepted: expected.accepted,
          deadLettered: expected.deadLettered.length,
        });
        const dead = readNdjson(join(out, "dl.ndjson")).map((r) => ({
          line: r.line,
          code: r.error.code,
          ...(r.error.field === undefined ? {} : { field: r.error.field }),
        }));
        expect(dead).toEqual(expected.deadLettered);
        expect(emulator.store.count()).toBe(expected.accepted);
        for (const [id, profile] of Object.entries(expected.profiles)) {
          const sent = emulator.store.list().find((r) => r.identity.external_id === id);
          expect({ identity: sent?.identity, user_properties: sent?.user_properties }).toEqual(
            profile,
          );
        }
      } finally {
        await emulator.close();
      }
    });
  }
});
