import { expect, test } from "vitest";
import { show } from "../../../src/mapping/convert/invalid.js";

test("shows values quoted, and truncates long ones", () => {
  expect(show("maybe")).toBe('"maybe"');
  expect(show("x".repeat(100))).toBe(`"${"x".repeat(40)}…" (100 chars)`);
  expect(show(3)).toBe("3");
  expect(show({ a: 1 })).toBe("an object");
  expect(show([1])).toBe("a list");
});
