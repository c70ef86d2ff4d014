/**
 * The circuit breaker, for every kind: a file the API refuses whole stops (exit 3) after a bounded
 * number of requests, the rest not attempted; refusals mixed with acceptances do not trip it;
 * --max-error-rate 1 turns it off; a code the guide does not list is dead-lettered and counted.
 * Below, what profiles add: the diagnosis naming the property refused. How batches of events
 * count: breaker-batches.test.ts.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runCli,
  runFlags,
  tempDir,
  write,
} from "./helpers.js";
import { answer, hostileServerPerTest } from "./hostile-server.js";
import { ENV, KINDS, kindFlags, refusingUsers } from "./kinds.js";

const emulator = emulatorPerTest();
const hostile = hostileServerPerTest();

describe.each(KINDS)("the circuit breaker on $program", (kind) => {
  const setup = (count: number) => {
    const dir = tempDir();
    const input = write(dir, kind.file, kind.rows(count));
    return { dir, input, map: write(dir, "m.yaml", kind.mapping) };
  };
  const run = (argv: readonly string[]) =>
    runCli([...argv, ...kind.confirm], ENV, undefined, kind.program);
  const one = kind.counted === "rows" ? "row" : "event";

  it("stops a file the API refuses whole: exit 3 within 40 refusals, the rest not attempted", async () => {
    const e = await kind.refusing(emulator, 5_000, { latencyMs: 2 });
    const { dir, input, map } = setup(5_000);
    const result = await run([input, "--map", map, ...kindFlags(dir, e.url)]);
    expect(result.code).toBe(3);
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy.reason).toBe("breaker");
    expect(report.stoppedBy.message).toMatch(
      new RegExp(
        `^the API refused .*: stopped \\(circuit breaker\\) rather than send every ${one} to be refused; .*fix the mapping or the console`,
      ),
    );
    expect(result.stderr).toContain("circuit breaker");
    expect(report[kind.word]).toBe(0);
    // Reading stopped with the run: the units read and not sent are counted, the rest never read.
    expect(report.rows).toBe(report.deadLettered + report.notAttempted);
    expect(report.notAttempted).toBeGreaterThan(0);
    expect(report.firstNotAttemptedLine).toBeGreaterThan(kind.firstLine + 19);
    expect(report.rows).toBeLessThan(5_000);
    // The units refused are dead-lettered, each with the API's code.
    const letters = readNdjson(join(dir, "dl.ndjson"));
    expect(letters).toHaveLength(report.deadLettered);
    expect(new Set(letters.map((l) => l.error.code))).toEqual(new Set(["40001"]));
    // Until a unit is accepted, 20 requests go at once (slow-start.ts): the breaker trips at the
    // 20th refusal with at most 20 more in flight, and sends nothing after it but the diagnosis'
    // probes (profiles).
    expect(report.deadLettered).toBeGreaterThanOrEqual(20);
    expect(report.deadLettered).toBeLessThanOrEqual(40);
    const probes = e.store.stats().requests - report.deadLettered;
    expect(probes).toBeGreaterThanOrEqual(0);
    expect(probes).toBeLessThanOrEqual(kind.probes);
  });

  it("does not trip on refusals mixed with acceptances: a third of the units refused, the rest delivered", async () => {
    // Every third unit's user is refused: never 20 in a row, never 200 of the last 200.
    const server = await hostile(refusingUsers(kind, (user) => user % 3 === 0));
    const { dir, input, map } = setup(600);
    const result = await run([input, "--map", map, ...kindFlags(dir, server.url)]);
    expect(result.code).toBe(1);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 600,
      [kind.word]: 400,
      deadLettered: 200,
      notAttempted: 0,
      stoppedBy: null,
    });
    const lines = readNdjson(join(dir, "dl.ndjson")).map((l) => l.line);
    expect(lines.sort((a, b) => a - b)).toEqual(
      Array.from({ length: 200 }, (_, k) => kind.firstLine + 3 * k),
    );
  });

  it("--max-error-rate 1 turns it off: every unit is tried and dead-lettered", async () => {
    const e = await kind.refusing(emulator, 150);
    const { dir, input, map } = setup(150);
    const argv = [input, "--map", map, ...kindFlags(dir, e.url)];
    const result = await run([...argv, "--max-error-rate", "1"]);
    expect(result.code).toBe(1);
    expect(e.store.stats().requests).toBe(150);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 150,
      deadLettered: 150,
      stoppedBy: null,
    });
    expect((await run([...argv, "--max-error-rate", "0"])).code).toBe(2);
  });

  it("dead-letters 40402 and a code the guide does not list, keeps the code, and counts the unknown one", async () => {
    const server = await hostile((n, _req, res) => {
      answer(res, 200, n % 4 === 1 ? "49999" : n % 4 === 2 ? "40402" : "20000");
    });
    const { dir, input, map } = setup(8);
    const argv = [input, "--map", map, ...kindFlags(dir, server.url), "--concurrency", "1"];
    const result = await run(argv);
    expect(result.code).toBe(1);
    const letters = readNdjson(join(dir, "dl.ndjson"));
    const line = (i: number) => kind.firstLine + i;
    expect(letters.map((l) => [l.line, l.error.code])).toEqual([
      [line(1), "49999"],
      [line(2), "40402"],
      [line(5), "49999"],
      [line(6), "40402"],
    ]);
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({
      [kind.word]: 4,
      deadLettered: 4,
      unknownCodes: { "49999": 2 },
    });
    expect(result.stdout).toContain(
      "the API answered with codes its guide does not list: 49999 (2 rows)",
    );
  });
});

// What profiles add: a refused row is re-sent with some of its properties to name the one refused.
const MAPPING = `identity:
  external_id: id
properties:
  df_name: name
  tier: tier
  points: { column: points, type: Long }
  ltv: { column: ltv, type: Double }
  city: city
  vip_level: { column: vip, type: Long }
`;
const CATALOG = { tier: "String", points: "Long", ltv: "Double", city: "String" } as const;

/** `rows` users; `ltv(i)` gives row i's ltv cell. */
function members(rows: number, ltv: (i: number) => string = (i) => `${i}.5`): string {
  const lines = ["id,name,tier,points,ltv,city,vip"];
  for (let i = 0; i < rows; i++) lines.push(`u${i},User ${i},gold,${i},${ltv(i)},Seoul,${i % 5}`);
  return `${lines.join("\n")}\n`;
}

function setup(csv: string) {
  const dir = tempDir();
  return { dir, input: write(dir, "users.csv", csv), map: write(dir, "m.yaml", MAPPING) };
}

describe("the circuit breaker's diagnosis on import-profiles", () => {
  it("stops an all-refused file of 5,000 rows within 64 requests and names the unregistered property", async () => {
    const e = await emulator({ catalog: CATALOG, latencyMs: 2 });
    const { dir, input, map } = setup(members(5_000));
    const result = await runCli([input, "--map", map, ...runFlags(dir, e.url, { rate: "2000/s" })]);
    expect(result.code).toBe(3);
    expect(e.store.stats().requests).toBeLessThanOrEqual(64);
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy).toMatchObject({ reason: "breaker", property: "vip_level" });
    expect(report.stoppedBy.message).toContain(
      'the API refuses property "vip_level" (is it registered in the console, as Long?)',
    );
    expect(result.stderr).toContain('the API refuses property "vip_level"');
    expect(report.accepted).toBe(0);
    // Reading stopped with the run: the rows read and not sent are counted, the rest never read.
    expect(report.notAttempted).toBeGreaterThan(0);
    expect(report.firstNotAttemptedLine).toBeGreaterThan(20);
    expect(report.rows).toBe(report.deadLettered + report.notAttempted);
    // The rows refused are dead-lettered as before, each with the API's code.
    const letters = readNdjson(join(dir, "dl.ndjson"));
    expect(letters).toHaveLength(report.deadLettered);
    expect(new Set(letters.map((l) => l.error.code))).toEqual(new Set(["40001"]));
    // The diagnosis is logged, one line per request.
    const probes = readNdjson(join(dir, "log.ndjson")).filter((l) => l.properties !== undefined);
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.length).toBeLessThanOrEqual(4);
  });

  it("names a property registered with another type", async () => {
    const e = await emulator({ catalog: { ...CATALOG, vip_level: "Long", ltv: "Long" } });
    const { dir, input, map } = setup(members(300));
    const result = await runCli([input, "--map", map, ...runFlags(dir, e.url, { rate: "2000/s" })]);
    expect(result.code).toBe(3);
    expect(readJson(join(dir, "report.json")).stoppedBy.message).toContain(
      'the API refuses property "ltv" (is it registered in the console, as Double?); the API\'s message: "VALIDATION_FAILURE: property ltv must be of type Long"',
    );
  });
});
