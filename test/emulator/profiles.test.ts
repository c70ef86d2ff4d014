import { describe, expect, it } from "vitest";
import { ProfileRegistry, sharesIdentifier } from "../../src/emulator/profiles.js";

describe("the unified profiles", () => {
  it("creates a profile of every identifier an identity names, one identifier being enough", () => {
    const profiles = new ProfileRegistry();
    expect(profiles.link({ email: "k@x.io", external_id: "u1", phone_no: "821012345678" })).toBe(
      undefined,
    );
    expect(profiles.link({ kakao_user_id: "kk" })).toBeUndefined();
    expect(profiles.list()).toEqual([
      { external_id: "u1", phone_no: "821012345678", email: "k@x.io" },
      { kakao_user_id: "kk" },
    ]);
    expect(profiles.profileOf("phone_no", "821012345678")).toEqual({
      external_id: "u1",
      phone_no: "821012345678",
      email: "k@x.io",
    });
  });

  it("adds new identifiers to the profile found, and a new value replaces the old one", () => {
    const profiles = new ProfileRegistry();
    profiles.link({ external_id: "u1", email: "old@x.io" });
    profiles.link({ email: "old@x.io", line_user_id: "ln" });
    profiles.link({ external_id: "u1", email: "new@x.io" });
    expect(profiles.list()).toEqual([{ external_id: "u1", email: "new@x.io", line_user_id: "ln" }]);
    expect(profiles.profileOf("email", "old@x.io")).toBeUndefined();
    profiles.link({ email: "old@x.io" });
    expect(profiles.list()).toHaveLength(2);
  });

  it("refuses an identity held by two profiles and changes nothing", () => {
    const profiles = new ProfileRegistry();
    profiles.link({ external_id: "u1" });
    profiles.link({ email: "b@x.io" });
    const problem = profiles.link({ external_id: "u1", email: "b@x.io", phone_no: "8210" });
    expect(problem).toBe(
      "identity names two profiles: external_id u1 is on one, email b@x.io on another",
    );
    expect(profiles.list()).toEqual([{ external_id: "u1" }, { email: "b@x.io" }]);
    expect(profiles.remove({ external_id: "u1", email: "b@x.io" })).toEqual({ problem });
    expect(profiles.list()).toHaveLength(2);
  });

  it("links and matches nothing by an empty identifier", () => {
    const profiles = new ProfileRegistry();
    profiles.link({ external_id: "u1", email: "" });
    profiles.link({ external_id: "u2", email: "" });
    expect(profiles.list()).toEqual([{ external_id: "u1" }, { external_id: "u2" }]);
    expect(profiles.profileOf("email", "")).toBeUndefined();
  });

  it("removes the profile found and names its identifiers with the identity's own", () => {
    const profiles = new ProfileRegistry();
    profiles.link({ external_id: "u1", email: "a@x.io" });
    profiles.link({ external_id: "u2" });
    expect(profiles.remove({ email: "a@x.io", phone_no: "8210" })).toEqual({
      person: [
        ["external_id", "u1"],
        ["email", "a@x.io"],
        ["phone_no", "8210"],
      ],
    });
    expect(profiles.list()).toEqual([{ external_id: "u2" }]);
    expect(profiles.profileOf("external_id", "u1")).toBeUndefined();
  });

  it("removes nobody for an identity no profile holds, and names the identity's identifiers", () => {
    const profiles = new ProfileRegistry();
    profiles.link({ external_id: "u1" });
    expect(profiles.remove({ external_id: "gone", email: "" })).toEqual({
      person: [["external_id", "gone"]],
    });
    expect(profiles.list()).toEqual([{ external_id: "u1" }]);
  });
});

describe("sharesIdentifier", () => {
  it("is true for one identifier in common, same field and value", () => {
    const person = [
      ["external_id", "u1"],
      ["email", "a@x.io"],
    ] as const;
    expect(sharesIdentifier({ email: "a@x.io", phone_no: "1" }, person)).toBe(true);
    expect(sharesIdentifier({ phone_no: "u1" }, person)).toBe(false);
    expect(sharesIdentifier({ external_id: "u2" }, person)).toBe(false);
  });
});
