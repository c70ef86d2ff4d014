import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emulatorPerTest, readNdjson, runCli, tempDir, write } from "./helpers.js";
import { answer, hostileServerPerTest } from "./hostile-server.js";
import { deadLetterLine, ENV, KINDS } from "./kinds.js";

const emulator = emulatorPerTest();
const hostile = hostileServerPerTest();

describe.each(KINDS)("$program without --map", (kind) => {
  const other = KINDS.find((k) => k.program !== kind.program);
  const run = (input: string, dir: string, url: string) =>
    runCli(
      [
        ...[input, "--endpoint", url, "--service-id", "test-service"],
        ...["--dead-letter", join(dir, "dl"), ...kind.confirm],
      ],
      ENV,
      undefined,
      kind.program,
    );

  it("refuses the other command's dead-letter file, and a file that is none, before any request", async () => {
    if (other === undefined) throw new Error("one kind only");
    const dir = tempDir();
    const e = await emulator(kind.catalog === undefined ? {} : { catalog: kind.catalog });
    const theirs = write(dir, "theirs.dead-letter.ndjson", deadLetterLine(other));
    const wrongWay = await run(theirs, dir, e.url);
    expect(wrongWay.code).toBe(2);
    expect(wrongWay.stderr).toContain(
      `${theirs}:1: this dead-letter record was written by ${other.program} (its payload is ${other.payloadIs}): replay the file with ${other.program}, not ${kind.program}`,
    );
    for (const [name, text] of [
      ["records.ndjson", '{"id":"u1","name":"Kim"}\n'],
      ["broken.ndjson", "not json\n"],
    ] as const) {
      const input = write(dir, name, text);
      const notDeadLetters = await run(input, dir, e.url);
      expect(notDeadLetters.code).toBe(2);
      expect(notDeadLetters.stderr).toContain(
        `${input}:1: without --map, the input must be a dead-letter file of ${kind.program}`,
      );
    }
    const dryRun = await runCli([theirs, "--dry-run"], ENV, undefined, kind.program);
    expect(dryRun.code).toBe(2);
    expect(dryRun.stderr).toContain("--dry-run needs --map");
    expect(e.store.stats().requests).toBe(0);
  });

  it("sends only the API's keys of a stored payload, and refuses a record whose line is not a line", async () => {
    const server = await hostile((_n, _req, res) => answer(res, 200, "20000"));
    const dir = tempDir();
    const payload = { ...kind.payload, service_id: "someone-else", extra: { a: 1 } };
    const lines = [
      deadLetterLine(kind, { payload }),
      ...[-7, 1.5, 0].map((line) => deadLetterLine(kind, { line })),
    ];
    const input = write(dir, "old.dead-letter.ndjson", lines.join(""));
    const result = await run(input, dir, server.url);
    expect(result.code).toBe(1);
    expect(server.requests).toEqual([kind.payloadSent]);
    const failed = readNdjson(join(dir, "dl"));
    expect(failed.map((r) => [r.line, r.error.code])).toEqual([
      [2, "REPLAY_RECORD"],
      [3, "REPLAY_RECORD"],
      [4, "REPLAY_RECORD"],
    ]);
  });
});
