/**
 * `init`'s readers and per-row evidence through the command line: a file whose first line reads
 * as names but is data (`--no-header`), a dump's dialect given (`--dialect`), a delimiter given,
 * and a CRM export whose phones are of two countries, told by a country column beside them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runInit } from "../../src/init/init.js";
import { emulatorPerTest, runCli, runFlags, tempDir } from "../cli/helpers.js";
import { koreanExcel } from "./exports.js";
import { fillTodo } from "./fill.js";

const emulator = emulatorPerTest();

describe("import-profiles init, told how to read", () => {
  test("--no-header, --dialect and --delimiter: a dump whose first line reads as names", async () => {
    const dir = tempDir();
    const input = join(dir, "members.txt");
    // Every cell of the first line could be a column's name: only the flags can say it is data.
    const rows = ["kim|Kim Minjun|VIP|first\\nsecond", "lee|Lee Seoyeon|\\N|plain"];
    for (let i = 0; i < 30; i++) rows.push(`user${i}|Name ${i}|GOLD|note ${i}`);
    writeFileSync(input, `${rows.join("\n")}\n`);
    const out = join(dir, "m.yaml");
    const found = await runInit({
      input,
      out: join(dir, "found.yaml"),
      force: false,
      delimiter: "|",
    });
    expect(found.draft).not.toContain("header: false");

    const result = await runCli(
      ["init", input, "--no-header", "--dialect", "mysql", "--delimiter", "|", "--out", out],
      {},
    );
    expect(result.code).toBe(0);
    const draft = readFileSync(out, "utf8");
    expect(draft).toContain('  delimiter: "|"');
    expect(draft).toContain("  header: false # as given by --no-header");
    expect(draft).toContain('  columns: ["column_1", "column_2", "column_3", "column_4"]');
    expect(draft).toContain("  dialect: mysql # as given by --dialect");
    expect(result.stdout).toContain("dry run of the draft on the first 32 rows");
  });

  test("a bad --dialect is a usage error naming the choices", async () => {
    const dir = tempDir();
    const input = join(dir, "a.csv");
    writeFileSync(input, "email\na@x.kr\n");
    const result = await runCli(
      ["init", input, "--dialect", "oracle", "--out", join(dir, "m.yaml")],
      {},
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--dialect expects mysql or postgres; got "oracle"');
  });
});

describe("phones of two countries, told by a country column", () => {
  test("a per-row country: Korean mobiles read in KR, US numbers in US, each sent as its own", async () => {
    const dir = tempDir();
    const input = join(dir, "crm.csv");
    const lines = ["member_id,국가,mobile"];
    const expected = new Map<string, string>();
    for (let i = 0; i < 40; i++) {
      const korean = i % 2 === 0;
      const id = `m${100 + i}`;
      const [mid, last] = [2000 + i * 37, String(1000 + i * 91).padStart(4, "0")];
      lines.push(korean ? `${id},한국,010-${mid}-${last}` : `${id},미국,(415) ${300 + i}-${last}`);
      expected.set(id, korean ? `8210${mid}${last}` : `1415${300 + i}${last}`);
    }
    writeFileSync(input, `${lines.join("\n")}\n`);
    const result = await runInit({ input, out: join(dir, "draft.yaml"), force: false });
    expect(result.draft).toContain(
      '  country:\n    column: "국가"\n    values: { "한국": KR, "미국": US }',
    );
    expect(result.placeholders).toEqual([]);
    expect(result.valid).toBe(40);

    const map = join(dir, "kept.yaml");
    writeFileSync(map, fillTodo(result.draft));
    const e = await emulator();
    const run = await runCli([input, "--map", map, ...runFlags(dir, e.url, { rate: "1000/s" })]);
    expect(run.code).toBe(0);
    const sent = new Map(
      e.store.list().map((r) => [r.identity.external_id as string, r.identity.phone_no]),
    );
    expect(sent).toEqual(expected);
  });
});

describe("the draft's dry run on phones", () => {
  test("says the country is probably wrong when numbers it refuses are valid in another", async () => {
    const dir = tempDir();
    const input = join(dir, "mixed.csv");
    const lines = ["member_id,mobile"];
    for (let i = 0; i < 30; i++) {
      const last = String(1000 + i * 91).padStart(4, "0");
      lines.push(
        i % 5 < 3 ? `k${i},010-${2000 + i * 37}-${last}` : `u${i},(415) ${300 + i}-${last}`,
      );
    }
    writeFileSync(input, `${lines.join("\n")}\n`);
    const result = await runInit({ input, out: join(dir, "m.yaml"), force: false });
    expect(result.draft).toContain("  country: TODO_country # no one country reads the 30 numbers");
    expect(result.summary).toContain(
      '12 of 30 numbers of "mobile" are refused as numbers of KR (the dry run\'s stand-in for TODO_country) but valid numbers of US: the country is probably wrong ("(415) 303-1273", ',
    );
  });

  test("a bad number is not a wrong country: a Korean export's 010-12 says nothing of it", async () => {
    const dir = tempDir();
    const file = koreanExcel(dir);
    const result = await runInit({ input: file.path, out: join(dir, "m.yaml"), force: false });
    expect(result.summary).toContain('휴대폰번호: 8 rows INVALID_IDENTITY "010-12"');
    expect(result.summary).not.toContain("probably wrong");
  });
});
