/**
 * config/mapping.schema.json, generated from the zod schema of the written mapping, so editors
 * (yaml-language-server) complete and check mapping files. Regenerate after changing schema.ts:
 *   npm run build && node dist/src/mapping/json-schema.js --write
 */
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import * as z from "zod";
import { MappingSchema } from "./schema.js";

/** Where the schema is kept, relative to the package root. */
export const MAPPING_SCHEMA_FILE = "config/mapping.schema.json";
export const REGENERATE_COMMAND = "npm run build && node dist/src/mapping/json-schema.js --write";

export function mappingJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(MappingSchema, { io: "input", target: "draft-2020-12" }),
    title: "dfinery-import mapping",
  };
}

/** The file's exact content: two-space JSON and a final newline. */
export function mappingJsonSchemaText(): string {
  return `${JSON.stringify(mappingJsonSchema(), null, 2)}\n`;
}

/** `--write [file]` writes the schema; `--check [file]` fails when the file is out of date. */
export async function main(args: readonly string[]): Promise<number> {
  const [mode, file = MAPPING_SCHEMA_FILE] = args;
  const text = mappingJsonSchemaText();
  if (mode === "--write") {
    await writeFile(file, text);
    return 0;
  }
  if (mode === "--check") {
    const current = await readFile(file, "utf8").catch(() => "");
    if (current === text) return 0;
    process.stderr.write(`${file} is out of date; run: ${REGENERATE_COMMAND}\n`);
    return 1;
  }
  process.stdout.write(text);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
