import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import {
  MAPPING_SCHEMA_FILE,
  main,
  mappingJsonSchema,
  mappingJsonSchemaText,
  REGENERATE_COMMAND,
} from "../../src/mapping/json-schema.js";

const committed = () => readFile(new URL(`../../${MAPPING_SCHEMA_FILE}`, import.meta.url), "utf8");

describe("config/mapping.schema.json", () => {
  test("is up to date with the zod schema", async () => {
    const current = await committed().catch(() => "(missing)");
    expect(
      current === mappingJsonSchemaText(),
      `${MAPPING_SCHEMA_FILE} is out of date: run ${REGENERATE_COMMAND}`,
    ).toBe(true);
  });

  test("rejects unknown keys and lists the types", () => {
    const schema = mappingJsonSchema() as {
      additionalProperties: boolean;
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["identity"]); // properties left out: none
    expect(JSON.stringify(schema)).toContain('"Array of Double"');
  });

  test("the example mapping points editors at it", async () => {
    const example = await readFile(
      new URL("../../config/mapping.example.yaml", import.meta.url),
      "utf8",
    );
    expect(example.split("\n")[0]).toBe("# yaml-language-server: $schema=./mapping.schema.json");
    expect(parse(example)).toHaveProperty("identity");
  });

  test("--write writes it and --check then passes; a stale file fails --check", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "schema-")), "mapping.schema.json");
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      expect(await main(["--check", file])).toBe(1);
      expect(await main(["--write", file])).toBe(0);
      expect(await readFile(file, "utf8")).toBe(mappingJsonSchemaText());
      expect(await main(["--check", file])).toBe(0);
    } finally {
      process.stderr.write = stderr;
    }
  });
});
