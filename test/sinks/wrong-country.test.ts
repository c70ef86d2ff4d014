import { describe, expect, test } from "vitest";
import type { RowFailure } from "../../src/errors.js";
import { PhoneCountryWatch, wrongCountryLine } from "../../src/sinks/wrong-country.js";

/** The failure the mapping stage makes of a phone cell refused in the country assumed. */
const refused = (value: string): RowFailure => ({
  stage: "mapping",
  code: "INVALID_IDENTITY",
  message: "not a valid phone number of KR",
  field: "phone_no",
  errors: [
    {
      stage: "mapping",
      code: "INVALID_IDENTITY",
      message: "not a valid phone number of KR",
      field: "phone_no",
      column: "mobile",
      value,
    },
  ],
});

const us = (i: number) => `(617) ${200 + (i % 700)}-${String(i % 10_000).padStart(4, "0")}`;

describe("the phones' country, probably wrong", () => {
  test("a long dry run reads only the first 1,000 refused numbers in other countries, and says so", () => {
    const watch = new PhoneCountryWatch("mobile", "KR", new Set(["-"]));
    for (let i = 0; i < 5_000; i++) watch.row(us(i), refused(us(i)));
    for (let i = 0; i < 5_000; i++) watch.row(`010-${2000 + (i % 7000)}-1234`);
    for (let i = 0; i < 100; i++) watch.row(i % 2 === 0 ? "-" : " ");
    const wrong = watch.result();
    expect(wrong).toMatchObject({ numbers: 10_000, refused: 5_000, examined: 1_000 });
    expect(wrong && wrongCountryLine(wrong)).toBe(
      '5,000 of 10,000 numbers of "mobile" are refused as numbers of KR, and 1,000 of the first 1,000 of them are valid numbers of US: the country is probably wrong ("(617) 200-0000", "(617) 201-0001", "(617) 202-0002", "(617) 203-0003", "(617) 204-0004"); write theirs in source.country',
    );
  });

  test("2 % or fewer valid elsewhere, a +CC number, a number valid nowhere: nothing to say", () => {
    const watch = new PhoneCountryWatch("mobile", "KR");
    for (let i = 0; i < 98; i++) watch.row(`010-${3000 + i}-5678`);
    watch.row(us(1), refused(us(1)));
    watch.row(us(2), refused(us(2)));
    watch.row("+1 617-253-1042", refused("+1 617-253-1042"));
    watch.row("010-12", refused("010-12"));
    expect(watch.result()).toBeUndefined();
    watch.row(us(3), refused(us(3)));
    expect(watch.result()).toMatchObject({ numbers: 103, elsewhere: 3, refused: 4 });
  });
});
