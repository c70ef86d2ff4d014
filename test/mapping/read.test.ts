import { describe, expect, test } from "vitest";
import { csvReader, jsonReader } from "../../src/mapping/read.js";

describe("readers", () => {
  test("CSV reads the column name as is, dots included", () => {
    expect(csvReader("a.b")({ "a.b": "x", a: { b: "y" } })).toBe("x");
  });

  test("NDJSON follows a dotted path", () => {
    expect(jsonReader("user.address.city")({ user: { address: { city: "Seoul" } } })).toBe("Seoul");
  });

  test("NDJSON: a missing step, null or a non-object on the way is absent", () => {
    const read = jsonReader("a.b");
    expect(read({})).toBeUndefined();
    expect(read({ a: null })).toBeUndefined();
    expect(read({ a: "text" })).toBeUndefined();
    expect(read({ a: ["x"] })).toBeUndefined();
  });

  test("never reads inherited properties", () => {
    expect(csvReader("constructor")({})).toBeUndefined();
    expect(jsonReader("a.toString")({ a: {} })).toBeUndefined();
  });
});
