import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emulatorPerTest, readNdjson, runCli, runFlags, tempDir, write } from "./helpers.js";

const emulator = emulatorPerTest();

/** A dead-letter record whose stored payload is `properties` for user `id`. */
const record = (line: number, id: string, properties: Record<string, unknown>) =>
  JSON.stringify({
    line,
    row: { id },
    payload: { identity: { external_id: id }, user_properties: properties },
    error: { stage: "api", code: "HTTP_500", message: "server error" },
    attempts: 6,
    at: "2026-11-28T00:00:00.000Z",
    format: "csv",
  });

describe("replaying stored payloads without --map", () => {
  it("checks each against the API's rules first: a bad one is dead-lettered, not sent", async () => {
    const e = await emulator();
    const dir = tempDir();
    const lines = [
      record(2, "u1", { df_name: "Kim" }),
      record(3, "u2", { df_gender: "Robot" }),
      record(4, "u3", { note: "x".repeat(20_000) }),
      record(5, "u4", { df_birth: "1990-02-30" }),
    ];
    const input = write(dir, "old.dead-letter.ndjson", `${lines.join("\n")}\n`);
    const result = await runCli([input, ...runFlags(dir, e.url, { rate: "1000/s" })]);
    expect(result.code).toBe(1);
    expect(e.store.stats().requests).toBe(1);
    expect(e.store.last("external_id", "u1")).toEqual({ df_name: "Kim" });
    const failed = readNdjson(join(dir, "dl.ndjson"));
    expect(failed.map((r) => [r.line, r.error.code])).toEqual([
      [3, "INVALID_VALUE"],
      [4, "TOO_LARGE"],
      [5, "INVALID_VALUE"],
    ]);
    expect(failed[0].error.message).toBe(
      "the stored payload breaks the API's rules: property df_gender must be one of Male, Female, NonBinary, Other",
    );
  });
});
