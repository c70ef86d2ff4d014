import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emulatorPerTest, readNdjson, runCli, runFlags, tempDir, write } from "./helpers.js";

const emulator = emulatorPerTest();

describe("a row nested too deeply to be written as JSON", () => {
  it("is dead-lettered with what can be kept; the run goes on (also with --state)", async () => {
    const e = await emulator();
    const dir = tempDir();
    let deep = '"end"';
    for (let i = 0; i < 20_000; i++) deep = `[${deep}]`;
    const lines = [
      '{"id":"u1","points":"1"}',
      `{"id":"u2","points":"lots","deep":${deep}}`,
      '{"id":"u3","points":"3"}',
    ];
    const input = write(dir, "users.ndjson", `${lines.join("\n")}\n`);
    const map = write(
      dir,
      "m.yaml",
      "identity:\n  external_id: id\nproperties:\n  points: { column: points, type: Long }\n",
    );
    const flags = runFlags(dir, e.url, { rate: "1000/s", state: true });
    const result = await runCli([input, "--map", map, ...flags]);
    expect(result.stderr).not.toMatch(/internal error|cannot write the dead-letter file/);
    expect(result.code).toBe(1);
    expect(e.store.count()).toBe(2);
    const [record] = readNdjson(join(dir, "dl.ndjson"));
    expect(record).toMatchObject({ line: 2, row: null, format: "ndjson" });
    expect(record.error.code).toBe("INVALID_VALUE");
    expect(record.unwritable).toMatch(/RangeError/);
  });
});
