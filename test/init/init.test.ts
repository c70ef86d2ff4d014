import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runInit } from "../../src/init/init.js";
import { parseMapping } from "../../src/mapping/load.js";
import type { Mapping } from "../../src/mapping/types.js";
import { runCli, tempDir } from "../cli/helpers.js";
import { appNdjson, type Export, googleSheetsUs, koreanExcel, shopify } from "./exports.js";
import { type Fill, fillTodo, loadsOrExplains } from "./fill.js";

async function draft(make: (dir: string) => Export, fill: Fill = {}) {
  const dir = tempDir();
  const file = make(dir);
  const out = join(dir, "mapping.yaml");
  const result = await runInit({ input: file.path, out, force: false });
  // The draft on disk loads, or fails on its TODO_ placeholders alone; filled, it loads.
  const text = readFileSync(out, "utf8");
  const todo = loadsOrExplains(text, out);
  const mapping = parseMapping(fillTodo(text, fill), out);
  return { file, result, mapping, todo };
}

const identities = (m: Mapping) => m.identity.map((r) => [r.name, r.column, r.transforms]);
const types = (m: Mapping) =>
  Object.fromEntries(
    m.properties.flatMap((p) =>
      p.kind === "column" ? [[p.column, [p.type, p.formats?.join(" | ") ?? "iso"]]] : [],
    ),
  );

/** No consent (or other standard) property is chosen: the draft only suggests them. */
function choosesNoStandardProperty(m: Mapping): void {
  expect(m.properties.map((p) => p.name).filter((n) => n.startsWith("df_"))).toEqual([]);
}

describe("init", () => {
  test("a Korean Excel export in CP949", async () => {
    const { file, result, mapping, todo } = await draft(koreanExcel, { timezone: "Asia/Seoul" });
    expect(result.sample.encoding).toBe("cp949");
    // Korean text says where the people are, not the clock that wrote the times: the zone is asked.
    expect(result.draft).toContain(
      '  timezone: TODO_zone # nothing in the sample says which zone "가입일시", "최근접속일시" were written in',
    );
    expect(todo).toContain("source.timezone");
    expect(result.draft).toContain(
      "  country: KR # 292/300 numbers without +country code are written as KR writes its numbers",
    );
    expect(mapping.source.timezone).toBe("Asia/Seoul");
    expect(identities(mapping)).toEqual([
      ["external_id", "회원번호", []],
      ["phone_no", "휴대폰번호", [{ strip_prefix: "'" }, "phone"]],
      ["email", "이메일", ["trim", "lowercase"]],
    ]);
    expect(types(mapping)).toEqual({
      이름: ["String", "iso"],
      성별: ["String", "iso"],
      생년월일: ["Date", "yyyy. M. d."],
      가입일시: ["Datetime", "yyyy-MM-dd a h:mm:ss"],
      최근접속일시: ["Datetime", "yyyy. M. d. a h:mm"],
      SMS수신동의: ["Boolean", "iso"],
      이메일수신: ["Boolean", "iso"],
      포인트: ["Long", "iso"],
      누적구매금액: ["Long", "iso"],
      등급: ["String", "iso"],
    });
    expect(result.draft).toContain(
      '  # "SMS수신동의": 300/300 sample cells are consent words (미동의, 동의)\n' +
        "  # TODO: TODO_sms stands for the name registered in the console\n" +
        "  # may be DFINERY's df_sms_ads_optin: rename it so only if it is (you decide)\n" +
        "  TODO_sms:\n" +
        '    column: "SMS수신동의"\n' +
        "    type: Boolean\n" +
        "    values:\n" +
        '      "미동의": false\n' +
        '      "동의": true\n',
    );
    expect(result.draft).toContain(
      '  TODO_column_12: { column: "누적구매금액", type: Long, transform: [{ remove: "￦" }] }',
    );
    choosesNoStandardProperty(mapping);
    expect(result.valid).toBe(file.rows - file.invalid.size);
  });

  test("a Shopify customer export", async () => {
    const { file, result, mapping } = await draft(shopify);
    expect(identities(mapping)).toEqual([
      ["external_id", "Customer ID", []],
      ["phone_no", "Phone", [{ strip_prefix: "'" }, "phone"]],
      ["email", "Email", ["trim", "lowercase"]],
    ]);
    expect(types(mapping)).toMatchObject({
      "Accepts Email Marketing": ["Boolean", "iso"],
      "Accepts SMS Marketing": ["Boolean", "iso"],
      "Total Spent": ["Double", "iso"],
      "Total Orders": ["Long", "iso"],
      "Default Address Zip": ["String", "iso"],
      "Created At": ["Datetime", "iso"],
    });
    expect(types(mapping)).not.toHaveProperty("Note");
    expect(result.draft).toContain('  # df_name: { template: "{First Name} {Last Name}" }');
    choosesNoStandardProperty(mapping);
    expect(result.valid).toBe(file.rows - file.invalid.size);
  });

  test("an app backend's NDJSON export", async () => {
    const { file, result, mapping } = await draft(appNdjson);
    expect(identities(mapping)).toEqual([
      ["external_id", "user.id", []],
      ["phone_no", "user.phone", ["phone"]],
      ["email", "user.email", ["trim", "lowercase"]],
    ]);
    expect(types(mapping)).toEqual({
      "profile.name": ["String", "iso"],
      "profile.gender": ["String", "iso"],
      "profile.birthday": ["Date", "iso"],
      created_at: ["Datetime", "epoch_ms"],
      last_login: ["Datetime", "epoch_s"],
      push_enabled: ["Boolean", "iso"],
      "marketing.push": ["Boolean", "iso"],
      "marketing.sms": ["Boolean", "iso"],
      points: ["Long", "iso"],
      tags: ["Array of String", "iso"],
      plan: ["String", "iso"],
    });
    choosesNoStandardProperty(mapping);
    expect(result.valid).toBe(file.rows - file.invalid.size);
  });

  test("a Google Sheets (Forms) US export", async () => {
    const { file, result, mapping } = await draft(googleSheetsUs, { timezone: "America/New_York" });
    expect(mapping.source.timezone).toBe("America/New_York");
    expect(mapping.source.country).toBe("US");
    expect(identities(mapping)).toEqual([
      ["phone_no", "Phone Number", ["phone"]],
      ["email", "Email Address", ["trim", "lowercase"]],
    ]);
    expect(types(mapping)).toEqual({
      Timestamp: ["Datetime", "M/d/yyyy H:mm:ss"],
      "Full Name": ["String", "iso"],
      "Date of Birth": ["Date", "M/d/yyyy"],
      "Signup Date": ["Date", "M/d/yyyy"],
      Newsletter: ["Boolean", "iso"],
      Country: ["String", "iso"],
      Score: ["Double", "iso"],
    });
    // The rows without an e-mail address still have a phone number: every row is valid.
    expect(result.summary).toContain(
      "dry run of the draft on the first 200 rows: 200 valid, 0 not",
    );
    expect(result.valid).toBe(file.rows);
  });

  test("a column two formats read differently stays a String, and says why", async () => {
    const dir = tempDir();
    const input = join(dir, "dates.csv");
    writeFileSync(input, "email,seen\na@x.kr,5/3/2024\nb@x.kr,6/4/2024\n");
    const result = await runInit({ input, out: join(dir, "m.yaml"), force: false });
    expect(result.draft).toContain(
      '  # "seen": String: "M/d/yyyy" and "d/M/yyyy" each read every cell, differently; state the format\n  seen: { column: "seen" }',
    );
  });
});

describe("import-profiles init", () => {
  test("writes the draft, prints the dry run, and never overwrites without --force", async () => {
    const dir = tempDir();
    const file = googleSheetsUs(dir, 20);
    const out = join(dir, "mapping.yaml");
    const first = await runCli(["init", file.path, "--out", out], {});
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`import-profiles init: wrote ${out} (csv, utf8, 9 columns)`);
    expect(existsSync(out)).toBe(true);

    writeFileSync(out, "# mine\n");
    const again = await runCli(["init", file.path, "--out", out], {});
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(
      `${out} exists: pass --force to replace it, or --out another file`,
    );
    expect(readFileSync(out, "utf8")).toBe("# mine\n");

    const forced = await runCli(["init", file.path, "--out", out, "--force"], {});
    expect(forced.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("identity:");
  });
});

test("a file without rows is refused, and nothing is written", async () => {
  const dir = tempDir();
  const input = join(dir, "empty.csv");
  writeFileSync(input, "email,name\n");
  const result = await runCli(["init", input, "--out", join(dir, "m.yaml")], {});
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`${input}: has no rows to draft a mapping from`);
  expect(existsSync(join(dir, "m.yaml"))).toBe(false);
});

test("member ids are found by their shape when the header does not say", async () => {
  const dir = tempDir();
  const input = join(dir, "people.csv");
  const rows = Array.from(
    { length: 30 },
    (_, i) => `CUST-${1000 + i},Ana ${i},${i % 2 ? "Y" : "N"}`,
  );
  writeFileSync(input, `코드,name,opt\n${rows.join("\n")}\n`);
  const result = await runInit({ input, out: join(dir, "m.yaml"), force: false });
  expect(result.draft).toContain(
    '  # member ids by their shape: a code in every sample row, none twice\n  external_id: { column: "코드" }',
  );
  expect(result.valid).toBe(30);
});

test("an Excel 'Unicode text' export: UTF-16LE with tabs, named .txt", async () => {
  const dir = tempDir();
  const input = join(dir, "members.txt");
  const rows = Array.from(
    { length: 20 },
    (_, i) => `M${100 + i}\tuser${i}@example.kr\t2024. 5. ${i + 1}.`,
  );
  const text = `회원번호\t이메일\t가입일\n${rows.join("\n")}\n`;
  writeFileSync(input, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
  const result = await runInit({ input, out: join(dir, "m.yaml"), force: false });
  expect(result.sample.format).toBe("tsv");
  expect(result.sample.encoding).toBe("utf16le");
  expect(result.draft).toContain(
    '  TODO_column_3: { column: "가입일", type: Date, format: "yyyy. M. d." }',
  );
  expect(result.valid).toBe(20);
});
