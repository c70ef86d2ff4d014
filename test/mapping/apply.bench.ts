import { bench, describe } from "vitest";
import { applyMapping } from "../../src/mapping/apply.js";
import { parseMapping } from "../../src/mapping/load.js";
import type { SourceRow } from "../../src/source/types.js";

// Run: npx vitest bench test/mapping --run   (rows/s = the hz column)
const EIGHT_COLUMNS = `
source: { timezone: Asia/Seoul }
identity:
  external_id: id
  email: { column: email, transform: [trim, lowercase] }
properties:
  df_name: name
  df_gender: { column: gender, values: { M: Male, F: Female } }
  df_sms_ads_optin: sms
  points: { column: points, type: Long }
  ltv: { column: ltv, type: Double }
  joined_at: { column: joined, type: Datetime }
`;

const mapping = parseMapping(EIGHT_COLUMNS, "bench.yaml");
const withPhone = parseMapping(
  EIGHT_COLUMNS.replace(
    "identity:\n",
    "identity:\n  phone_no: { column: mobile, transform: [phone] }\n",
  ),
  "bench.yaml",
);

const rows: SourceRow[] = Array.from({ length: 10_000 }, (_, i) => ({
  kind: "row",
  line: i + 2,
  cells: {
    id: `u${i}`,
    email: ` User${i}@Example.com `,
    mobile: `010-${String(1000 + (i % 9000))}-${String(1000 + ((i * 7) % 9000))}`,
    name: `홍길동${i}`,
    gender: i % 2 === 0 ? "M" : "F",
    sms: i % 3 === 0 ? "Y" : "N",
    points: `${(i * 37).toLocaleString("en-US")}`,
    ltv: `${i}.5`,
    joined: `2024-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")} 09:${String(i % 60).padStart(2, "0")}`,
  },
}));

describe("applyMapping, 10,000 CSV rows per iteration", () => {
  bench("8 columns", () => {
    for (const row of rows) applyMapping(mapping, row, "csv");
  });
  bench("8 columns + phone identity", () => {
    for (const row of rows) applyMapping(withPhone, row, "csv");
  });
});
