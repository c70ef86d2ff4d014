import { describe, expect, test } from "vitest";
import { closest, didYouMean } from "../../src/mapping/suggest.js";

describe("closest", () => {
  test("finds a name that differs by case, spaces or underscores", () => {
    expect(closest("email", ["Email", "name"])).toBe("Email");
    expect(closest("external id", ["external_id", "email"])).toBe("external_id");
  });

  test("finds a small typo", () => {
    expect(closest("propertes", ["source", "identity", "properties"])).toBe("properties");
  });

  test("prefers the one candidate holding every part of the word", () => {
    expect(closest("df_sms_optin", ["df_push_optin", "df_sms_ads_optin"])).toBe("df_sms_ads_optin");
  });

  test("suggests nothing when nothing is close", () => {
    expect(closest("zzz", ["source", "identity"])).toBeUndefined();
    expect(didYouMean("zzz", ["source"])).toBe("");
  });
});
