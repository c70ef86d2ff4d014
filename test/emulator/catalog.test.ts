import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENDER_VALUES, type PropertyType, STANDARD_PROPERTIES } from "../../src/api/dfinery.js";
import { catalogProblems, type Emulator, startEmulator } from "../../src/emulator/index.js";
import { post, withProperties } from "./helpers.js";

/** One registered property per type, with a value that fits and one that does not. */
const CASES: readonly (readonly [PropertyType, string, unknown, unknown])[] = [
  ["String", "p_string", "gold", 1],
  ["Long", "p_long", 42, 4.2],
  ["Double", "p_double", 4.2, "4.2"],
  ["Boolean", "p_boolean", true, "true"],
  ["Datetime", "p_datetime", "2023-08-15T12:30:00Z", "2023-08-15 12:30:00"],
  ["Date", "p_date", "2023-08-15", "2023-02-30"],
  ["Array of String", "p_strings", ["a", "b"], ["a", 1]],
  ["Array of Long", "p_longs", [0, 1], [0, 1.5]],
  ["Array of Double", "p_doubles", [0.5, 1], ["0.5"]],
];
const CATALOG = Object.fromEntries(CASES.map(([type, name]) => [name, type]));

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ limit: null, catalog: CATALOG });
});
afterAll(() => emulator.close());

const send = (properties: Record<string, unknown>) =>
  post(emulator.url, { body: withProperties(properties) });

describe("with a catalog", () => {
  it("refuses an unregistered property, naming it", async () => {
    const reply = await send({ p_string: "ok", nickname: "kim" });
    expect(reply.body).toMatchObject({ status: false, code: "40001" });
    expect(reply.body.message).toMatch(/property nickname is not registered/);
  });

  it.each(CASES)(
    "refuses a wrong value for a %s property, naming it",
    async (type, name, _, bad) => {
      const reply = await send({ [name]: bad });
      expect(reply.body.code).toBe("40001");
      expect(reply.body.message).toContain(`property ${name} must be of type ${type}`);
    },
  );

  it.each(CASES)("accepts a right value for a %s property", async (_, name, good) => {
    expect((await send({ [name]: good })).body.code).toBe("20000");
  });

  it("accepts null for every type: it clears the property", async () => {
    const nulls = Object.fromEntries(CASES.map(([, name]) => [name, null]));
    expect((await send(nulls)).body.code).toBe("20000");
  });

  it("keeps the standard and consent properties registered", async () => {
    const reply = await send({
      df_name: "Kim",
      df_gender: "Male",
      df_birth: "1999-01-01",
      df_membership: "VIP",
      df_push_optin: true,
      df_push_ads_optin: false,
      df_sms_ads_optin: null,
      df_kakao_ads_optin: true,
      df_push_night_ads_optin: false,
    });
    expect(reply.body.code).toBe("20000");
  });

  it.each(GENDER_VALUES)("accepts df_gender %s", async (gender) => {
    expect((await send({ df_gender: gender })).body.code).toBe("20000");
  });

  it.each(["female", "M", "Unknown", ""])("refuses df_gender %j", async (gender) => {
    const reply = await send({ df_gender: gender });
    expect(reply.body.code).toBe("40001");
    expect(reply.body.message).toMatch(/df_gender must be one of Male, Female, NonBinary, Other/);
  });
});

describe("catalogProblems", () => {
  it("accepts every documented type name", () => {
    expect(catalogProblems(CATALOG)).toEqual([]);
  });

  it("names each property with an unknown type", () => {
    expect(catalogProblems({ points: "Integer", ok: "Long", when: 3 })).toEqual([
      expect.stringMatching(/^property points has unknown type "Integer"/),
      expect.stringMatching(/^property when has unknown type 3/),
    ]);
  });

  it("refuses a standard property with another type", () => {
    expect(catalogProblems({ df_push_optin: "String" })).toEqual([
      "property df_push_optin is a standard property of type Boolean, not String",
    ]);
    expect(catalogProblems({ df_name: STANDARD_PROPERTIES.df_name })).toEqual([]);
  });

  it("refuses a catalog that is not an object", () => {
    expect(catalogProblems(["a"])).toHaveLength(1);
  });
});
