#!/usr/bin/env node
/**
 * `npm run demo`: starts the emulator on a free port, imports every bundled sample into it with the
 * real CLI code, shows why the rows that failed were dead-lettered, then runs the first sample
 * again with --state to show a nightly run sending nothing. Outputs go to demo-out/.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCatalog } from "../emulator/catalog.js";
import { type Emulator, startEmulator } from "../emulator/index.js";
import { main } from "./main.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const samples = [
  { name: "crm-cp949", input: "members.csv" },
  { name: "app-ndjson", input: "users.ndjson" },
];
const out = join(process.cwd(), "demo-out");
mkdirSync(out, { recursive: true });
const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: { ...process.env, DFINERY_ACCESS_TOKEN: "test-token" },
};
const say = (text: string) => process.stdout.write(`${text}\n`);

async function importSample(
  sample: (typeof samples)[number],
  emulator: Emulator,
  extra: string[] = [],
) {
  const dir = join(root, "samples", sample.name);
  const argv = [
    join(dir, sample.input),
    ...["--map", join(dir, "mapping.yaml")],
    ...["--endpoint", emulator.url, "--service-id", "test-service", "--rate", "200/s"],
    ...["--dead-letter", join(out, `${sample.name}.dead-letter.ndjson`)],
    ...["--report", join(out, `${sample.name}.report.json`)],
    ...["--log-level", "warn", ...extra],
  ];
  return main(["profiles", ...argv], io);
}

function showDeadLetters(name: string): void {
  const file = join(out, `${name}.dead-letter.ndjson`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return;
  }
  for (const line of text.split("\n").filter(Boolean)) {
    const record = JSON.parse(line) as { line: number; error: { code: string; message: string } };
    say(`  line ${record.line}: ${record.error.code}: ${record.error.message}`);
  }
}

let failed = false;
for (const sample of samples) {
  const dir = join(root, "samples", sample.name);
  const catalog = parseCatalog(JSON.parse(readFileSync(join(dir, "catalog.json"), "utf8")));
  if ("problems" in catalog) throw new Error(`bad catalog in ${dir}`);
  const emulator = await startEmulator({
    limit: { count: 200, windowMs: 1_000 },
    catalog: catalog.catalog,
  });
  say(`\n== ${sample.name}: samples/${sample.name}/${sample.input} → ${emulator.url}`);
  const code = await importSample(sample, emulator);
  say(
    `exit code ${code}; the emulator accepted ${emulator.store.count()} profiles; dead-lettered:`,
  );
  showDeadLetters(sample.name);
  if (code !== 0 && code !== 1) failed = true;

  if (sample === samples[0]) {
    const state = join(out, "state.db");
    rmSync(state, { force: true });
    say("\n== the same file twice with --state: the second run sends only what changed (nothing)");
    await importSample(sample, emulator, ["--state", state]);
    const before = emulator.store.stats().requests;
    await importSample(sample, emulator, ["--state", state]);
    say(`requests sent by the second run: ${emulator.store.stats().requests - before}`);
  }
  await emulator.close();
}
say(`\nreports and dead-letter files are in ${out}`);
process.exitCode = failed ? 1 : 0;
