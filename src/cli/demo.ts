#!/usr/bin/env node
/**
 * `npm run demo`: starts the emulator on a free port, imports every bundled sample into it with the
 * real CLI code, prints each summary, and stops. Outputs go to demo-out/.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCatalog } from "../emulator/catalog.js";
import { startEmulator } from "../emulator/index.js";
import { main } from "./main.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const samples = [
  { name: "crm-cp949", input: "members.csv" },
  { name: "app-ndjson", input: "users.ndjson" },
];
const out = join(process.cwd(), "demo-out");
mkdirSync(out, { recursive: true });

let failed = false;
for (const sample of samples) {
  const dir = join(root, "samples", sample.name);
  const catalog = parseCatalog(JSON.parse(readFileSync(join(dir, "catalog.json"), "utf8")));
  if ("problems" in catalog) throw new Error(`bad catalog in ${dir}`);
  const emulator = await startEmulator({
    limit: { count: 200, windowMs: 1_000 },
    catalog: catalog.catalog,
  });
  process.stdout.write(`\n== ${sample.name}: ${sample.input} → ${emulator.url}\n`);
  const code = await main(
    [
      join(dir, sample.input),
      "--map",
      join(dir, "mapping.yaml"),
      "--endpoint",
      emulator.url,
      "--service-id",
      "test-service",
      "--rate",
      "200/s",
      "--dead-letter",
      join(out, `${sample.name}.dead-letter.ndjson`),
      "--report",
      join(out, `${sample.name}.report.json`),
      "--log-level",
      "warn",
      "--quiet",
    ],
    {
      stdout: process.stdout,
      stderr: process.stderr,
      env: { ...process.env, DFINERY_ACCESS_TOKEN: "test-token" },
    },
  );
  process.stdout.write(
    `exit code ${code}; the emulator accepted ${emulator.store.count()} profiles\n`,
  );
  await emulator.close();
  if (code !== 0 && code !== 1) failed = true;
}
process.stdout.write(`\nreports and dead-letter files are in ${out}\n`);
process.exitCode = failed ? 1 : 0;
