import { describe, expect, test } from "vitest";
import { csvReader, jsonReader, keepingJsonReader } from "../../src/mapping/read.js";

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

  test("NDJSON: a number steps into an array, written a.0.b or a[0].b", () => {
    const cells = { addresses: [{ city: "Seoul" }, { city: "Busan" }], tags: ["x", "y"] };
    expect(jsonReader("addresses.1.city")(cells)).toBe("Busan");
    expect(jsonReader("addresses[0].city")(cells)).toBe("Seoul");
    expect(jsonReader("tags[1]")(cells)).toBe("y");
    expect(jsonReader("tags.2")(cells)).toBeUndefined();
    expect(jsonReader("tags.01")(cells)).toBeUndefined();
    expect(jsonReader("tags.length")(cells)).toBeUndefined();
    expect(jsonReader("m.0")({ m: { "0": "key zero" } })).toBe("key zero");
  });

  test("never reads inherited properties", () => {
    expect(csvReader("constructor")({})).toBeUndefined();
    expect(csvReader("toString")({ name: "x" })).toBeUndefined();
    expect(csvReader("__proto__")({ name: "x" })).toBeUndefined();
    expect(jsonReader("a.toString")({ a: {} })).toBeUndefined();
    expect(jsonReader("hasOwnProperty")({})).toBeUndefined();
    // A column of such a name is read when the row has it.
    expect(csvReader("constructor")({ constructor: "c" })).toBe("c");
    expect(csvReader("__proto__")(JSON.parse('{"__proto__": "p"}'))).toBe("p");
    expect(csvReader("name")({ name: "x" })).toBe("x");
  });
});

describe("key/value lookups in NDJSON paths", () => {
  const params = {
    event_params: [
      { key: "ga_session_id", value: { int_value: "1717899000" } },
      { key: "page_location", value: { string_value: "https://a.example/1" } },
      { key: "page_location", value: { string_value: "https://a.example/2" } },
      { key: 7, value: { string_value: "seven" } },
    ],
  };

  test("[key=text] steps to the first element whose key is the text, in any order", () => {
    const read = jsonReader("event_params[key=page_location].value.string_value");
    expect(read(params)).toBe("https://a.example/1");
    expect(jsonReader("event_params[key=ga_session_id].value.int_value")(params)).toBe(
      "1717899000",
    );
  });

  test("a key written as a number matches its text; no element, or no list, is absent", () => {
    expect(jsonReader("event_params[key=7].value.string_value")(params)).toBe("seven");
    expect(jsonReader("event_params[key=value].value.double_value")(params)).toBeUndefined();
    expect(jsonReader("event_params[key=x].value")({ event_params: { key: "x" } })).toBeUndefined();
    expect(jsonReader("event_params[key=x].value")({})).toBeUndefined();
  });
});

describe("one reader a path", () => {
  test("is shared, and reads the record its keeping reader read last without looking at it again", () => {
    expect(jsonReader("shared.path")).toBe(jsonReader("shared.path"));
    expect(keepingJsonReader("shared.path")).toBe(keepingJsonReader("shared.path"));
    const keep = keepingJsonReader("stats.points");
    const read = jsonReader("stats.points");
    const looked: string[] = [];
    const record = (points: number) =>
      new Proxy({ stats: { points } } as Record<string, unknown>, {
        get: (target, key) => {
          looked.push(String(key));
          return target[key as string];
        },
        getOwnPropertyDescriptor: (target, key) => Reflect.getOwnPropertyDescriptor(target, key),
      });
    const first = record(1);
    const second = record(2);
    expect(keep(first)).toBe(1);
    const once = looked.length;
    expect(once).toBeGreaterThan(0);
    expect(read(first)).toBe(1); // the presence count, then the mapping: one look
    expect(looked.length).toBe(once);
    expect(read(second)).toBe(2); // a record not kept is looked at, and not kept
    const twice = looked.length;
    expect(twice).toBeGreaterThan(once);
    expect(read(second)).toBe(2);
    expect(looked.length).toBeGreaterThan(twice);
    expect(read(first)).toBe(1);
    expect(keep(second)).toBe(2);
    expect(read(second)).toBe(2);
    expect(read(first)).toBe(1);
    expect(jsonReader("stats.points")(second)).toBe(2);
  });
});
