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

const emulator = emulatorPerTest();
const hostile = hostileServerPerTest();

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

describe("the circuit breaker", () => {
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

  it("does not trip on mixed permanent failures: a third of the rows refused, the rest delivered", async () => {
    // ltv registered as Long: rows with a whole ltv are accepted, the others refused.
    const e = await emulator({ catalog: { ...CATALOG, vip_level: "Long", ltv: "Long" } });
    const { dir, input, map } = setup(members(600, (i) => (i % 3 === 0 ? `${i}.5` : `${i}`)));
    const result = await runCli([input, "--map", map, ...runFlags(dir, e.url, { rate: "2000/s" })]);
    expect(result.code).toBe(1);
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({ rows: 600, accepted: 400, deadLettered: 200, stoppedBy: null });
  });

  it("--max-error-rate 1 turns it off: every row is sent", async () => {
    const e = await emulator({ catalog: CATALOG });
    const { dir, input, map } = setup(members(150));
    const argv = [input, "--map", map, ...runFlags(dir, e.url, { rate: "2000/s" })];
    const result = await runCli([...argv, "--max-error-rate", "1"]);
    expect(result.code).toBe(1);
    expect(e.store.stats().requests).toBe(150);
    expect((await runCli([...argv, "--max-error-rate", "0"])).code).toBe(2);
  });
});

describe("result codes", () => {
  it("dead-letters 40402 and a code the guide does not list, keeps the code, and counts the unknown one", async () => {
    const server = await hostile((n, _req, res) => {
      answer(res, 200, n % 4 === 1 ? "49999" : n % 4 === 2 ? "40402" : "20000");
    });
    const { dir, input, map } = setup(members(8));
    const result = await runCli([
      input,
      "--map",
      map,
      ...runFlags(dir, server.url, { rate: "2000/s" }),
      "--concurrency",
      "1",
    ]);
    expect(result.code).toBe(1);
    const letters = readNdjson(join(dir, "dl.ndjson"));
    expect(letters.map((l) => [l.line, l.error.code])).toEqual([
      [3, "49999"],
      [4, "40402"],
      [7, "49999"],
      [8, "40402"],
    ]);
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({ accepted: 4, deadLettered: 4, unknownCodes: { "49999": 2 } });
    expect(result.stdout).toContain(
      "the API answered with codes its guide does not list: 49999 (2 rows)",
    );
  });
});
