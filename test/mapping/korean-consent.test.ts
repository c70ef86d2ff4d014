import { expect, test } from "vitest";
import { applyMapping } from "../../src/mapping/apply.js";
import { parseMapping } from "../../src/mapping/load.js";

// The README's example for Korean consent and gender words.
const MAPPING = `identity:
  external_id: 회원번호
properties:
  df_sms_ads_optin: { column: SMS수신동의, values: { "동의": true, "미동의": false } }
  df_kakao_ads_optin: { column: 카카오수신, values: { "수신": true, "수신거부": false } }
  df_gender: { column: 성별, values: { "남": Male, "여": Female } }
  df_name: { template: "{성} {이름}" }
`;

test("Korean consent and gender words read through values; other words are never guessed", () => {
  const mapping = parseMapping(MAPPING, "m.yaml");
  const map = (cells: Record<string, string>) =>
    applyMapping(mapping, { kind: "row", line: 2, cells: { 회원번호: "M1", ...cells } }, "csv");
  expect(
    map({ SMS수신동의: "동의", 카카오수신: "수신거부", 성별: "여", 성: "김", 이름: "서연" }),
  ).toEqual({
    ok: true,
    update: {
      identity: { external_id: "M1" },
      user_properties: {
        df_sms_ads_optin: true,
        df_kakao_ads_optin: false,
        df_gender: "Female",
        df_name: "김 서연",
      },
    },
  });
  const refused = map({ SMS수신동의: "동의함", 카카오수신: "수신", 성별: "남", 성: "", 이름: "" });
  expect(refused.ok).toBe(false);
  if (!refused.ok) {
    expect(refused.failure.errors).toEqual([
      {
        stage: "mapping",
        code: "UNMAPPED_VALUE",
        field: "df_sms_ads_optin",
        column: "SMS수신동의",
        value: "동의함",
        message: '"동의함" is not in the values table (expected "동의", "미동의")',
      },
    ]);
  }
});
