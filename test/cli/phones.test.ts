/**
 * Phones are identities: a wrong one attaches data to someone else. A CRM export with Korean and
 * US numbers, with and without +country code, through the CLI to the emulator: the exact
 * phone_no values it received, and the exact dead letters for the numbers that are not numbers of
 * the country assumed.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.js";
import { emulatorPerTest, importFile, readNdjson, tempDir } from "./helpers.js";

const emulator = emulatorPerTest();

const MEMBERS = `member_id,국가,mobile
k1,한국,010-1234-5678
k2,한국,01012345678
k3,한국,1012345678
k4,한국,+82 10-2345-6789
k5,한국,0082-10-3456-7890
k6,한국,(010) 4567 8901
u1,미국,617.253.1042
u2,미국,(415) 555-0132
u3,미국,+1 202-555-0143
u4,한국,+1 (650) 253-0000
b1,한국,010-123-456
b2,한국,617.253.1042
b3,,(415) 555-0132
`;

const mapping = (country: string) => `source:
  country: ${country}
identity:
  external_id: member_id
  phone_no: { column: mobile, transform: [phone] }
properties:
  country: 국가
`;

const run = (e: Emulator, dir: string, country: string) =>
  importFile(dir, e.url, "members.csv", MEMBERS, mapping(country));

const phones = (e: Emulator) =>
  Object.fromEntries(e.store.list().map((r) => [r.identity.external_id, r.identity.phone_no]));

const KOREAN = {
  k1: "821012345678",
  k2: "821012345678",
  k3: "821012345678",
  k4: "821023456789",
  k5: "821034567890",
  k6: "821045678901",
};

describe("phones", () => {
  it("with country KR: Korean mobiles in all their forms are sent, US numbers only with +1", async () => {
    const e = await emulator();
    const dir = tempDir();
    const result = await run(e, dir, "KR");
    expect(result.code).toBe(1);
    expect(phones(e)).toEqual({
      ...KOREAN,
      u3: "12025550143",
      u4: "16502530000",
    });
    const dead = readNdjson(join(dir, "dl.ndjson"));
    const refused = (text: string) =>
      `column "mobile": "${text}" is not a valid phone number of KR, the country assumed: written without +country code, a KR number starts with 0 (a number of another country needs its +country code)`;
    expect(dead.map((d) => [d.line, d.error.code, d.error.field, d.error.message])).toEqual([
      [8, "INVALID_IDENTITY", "phone_no", refused("617.253.1042")],
      [9, "INVALID_IDENTITY", "phone_no", refused("(415) 555-0132")],
      [
        12,
        "INVALID_IDENTITY",
        "phone_no",
        'column "mobile": "010-123-456" is not a valid phone number of KR, the country assumed (a number of another country needs its +country code)',
      ],
      [13, "INVALID_IDENTITY", "phone_no", refused("617.253.1042")],
      [14, "INVALID_IDENTITY", "phone_no", refused("(415) 555-0132")],
    ]);
  });

  it("with a per-row country: each number is read in its row's country, and sent as E.164 digits", async () => {
    const e = await emulator();
    const dir = tempDir();
    const perRow = "{ column: 국가, values: { 한국: KR, 미국: US } }";
    const result = await run(e, dir, perRow);
    expect(result.code).toBe(1);
    expect(phones(e)).toEqual({
      ...KOREAN,
      u1: "16172531042",
      u2: "14155550132",
      u3: "12025550143",
      u4: "16502530000",
    });
    const dead = readNdjson(join(dir, "dl.ndjson"));
    expect(dead.map((d) => [d.line, d.error.code, d.error.message])).toEqual([
      [
        12,
        "INVALID_IDENTITY",
        'column "mobile": "010-123-456" is not a valid phone number of KR, the country assumed (a number of another country needs its +country code)',
      ],
      [
        13,
        "INVALID_IDENTITY",
        'column "mobile": "617.253.1042" is not a valid phone number of KR, the country assumed: written without +country code, a KR number starts with 0 (a number of another country needs its +country code)',
      ],
      [
        14,
        "INVALID_IDENTITY",
        'column "mobile": "(415) 555-0132" has no +country code, and column "국가" (source.country) is empty',
      ],
    ]);
  });

  it("a per-row country column the header lacks stops the run before any request", async () => {
    const e = await emulator();
    const dir = tempDir();
    const result = await run(e, dir, "{ column: 나라 }");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"나라" (source.country)');
    expect(e.store.count()).toBe(0);
  });
});
