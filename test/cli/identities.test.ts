/**
 * The identities and delete commands end to end against the emulator, through `dfinery-import`
 * as a user types them: the exact bodies received, the unified profiles and events left after,
 * invalid identities, the --yes guard, dry runs, a dead-letter file of the other command. What
 * every kind does (delivery, replays with and without --map, state, resume, signals): the suites
 * over kinds.ts.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IDENTITIES_PATH } from "../../src/api/dfinery.js";
import { EVENTS_PATH } from "../../src/api/events.js";
import { IDENTITIES_DELETE_PATH } from "../../src/api/identities.js";
import type { Emulator } from "../../src/emulator/index.js";
import { post } from "../emulator/helpers.js";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runCli,
  runFlags,
  tempDir,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

/** A CRM export of members: one person a row, three identifiers each (one may be empty). */
const MEMBERS = `member_id,email,mobile
m1,kim@example.com,821012345678
m2,lee@example.com,
m3,park@example.com,821055512345
`;

const IDENTITY_MAPPING = `identity:
  external_id: member_id
  email: email
  phone_no: mobile
`;

const KIM = { external_id: "m1", email: "kim@example.com", phone_no: "821012345678" };
const LEE = { external_id: "m2", email: "lee@example.com" };
const PARK = { external_id: "m3", email: "park@example.com", phone_no: "821055512345" };

/** `dfinery-import <command> <input> --map <mapping> …` against the emulator at `url`. */
function dfinery(
  command: "identities" | "delete",
  dir: string,
  input: string,
  map: string | null,
  url: string,
  extra: readonly string[] = [],
) {
  const mapFlags = map === null ? [] : ["--map", map];
  const flags = runFlags(dir, url, { rate: "1000/s" });
  return runCli(
    [input, ...mapFlags, ...flags, ...extra],
    undefined,
    undefined,
    `dfinery-import ${command}`,
  );
}

const bodies = (e: Emulator, endpoint: string) =>
  e.store
    .list()
    .filter((r) => r.endpoint === endpoint)
    .map(({ identity, request_datetime }) => ({ identity, request_datetime }));

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

describe("dfinery-import identities", () => {
  it("links each row's identifiers as one person: one request a row, exactly {identity, request_datetime}", async () => {
    const e = await emulator();
    const dir = tempDir();
    const input = write(dir, "members.csv", MEMBERS);
    const map = write(dir, "identities.yaml", IDENTITY_MAPPING);
    const result = await dfinery("identities", dir, input, map, e.url);
    expect(result.code).toBe(0);
    expect(bodies(e, IDENTITIES_PATH)).toEqual([
      { identity: KIM, request_datetime: ISO },
      { identity: LEE, request_datetime: ISO },
      { identity: PARK, request_datetime: ISO },
    ]);
    expect(e.store.profiles()).toEqual([KIM, LEE, PARK]);
    expect(e.store.profileOf("phone_no", "821055512345")).toEqual(PARK);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 3,
      accepted: 3,
      deadLettered: 0,
      stoppedBy: null,
    });
    expect(result.stdout).toMatch(/3 rows in .*: 3 accepted, 0 unchanged, 0 dead-lettered/);
    expect(existsSync(join(dir, "dl.ndjson"))).toBe(false);
  });

  it("accepts a mapping written with properties: {}, and refuses one with properties, naming the command to use", async () => {
    const e = await emulator();
    const dir = tempDir();
    const input = write(dir, "members.csv", MEMBERS);
    const empty = write(dir, "empty.yaml", `${IDENTITY_MAPPING}properties: {}\n`);
    expect((await dfinery("identities", dir, input, empty, e.url)).code).toBe(0);
    const withProps = write(
      dir,
      "props.yaml",
      `${IDENTITY_MAPPING}properties:\n  points: { column: mobile, type: Long }\n`,
    );
    const refused = await dfinery("identities", dir, input, withProps, e.url);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "props.yaml: dfinery-import identities maps the identity alone; this mapping has properties: user properties go through `dfinery-import profiles`",
    );
    const events = write(
      dir,
      "events.yaml",
      `${IDENTITY_MAPPING}event:\n  name: { value: df_login }\n  datetime: mobile\n`,
    );
    const refusedEvents = await dfinery("identities", dir, input, events, e.url);
    expect(refusedEvents.code).toBe(2);
    expect(refusedEvents.stderr).toContain("events go through `dfinery-import events`");
    expect(e.store.stats().requests).toBe(3); // the first run's only
  });

  it("dead-letters a row without an identity, and one whose identifiers are two people's (40001), with the reason", async () => {
    const e = await emulator();
    const dir = tempDir();
    const map = write(dir, "identities.yaml", IDENTITY_MAPPING);
    // m1 and m2 are linked first; then a row claims m1's id with m2's email: two people.
    await dfinery("identities", dir, write(dir, "first.csv", MEMBERS), map, e.url);
    const input = write(
      dir,
      "second.csv",
      "member_id,email,mobile,name\n,,,Jung\nm1,lee@example.com,,Lee\nm4,choi@example.com,,Choi\n",
    );
    const result = await dfinery("identities", dir, input, map, e.url);
    expect(result.code).toBe(1);
    const records = readNdjson(join(dir, "dl.ndjson"));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      line: 2,
      payload: null,
      error: { stage: "mapping", code: "NO_IDENTITY" },
      command: "dfinery-import identities",
    });
    expect(records[1]).toMatchObject({
      line: 3,
      row: { member_id: "m1", email: "lee@example.com", name: "Lee" },
      payload: { identity: { external_id: "m1", email: "lee@example.com" } },
      error: { stage: "api", code: "40001" },
      command: "dfinery-import identities",
    });
    expect(records[1].error.message).toContain("two profiles");
    expect(e.store.profileOf("external_id", "m1")).toEqual(KIM); // nothing merged
    expect(e.store.profileOf("email", "choi@example.com")).toEqual({
      external_id: "m4",
      email: "choi@example.com",
    });
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 3,
      accepted: 1,
      deadLettered: 2,
    });
  });

  it("refuses, without --map, a dead-letter file another command wrote: nothing is sent", async () => {
    const e = await emulator();
    const dir = tempDir();
    const record = {
      line: 2,
      row: { member_id: "m1" },
      payload: { identity: { external_id: "m1" } },
      error: { stage: "api", code: "50000", message: "server error" },
      attempts: 6,
      at: "2026-12-01T00:00:00.000Z",
      format: "csv",
      command: "dfinery-import identities",
    };
    const file = write(dir, "links.dead-letter.ndjson", `${JSON.stringify(record)}\n`);
    const result = await dfinery("delete", dir, file, null, e.url, ["--yes"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "written by dfinery-import identities (its payload is an identity to link): replay the file with dfinery-import identities, not dfinery-import delete",
    );
    const untagged = write(
      dir,
      "old.ndjson",
      `${JSON.stringify({ ...record, command: undefined })}\n`,
    );
    const old = await dfinery("delete", dir, untagged, null, e.url, ["--yes"]);
    expect(old.code).toBe(2);
    expect(old.stderr, old.stderr).toContain("names no command");
    expect(e.store.stats().requests).toBe(0);
  });
});

describe("dfinery-import delete", () => {
  /** An emulator holding KIM, LEE and PARK linked, with a profile update and an event each. */
  async function populated(): Promise<Emulator> {
    const e = await emulator();
    const dir = tempDir();
    const map = write(dir, "identities.yaml", IDENTITY_MAPPING);
    expect((await dfinery("identities", dir, write(dir, "m.csv", MEMBERS), map, e.url)).code).toBe(
      0,
    );
    const datetime = "2026-12-01T00:00:00.000Z";
    for (const [n, person] of [KIM, LEE, PARK].entries()) {
      const profile = await post(e.url, {
        body: {
          identity: { external_id: person.external_id },
          user_properties: { grade: "gold" },
          request_datetime: datetime,
        },
      });
      expect(profile.body.code).toBe("20000");
      const id = `00000000-0000-4000-8000-00000000000${n}`;
      const event = await post(e.url, {
        path: EVENTS_PATH,
        body: {
          common: { identity: { email: person.email } },
          events: [
            {
              event_log_id: id,
              event_name: "df_login",
              event_datetime: datetime,
              event_properties: {},
            },
          ],
        },
      });
      expect(event.body.code).toBe("20000");
    }
    expect(e.store.events()).toHaveLength(3);
    return e;
  }

  it("is refused without --yes: exit 2, saying what --yes means; nothing is read, nothing sent", async () => {
    const e = await emulator();
    const dir = tempDir();
    const map = write(dir, "identities.yaml", IDENTITY_MAPPING);
    // The input does not even exist: it is never opened.
    const result = await dfinery("delete", dir, join(dir, "absent.csv"), map, e.url);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "delete removes every person of its input from DFINERY for good, with their profile and events: give --yes to confirm",
    );
    expect(e.store.stats().requests).toBe(0);
    expect(existsSync(join(dir, "report.json"))).toBe(false);
  });

  it("--dry-run counts the people it would delete, without --yes, and sends nothing", async () => {
    const e = await emulator();
    const dir = tempDir();
    const input = write(dir, "leavers.csv", MEMBERS);
    const map = write(dir, "identities.yaml", IDENTITY_MAPPING);
    const result = await dfinery("delete", dir, input, map, e.url, ["--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/dry run: 3 rows in .*: 3 to delete, 0 unchanged/);
    expect(readJson(join(dir, "report.json"))).toMatchObject({ rows: 3, deleted: 3, dryRun: true });
    expect(e.store.stats().requests).toBe(0);
  });

  it("removes each person's unified profile, profile updates and events; the summary and report say deleted", async () => {
    const e = await populated();
    const dir = tempDir();
    const input = write(
      dir,
      "leavers.csv",
      "email\nkim@example.com\npark@example.com\nnobody@example.com\n",
    );
    const map = write(dir, "leavers.yaml", "identity:\n  email: email\n");
    const result = await dfinery("delete", dir, input, map, e.url, ["--yes"]);
    expect(result.code).toBe(0);
    expect(bodies(e, IDENTITIES_DELETE_PATH)).toEqual([
      { identity: { email: "kim@example.com" }, request_datetime: ISO },
      { identity: { email: "park@example.com" }, request_datetime: ISO },
      { identity: { email: "nobody@example.com" }, request_datetime: ISO },
    ]);
    expect(e.store.profiles()).toEqual([LEE]);
    expect(e.store.events().map((s) => s.identity)).toEqual([{ email: "lee@example.com" }]);
    expect(e.store.last("external_id", "m1")).toBeUndefined();
    expect(e.store.last("external_id", "m2")).toEqual({ grade: "gold" });
    expect(result.stdout).toMatch(/3 rows in .*: 3 deleted, 0 unchanged, 0 dead-lettered/);
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({ rows: 3, deleted: 3, deadLettered: 0, stoppedBy: null });
    expect(report).not.toHaveProperty("accepted");
  });
});
