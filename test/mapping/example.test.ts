import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { applyMapping } from "../../src/mapping/apply.js";
import { loadMapping } from "../../src/mapping/load.js";

const EXAMPLE = fileURLToPath(new URL("../../config/mapping.example.yaml", import.meta.url));

describe("config/mapping.example.yaml", () => {
  test("is a valid mapping", async () => {
    const mapping = await loadMapping(EXAMPLE);
    expect(mapping.source).toEqual({
      format: "csv",
      encoding: "cp949",
      delimiter: ",",
      timezone: "Asia/Seoul",
      country: "KR",
      empty: "omit",
      emptyValues: [],
      header: true,
    });
    expect(mapping.identity.map((r) => [r.name, r.column, r.transforms])).toEqual([
      ["external_id", "회원번호", []],
      ["phone_no", "mobile", ["phone"]],
      ["email", "email", ["trim", "lowercase"]],
    ]);
  });

  test("normalises shorthands, standard types and constants", async () => {
    const mapping = await loadMapping(EXAMPLE);
    const byName = new Map(mapping.properties.map((p) => [p.name, p]));
    expect(byName.get("df_name")).toMatchObject({ kind: "column", type: "String", column: "이름" });
    expect(byName.get("df_birth")).toMatchObject({ type: "Date" });
    expect(byName.get("df_push_ads_optin")).toMatchObject({ type: "Boolean", empty: "null" });
    expect(byName.get("interests")).toMatchObject({ type: "Array of String", split: "|" });
    expect(byName.get("plan")).toMatchObject({ kind: "constant", value: "gold" });
    expect(byName.get("signup_year")).toMatchObject({
      kind: "constant",
      type: "Long",
      value: 2024,
    });
    expect(byName.get("tier")).toMatchObject({ default: "basic" });
  });

  test("maps a member row", async () => {
    const mapping = await loadMapping(EXAMPLE);
    const cells = {
      회원번호: "1001",
      email: "Kim@Example.com",
      mobile: "010-1234-5678",
      이름: "김철수",
      성별: "여",
      birthday: "1990/01/02",
      등급: " gold ",
      sms_agree: "예",
      push_agree: "",
      points: "1,200",
      ltv: "99.5",
      joined: "2024-03-01 09:00",
      last_order: "2024-05-14 오후 3:05:12",
      total: "'₩1,405,300",
      city: "Seoul",
      street: "",
      tags: "golf|wine",
      coupons: "1,2",
      ratings: "4.5; 3",
      tier: "",
    };
    const result = applyMapping(mapping, { kind: "row", line: 2, cells }, "csv");
    expect(result).toEqual({
      ok: true,
      update: {
        identity: { external_id: "1001", phone_no: "821012345678", email: "kim@example.com" },
        user_properties: {
          df_name: "김철수",
          df_gender: "Female",
          df_birth: "1990-01-02",
          df_membership: "GOLD",
          df_sms_ads_optin: true,
          df_push_ads_optin: null,
          points: 1200,
          ltv: 99.5,
          joined_at: "2024-03-01T00:00:00.000Z",
          last_order_at: "2024-05-14T06:05:12.000Z",
          total_spent: 1405300,
          address: "Seoul",
          interests: ["golf", "wine"],
          coupon_ids: [1, 2],
          ratings: [4.5, 3],
          plan: "gold",
          signup_year: 2024,
          tier: "basic",
        },
      },
    });
  });

  test("df_gender's default is for an empty 성별 only; an unknown one is UNMAPPED_VALUE", async () => {
    const mapping = await loadMapping(EXAMPLE);
    const gender = (성별: string) =>
      applyMapping(mapping, { kind: "row", line: 2, cells: { 회원번호: "1", 성별 } }, "csv");
    expect(gender("")).toMatchObject({
      ok: true,
      update: { user_properties: { df_gender: "Other" } },
    });
    expect(gender(" 여 ")).toMatchObject({
      ok: true,
      update: { user_properties: { df_gender: "Female" } },
    });
    expect(gender("기타")).toMatchObject({
      ok: false,
      failure: { code: "UNMAPPED_VALUE", field: "df_gender" },
    });
  });
});
