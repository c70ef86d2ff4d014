/**
 * Issue 19's exports, drafted by `init` and sent as a user who keeps the draft would: each draft
 * loads as written or fails on `TODO_` placeholders it explains; kept with them filled, the
 * import reads at least 95 % of the rows valid and every payload reaching the emulator carries
 * the row's own person: no phone of another country, no time shifted, no id that is not a person.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { StoredRequest } from "../../src/emulator/store.js";
import { runInit } from "../../src/init/init.js";
import { emulatorPerTest, runCli, runFlags, tempDir } from "../cli/helpers.js";
import {
  amplitudeUtc,
  cafe24,
  type EvidenceExport,
  emailList,
  ga4,
  hubspotUs,
  otherPeoples,
  type Person,
  postgresCopy,
  smartStore,
} from "./evidence-exports.js";
import { type Fill, fillTodo, loadsOrExplains } from "./fill.js";

const emulator = emulatorPerTest();

/** Drafts, checks the draft loads or explains, fills it, imports, and returns the payloads. */
async function sendDraft<T extends EvidenceExport>(
  make: (dir: string) => T,
  fill: Fill = {},
  command: readonly string[] = [],
) {
  const dir = tempDir();
  const file = make(dir);
  const out = join(dir, "draft.yaml");
  const result = await runInit({ input: file.path, out, force: false });
  const draft = readFileSync(out, "utf8");
  const todo = loadsOrExplains(draft, out, command[0] === "identities");
  const map = join(dir, "kept.yaml");
  writeFileSync(map, fillTodo(draft, fill));
  const e = await emulator();
  const argv = [...command, file.path, "--map", map, ...runFlags(dir, e.url, { rate: "1000/s" })];
  const run = await runCli(
    argv,
    undefined,
    undefined,
    command.length > 0 ? "dfinery-import" : "import-profiles",
  );
  expect(run.stderr).not.toContain("E_CONFIG");
  const payloads = e.store.list();
  return { file, result, draft, todo, payloads, code: run.code };
}

const identityOf = (r: StoredRequest): Person => r.identity as Person;
const key = (p: Person) => JSON.stringify([p.external_id, p.email, p.phone_no]);

/** At least 95 % of the rows sent, each payload the identity of a row's own person. */
function everyPayloadIsItsPerson(file: EvidenceExport, payloads: readonly StoredRequest[]) {
  expect(payloads.length).toBeGreaterThanOrEqual(Math.ceil(file.rows * 0.95));
  const valid = file.people.filter((p): p is Person => p !== undefined);
  expect(payloads.length).toBe(valid.length);
  // Each payload's identity is exactly one generated row's, as many times as rows have it.
  expect(payloads.map((r) => key(identityOf(r))).sort()).toEqual(valid.map(key).sort());
}

describe("init on issue 19's exports, kept with its TODO_ filled", () => {
  test("HubSpot, a US portal: phones read as US numbers, Record ID the id, First Last", async () => {
    const { file, result, draft, todo, payloads } = await sendDraft(hubspotUs, {
      timezone: "America/New_York",
    });
    expect(todo).toEqual(expect.arrayContaining(["source.timezone"]));
    expect(draft).toContain('  external_id: { column: "Record ID" }');
    expect(draft).toContain('  phone_no: { column: "Phone Number", transform: [phone] }');
    expect(draft).toMatch(
      / {2}country: US # \d+\/\d+ numbers without \+country code are valid numbers of the country column "Country\/Region" gives their row, US in every one/,
    );
    expect(draft).toContain('  # df_name: { template: "{First Name} {Last Name}" }');
    expect(result.summary).not.toContain("the country is probably wrong");
    everyPayloadIsItsPerson(file, payloads);
    for (const r of payloads) expect(identityOf(r).phone_no).toMatch(/^1\d{10}$/);
    // A time of the portal's zone, sent as UTC: 5 h later in winter, 4 h in summer.
    const first = readFileSync(file.path, "utf8").split("\n")[1]?.split(",")[7] as string;
    const sent = payloads.find((r) => r.identity.external_id === "51000000")?.user_properties
      ?.p_create_date as string;
    const hours = (Date.parse(sent) - Date.parse(`${first.replace(" ", "T")}Z`)) / 3_600_000;
    expect([4, 5]).toContain(hours);
  });

  test("HubSpot's phones read as KR would be refused: the dry run says the country is wrong", async () => {
    const dir = tempDir();
    const file = hubspotUs(dir, 60);
    const text = readFileSync(file.path, "utf8").replace(/United States/g, "");
    writeFileSync(file.path, text);
    const result = await runInit({ input: file.path, out: join(dir, "m.yaml"), force: false });
    // Without the country column, their national formats alone say US.
    expect(result.draft).toMatch(
      / {2}country: US # \d+\/\d+ numbers without \+country code are valid US numbers/,
    );
    const kr = result.draft.replace(/ {2}country: US #/, "  country: KR #");
    writeFileSync(join(dir, "kr.yaml"), fillTodo(kr, { timezone: "UTC" }));
    const dry = await runCli([file.path, "--map", join(dir, "kr.yaml"), "--dry-run"]);
    expect(dry.stdout + dry.stderr).toContain("INVALID_IDENTITY");
  });

  test("Amplitude: UTC by its export's columns, never Asia/Seoul for its Korean text", async () => {
    const { file, draft, todo, payloads } = await sendDraft(amplitudeUtc);
    expect(todo).not.toContain("source.timezone");
    expect(draft).toContain(
      "  timezone: UTC # the columns are Amplitude's export (its times are UTC)",
    );
    expect(draft).not.toContain("Asia/Seoul");
    expect(draft).toContain('  external_id: { column: "user_id" }');
    expect(draft).toContain('  # not external_id: "$insert_id" names a thing');
    everyPayloadIsItsPerson(file, payloads);
    expect(payloads.map((r) => r.user_properties?.event_time).sort()).toEqual(
      [...file.times].sort(),
    );
  });

  test("Cafe24 in CP949: `-` is an empty cell, 남/여 and 수신함/수신안함 get values tables", async () => {
    const { file, draft, payloads } = await sendDraft(cafe24, { timezone: "Asia/Seoul" });
    expect(draft).toMatch(/ {2}empty_values: \["-"\] # "-" fills \d+ cells of \d+ columns/);
    expect(draft).toContain('  external_id: { column: "회원아이디" }');
    expect(draft).toContain('      "남": "Male"\n      "여": "Female"');
    expect(draft).toContain('      "수신함": true\n      "수신안함": false');
    expect(draft).toMatch(/column: "생년월일", type: Date/);
    everyPayloadIsItsPerson(file, payloads);
    const rows = readFileSync(file.path); // CP949: only ASCII is compared below
    expect(rows.length).toBeGreaterThan(0);
    for (const r of payloads) {
      expect(Object.values(r.user_properties ?? {})).not.toContain("-");
      const phone = identityOf(r).phone_no;
      if (phone !== undefined) expect(phone).toMatch(/^8210\d{8}$/);
    }
  });

  test("SmartStore order lines: the buyer is the person, never the order-line number", async () => {
    const { file, draft, payloads } = await sendDraft(smartStore, { timezone: "Asia/Seoul" });
    expect(draft).toContain('  external_id: { column: "구매자ID" }');
    expect(draft).toContain('  phone_no: { column: "구매자연락처", transform: [phone] }');
    expect(draft).toContain('  # not external_id: "상품주문번호" names a thing');
    expect(draft).toContain('  # not phone_no: "수취인연락처1" names someone else');
    everyPayloadIsItsPerson(file, payloads);
  });

  test("GA4: epoch microseconds are UTC, no zone asked; user_id the person", async () => {
    const { file, draft, todo, payloads } = await sendDraft(ga4);
    expect(todo.filter((t) => t.startsWith("source"))).toEqual([]);
    expect(draft).toContain("  # timezone: none needed");
    expect(draft).toContain('  external_id: { column: "user_id" }');
    everyPayloadIsItsPerson(file, payloads);
    expect(payloads.map((r) => r.user_properties?.event_timestamp).sort()).toEqual(
      file.times.map((us) => new Date(Math.floor(us / 1000)).toISOString()).sort(),
    );
  });

  test("a headerless PostgreSQL COPY file: header false, generated names, dialect postgres", async () => {
    const { file, draft, todo, payloads } = await sendDraft(postgresCopy);
    expect(draft).toContain('  header: false # the first line is data, not column names: "1"');
    expect(draft).toContain(
      '  columns: ["column_1", "column_2", "column_3", "column_4", "column_5", "column_6", "column_7"]',
    );
    expect(draft).toMatch(/ {2}dialect: postgres # \d+ \\N cells \(NULL\)/);
    expect(todo).toEqual([]); // its TODO_column_N property names load, to be renamed
    everyPayloadIsItsPerson(file, payloads);
    for (const r of payloads) expect(typeof r.user_properties?.p_column_6).toBe("boolean");
  });

  test("an e-mail list: identities only, the draft loads as written", async () => {
    const { file, result, draft, todo, payloads } = await sendDraft(emailList, {}, ["identities"]);
    expect(todo).toEqual([]);
    expect(draft).toContain("# no properties: the file holds identities only.");
    expect(result.summary).toContain("dry run of the draft on the first 60 rows: 60 valid, 0 not");
    expect(result.summary).toContain("then: dfinery-import identities");
    everyPayloadIsItsPerson(file, payloads);
  });

  test("issue 21.13: never a referrer's, a manager's, a store's phone or a coupon as the person", async () => {
    const { file, draft, payloads } = await sendDraft(otherPeoples);
    expect(draft).toContain('  email: { column: "customer_email", transform: [trim, lowercase] }');
    expect(draft).toContain('  # not email: "manager_email" names someone else');
    expect(draft).toContain('  # not email: "referrer_email" names someone else');
    expect(draft).toContain('  # not phone_no: "store_phone" names someone else');
    expect(draft).toContain('  # not external_id: "coupon_code" names a thing');
    everyPayloadIsItsPerson(file, payloads);
  });
});
