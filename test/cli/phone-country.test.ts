/**
 * A run's `--dry-run` says when the phones' country is probably wrong, as init's dry run of its
 * draft does (sinks/wrong-country.ts, one home): a US HubSpot contacts export mapped with country
 * KR names US and the numbers; mapped with US, nothing is said. Every kind that maps a phone
 * identity says it, the same way.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { Program } from "../../src/cli/args.js";
import { hubspotUs } from "../init/evidence-exports.js";
import { readJson, runCli, tempDir, write } from "./helpers.js";

const mapping = (country: string) => `source:
  country: ${country}
identity:
  external_id: "Record ID"
  phone_no: { column: "Phone Number", transform: [phone] }
properties:
  email: Email
`;

/** A dry run of `input` with `map`: its exit code, what it printed, and its report. */
async function dryRun(dir: string, input: string, map: string, program: Program) {
  const report = join(dir, `${program.replace(/\W/g, "_")}.json`);
  const argv = [input, "--map", map, "--dry-run", "--report", report];
  const outputs = ["--dead-letter", join(dir, "dl.ndjson"), "--log", join(dir, "log")];
  const result = await runCli([...argv, ...outputs], {}, undefined, program);
  return { ...result, report: readJson(report) as Record<string, unknown> };
}

/** The Phone Number cells of the export, in file order (its 5th column, always quoted). */
const phoneCells = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => /^[^,]*,[^,]*,[^,]*,[^,]*,"([^"]*)"/.exec(line)?.[1] as string);

describe("import-profiles --dry-run on phones", () => {
  test("a US contacts export mapped with country KR: the summary says the country is probably wrong, naming US and the numbers", async () => {
    const dir = tempDir();
    const file = hubspotUs(dir, 200);
    const cells = phoneCells(file.path);
    // The numbers written without +1 (and not the one too short for anyone) are refused in KR.
    const national = cells.filter((c) => !c.startsWith("+") && c !== "555-0100");
    const bad = cells.filter((c) => c === "555-0100").length;
    expect([national.length, bad]).toEqual([104, 3]);
    const shown = national.slice(0, 5).map((c) => JSON.stringify(c));

    const wrong = await dryRun(
      dir,
      file.path,
      write(dir, "kr.yaml", mapping("KR")),
      "import-profiles",
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain(
      `${national.length} of 200 numbers of "Phone Number" are refused as numbers of KR but valid numbers of US: the country is probably wrong (${shown.join(", ")}); write theirs in source.country\n`,
    );
    expect(wrong.report.phoneCountry).toEqual({
      column: "Phone Number",
      assumed: "KR",
      numbers: 200,
      refused: national.length + bad, // a number too short for anyone is valid nowhere
      examined: national.length + bad,
      elsewhere: national.length,
      countries: ["US"],
      examples: national.slice(0, 5),
    });

    const right = await dryRun(
      dir,
      file.path,
      write(dir, "us.yaml", mapping("US")),
      "import-profiles",
    );
    expect(right.stdout).toMatch(/dry run: 200 rows .*: 197 valid/);
    expect(right.stdout).toContain('Phone Number: 3 rows INVALID_IDENTITY "555-0100"');
    expect(right.stdout).not.toContain("probably wrong");
    expect(right.report.phoneCountry).toBeUndefined();
  });

  test.each<[Program, string]>([
    [
      "import-events",
      `identity: { phone_no: { column: mobile, transform: [phone] } }
event: { name: { value: df_login }, datetime: { column: at } }
`,
    ],
    [
      "dfinery-import identities",
      "identity:\n  external_id: member_id\n  phone_no: { column: mobile, transform: [phone] }\n",
    ],
    ["dfinery-import delete", "identity:\n  phone_no: { column: mobile, transform: [phone] }\n"],
  ])("%s --dry-run says it as well", async (program, map) => {
    const dir = tempDir();
    const rows = ["member_id,mobile,at"];
    for (let i = 0; i < 20; i++) {
      const number = i % 4 === 0 ? `010-${3000 + i}-${1000 + i}` : `(617) 253-${1000 + i}`;
      rows.push(`m${i},${number},2024-03-01T12:00:${String(i).padStart(2, "0")}Z`);
    }
    const input = write(dir, "people.csv", `${rows.join("\n")}\n`);
    const run = await dryRun(dir, input, write(dir, "m.yaml", map), program);
    expect(run.report).toMatchObject({ rows: 20, deadLettered: 15 });
    expect(run.stdout).toContain(
      '15 of 20 numbers of "mobile" are refused as numbers of KR but valid numbers of US: the country is probably wrong ("(617) 253-1001", "(617) 253-1002", "(617) 253-1003", "(617) 253-1005", "(617) 253-1006"); write theirs in source.country\n',
    );
  });
});
