import { expect, test } from "vitest";
import { applyMapping } from "../../src/mapping/apply.js";
import { parseMapping } from "../../src/mapping/load.js";
import { codeBlocks, readDoc } from "../docs/markdown.js";

// The example for Korean consent and gender words in docs/mapping.md, as written there.
const EXAMPLE = codeBlocks(readDoc("docs/mapping.md")).find((b) => b.text.includes("카카오수신"));
const MAPPING = `identity:
  external_id: 회원번호
${EXAMPLE?.text ?? ""}`;

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
