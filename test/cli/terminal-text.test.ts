import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importFile, readNdjson, tempDir } from "./helpers.js";
import { answer, hostileServerPerTest } from "./hostile-server.js";

const hostile = hostileServerPerTest();

/** Sets the window title, clears the screen, and overwrites the line with a forged summary. */
const EVIL = "\u001b]0;pwned\u0007\u001b[2J\r300 accepted\u009b2K\u202e";
/** What a terminal would act on: C0 controls but line feed, DEL, C1, bidi overrides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const ACTED_ON = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

const MAPPING = `identity: { external_id: id }
properties:
  points: { column: "\\e[2Jpoints\\a", type: Long }
`;

describe("text printed for a person", () => {
  it("shows the control characters of the API's messages and of header names, never sends them to the terminal", async () => {
    const server = await hostile((_n, _req, res) => answer(res, 200, "40001", {}, EVIL));
    const dir = tempDir();
    const rows = ["id,\u001b[2Jpoints\u0007"];
    for (let i = 1; i <= 40; i++) rows.push(`u${i},${i === 1 ? "lots" : i}`);
    const result = await importFile(
      dir,
      server.url,
      "members.csv",
      `${rows.join("\n")}\n`,
      MAPPING,
    );
    expect(result.code).toBe(3); // the circuit breaker: every row refused
    const printed = result.stdout + result.stderr;
    expect(printed).not.toMatch(ACTED_ON);
    // Shown as written in JSON, where they came from.
    expect(result.stderr).toContain(
      'the API\'s message: "\\u001b]0;pwned\\u0007\\u001b[2J\\r300 accepted\\u009b2K\\u202e"',
    );
    expect(result.stdout).toContain(
      'top failing columns:\n  \\u001b[2Jpoints\\u0007: 1 row INVALID_VALUE "lots"',
    );
    // The log is JSON that records the message as it was, its controls escaped by JSON.
    const log = readFileSync(join(dir, "log.ndjson"), "utf8");
    expect(log).not.toMatch(ACTED_ON);
    const finished = readNdjson(join(dir, "log.ndjson")).find((l) => l.msg === "import finished");
    expect(finished.report.failingColumns[0].column).toBe("\u001b[2Jpoints\u0007");
    expect(finished.report.stoppedBy.message).toContain(
      `the API's message: ${JSON.stringify(EVIL)}`,
    );
    // The dead letters keep the API's message exactly.
    expect(readNdjson(join(dir, "dl.ndjson")).at(-1).error.message).toContain(EVIL);
  });
});
