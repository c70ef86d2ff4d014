import { describe, expect, it } from "vitest";
import * as library from "../src/index.js";

describe("the library entry point", () => {
  it("exports the stages the CLI wires together", () => {
    for (const name of [
      "Run",
      "loadMapping",
      "parseMapping",
      "applyMapping",
      "readSource",
      "startEmulator",
      "StateStore",
      "importProfiles",
      "expandInputs",
    ]) {
      expect(typeof (library as Record<string, unknown>)[name]).toBe("function");
    }
  });

  it("maps a row and imports it through the emulator without the CLI", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "lib-"));
    const input = join(dir, "u.csv");
    writeFileSync(input, "id,points\nu1,5\n");
    const emulator = await library.startEmulator({ limit: null });
    try {
      const report = await new library.Run(library.PROFILES, {
        input,
        format: "csv",
        mapping: library.parseMapping(
          "identity:\n  external_id: id\nproperties:\n  points: { column: points, type: Long }\n",
          "m.yaml",
        ),
        deadLetterPath: join(dir, "dl.ndjson"),
        delivery: {
          endpoint: emulator.url,
          serviceId: "test-service",
          accessToken: "test-token",
          rate: library.parseRate("100/s"),
          concurrency: 2,
          maxAttempts: 3,
        },
      }).execute();
      expect(report).toMatchObject({ rows: 1, accepted: 1 });
      expect(emulator.store.last("external_id", "u1")).toEqual({ points: 5 });
    } finally {
      await emulator.close();
    }
  });
});
