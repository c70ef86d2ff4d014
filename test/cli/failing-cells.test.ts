import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readJson, readNdjson, runCli, tempDir, write } from "./helpers.js";

const MAPPING = `source: { timezone: Asia/Seoul }
identity:
  external_id: 회원번호
properties:
  joined_at: { column: 가입일시, type: Datetime }
  df_sms_ads_optin: { column: 수신동의, type: Boolean }
  points: { column: 포인트, type: Long }
`;

describe("every problem of a row at once", () => {
  it("a dead letter lists every failing cell, and the summary the top failing columns", async () => {
    const dir = tempDir();
    const rows = ["회원번호,가입일시,수신동의,포인트"];
    for (let i = 1; i <= 6; i++) {
      const points = i === 1 ? "12.5" : String(i * 100);
      const consent = i <= 2 ? "수신" : "Y";
      rows.push(`M${i},2024-05-14 오후 3:0${i}:12,${consent},${points}`);
    }
    rows.push("M7,2024-05-14 15:07:12,Y,700");
    const input = write(dir, "members.csv", `${rows.join("\n")}\n`);
    const map = write(dir, "m.yaml", MAPPING);
    const deadLetter = join(dir, "dl.ndjson");
    const report = join(dir, "report.json");
    const result = await runCli(
      [
        input,
        "--map",
        map,
        "--dry-run",
        "--dead-letter",
        deadLetter,
        "--report",
        report,
        "--log",
        join(dir, "log"),
      ],
      {},
    );
    expect(result.code).toBe(1);
    const [first] = readNdjson(deadLetter);
    expect(first.error).toEqual({
      stage: "mapping",
      code: "INVALID_VALUE",
      field: "joined_at",
      message:
        'column "가입일시": "2024-05-14 오후 3:01:12" is not a Datetime (expected a date-time such as 2024-03-01T09:00:00+09:00, 2024-03-01T00:00:00Z or 2024-03-01 09:00); ' +
        'column "수신동의": "수신" is not a Boolean (expected true/false, yes/no, y/n, 1/0, 예/아니오); ' +
        'column "포인트": "12.5" is not a Long (expected an integer such as 42, -5 or 1,555,144)',
    });
    expect(first.errors).toEqual([
      {
        stage: "mapping",
        code: "INVALID_VALUE",
        field: "joined_at",
        column: "가입일시",
        value: "2024-05-14 오후 3:01:12",
        message:
          '"2024-05-14 오후 3:01:12" is not a Datetime (expected a date-time such as 2024-03-01T09:00:00+09:00, 2024-03-01T00:00:00Z or 2024-03-01 09:00)',
      },
      {
        stage: "mapping",
        code: "INVALID_VALUE",
        field: "df_sms_ads_optin",
        column: "수신동의",
        value: "수신",
        message: '"수신" is not a Boolean (expected true/false, yes/no, y/n, 1/0, 예/아니오)',
      },
      {
        stage: "mapping",
        code: "INVALID_VALUE",
        field: "points",
        column: "포인트",
        value: "12.5",
        message: '"12.5" is not a Long (expected an integer such as 42, -5 or 1,555,144)',
      },
    ]);
    expect(result.stdout).toContain(
      [
        "top failing columns:",
        '  가입일시: 6 rows INVALID_VALUE "2024-05-14 오후 3:01:12"',
        '  수신동의: 2 rows INVALID_VALUE "수신"',
        '  포인트: 1 row INVALID_VALUE "12.5"',
      ].join("\n"),
    );
    expect(readJson(report).failingColumns).toEqual([
      {
        column: "가입일시",
        field: "joined_at",
        code: "INVALID_VALUE",
        rows: 6,
        example: "2024-05-14 오후 3:01:12",
      },
      {
        column: "수신동의",
        field: "df_sms_ads_optin",
        code: "INVALID_VALUE",
        rows: 2,
        example: "수신",
      },
      { column: "포인트", field: "points", code: "INVALID_VALUE", rows: 1, example: "12.5" },
    ]);
  });
});
