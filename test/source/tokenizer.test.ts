/**
 * The one CSV tokenizer (src/source/tokenizer.ts) on its own: the same records whatever the chunk
 * size, PostgreSQL's end marker mid-file (issue 21 item 7), and time linear in the input (issue 21
 * item 3), asserted as ratios: a 10× larger input takes at most 12× the time.
 */
import { describe, expect, test } from "vitest";
import { seededRandom } from "../../bench/seeded-random.js";
import { CSV_RULES, type CsvRules, csvRules } from "../../src/source/dialect.js";
import type { CsvParsed } from "../../src/source/record.js";
import { CsvTokenizer, drain } from "../../src/source/tokenizer.js";

/** What the tokenizer reads from `text` given in chunks of `size` characters. */
function* records(
  text: string,
  size: number,
  rules: CsvRules = CSV_RULES,
  maxRecordSize = 8 * 1024 * 1024,
): Generator<CsvParsed> {
  const delimiter = rules.quote === null ? "\t" : ",";
  const tokenizer = new CsvTokenizer(rules, delimiter, maxRecordSize);
  for (let i = 0; i < text.length; i += size) {
    yield* drain(tokenizer, text.slice(i, i + size), false);
  }
  yield* drain(tokenizer, "", true);
}

const tokenize = (...args: Parameters<typeof records>): CsvParsed[] => [...records(...args)];

describe("chunks", () => {
  test("random CSV with quotes, line breaks and bad quotes reads the same in chunks of any size", () => {
    const random = seededRandom(21);
    const pieces = ["a", "b,", ",", '"', '""', "\n", "\r\n", "\r", 'x"y', '","', "é"];
    for (let round = 0; round < 200; round++) {
      let text = "";
      const length = 1 + Math.floor(random() * 60);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
      const whole = tokenize(text, text.length || 1);
      for (const size of [1, 2, 3, 5, 8]) expect(tokenize(text, size)).toEqual(whole);
      const dump = tokenize(text, text.length || 1, csvRules("mysql", "csv"));
      for (const size of [1, 2, 3]) {
        expect(tokenize(text, size, csvRules("mysql", "csv"))).toEqual(dump);
      }
    }
  });
});

describe("PostgreSQL's end-of-data marker in the middle of a file", () => {
  test("each line after it is reported with its line, never dropped in silence", () => {
    const text = "1\ta\n2\tb\n\\.\n3\tc\n\n4\td\n";
    for (const size of [text.length, 1, 2]) {
      const parsed = tokenize(text, size, csvRules("postgres", "tsv"));
      expect(parsed).toEqual([
        { kind: "record", line: 1, cells: ["1", "a"], raw: "1\ta" },
        { kind: "record", line: 2, cells: ["2", "b"], raw: "2\tb" },
        ...[
          [4, "3\tc"],
          [6, "4\td"],
        ].map(([line, raw]) => ({
          kind: "skip",
          line,
          raw,
          error: {
            code: "CSV_AFTER_END",
            message: "a line after the end-of-data marker \\. on line 3",
          },
        })),
      ]);
    }
  });
});

const CHUNK = 64 * 1024;

/**
 * Asserts that reading `make(10 * n)` takes at most 12× the time of reading `make(n)`; a quadratic
 * reader takes about 100×. Time is this process's CPU time, which other processes do not stretch,
 * though on a busy machine they still slow it (shared caches and memory): each text is read three
 * times, interleaved, the least time of each taken, and the whole measured up to five times, until
 * one measurement holds. A linear reader measures 8-11× here; a quadratic one never comes near 12.
 */
function expectLinear(make: (n: number) => string, n: number, rules = CSV_RULES, bound = 0) {
  const texts = [make(n), make(10 * n)];
  const max = bound || (texts[1] as string).length + 1;
  const time = (text: string): number => {
    const start = process.cpuUsage();
    let count = 0; // counted, not kept: keeping them would time the garbage collector
    for (const _ of records(text, CHUNK, rules, max)) count++;
    expect(count).toBeGreaterThan(0);
    const { user, system } = process.cpuUsage(start);
    return user + system;
  };
  time(texts[0] as string); // warm up
  const ratios: number[] = [];
  for (let attempt = 0; attempt < 5 && !ratios.some((r) => r <= 12); attempt++) {
    const best = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    for (let round = 0; round < 3; round++) {
      texts.forEach((text, i) => {
        best[i] = Math.min(best[i] as number, time(text));
      });
    }
    ratios.push((best[1] as number) / (best[0] as number));
  }
  expect(Math.min(...ratios)).toBeLessThanOrEqual(12);
}

describe("time linear in the input", { timeout: 60_000 }, () => {
  test("a line without a line break", () => {
    expectLinear((n) => `a,b\n1,${"x".repeat(n)}`, 2_000_000);
  });

  test("a quoted cell of many lines that closes", () => {
    expectLinear((n) => `a,b\n1,"${"line\n".repeat(n)}"\n2,y\n`, 200_000);
  });

  test("a MySQL dump cell of many short escaped lines", () => {
    expectLinear((n) => `1\t${"ab\\\n".repeat(n)}\n2\tc\n`, 200_000, csvRules("mysql", "tsv"));
  });

  test("a MySQL CSV dump whose every line opens a quote it never closes", () => {
    expectLinear((n) => `a,b\n${'1,"x\n'.repeat(n)}`, 50_000, csvRules("mysql", "csv"));
    const parsed = tokenize(`a,b\n${'1,"x\n'.repeat(3)}`, 4, csvRules("mysql", "csv"));
    expect(parsed.map((p) => [p.kind, p.line])).toEqual([
      ["record", 1],
      ["skip", 2],
      ["skip", 3],
      ["skip", 4],
    ]);
  });

  test("a CSV file whose lines each hold an unclosed quote, bounded at 1,000 characters", () => {
    expectLinear((n) => `a,b\n${'1,"x\n'.repeat(n)}`, 50_000, CSV_RULES, 1_000);
  });
});

describe("the size bound", () => {
  /** The records of `text` read in chunks of 1, 7 and 64 characters: the same whatever the chunking. */
  function bounded(text: string, rules: CsvRules, max: number): CsvParsed[] {
    const [first, ...others] = [64, 7, 1].map((size) => tokenize(text, size, rules, max));
    for (const other of others) expect(other).toEqual(first);
    return first as CsvParsed[];
  }
  const kinds = (parsed: CsvParsed[]) =>
    parsed.map((p) => (p.kind === "skip" ? ["skip", p.line] : [p.line, ...p.cells]));

  test("a record past it outside quotes is skipped to its line's end, its start kept; reading goes on", () => {
    const long = `1,${"x".repeat(300)},${"y".repeat(2_000)}`;
    const parsed = bounded(`a,b\n${long}\n2,"two\nlines"\n3,z\n`, CSV_RULES, 100);
    expect(kinds(parsed)).toEqual([
      [1, "a", "b"],
      ["skip", 2],
      [3, "2", "two\nlines"],
      [5, "3", "z"],
    ]);
    expect(parsed[1]).toEqual({
      kind: "skip",
      line: 2,
      raw: long.slice(0, 100),
      error: {
        code: "CSV_TOO_LONG",
        message:
          "a record starting here is longer than 100 characters; it holds no line break where one was expected: check the format, delimiter and encoding (a record longer than 100 characters: only its first 100 are kept here)",
      },
    });
  });

  test("a quote open past it on the record's first line costs that line alone", () => {
    const parsed = bounded(`a,b\n1,"${"x".repeat(300)}\n2,y\n`, CSV_RULES, 100);
    expect(kinds(parsed)).toEqual([
      [1, "a", "b"],
      ["skip", 2],
      [3, "2", "y"],
    ]);
  });

  test("a bad record's line past it keeps the bad quote's reason", () => {
    const parsed = bounded(`a,b\n1,x"${"y".repeat(300)}\n2,y\n`, CSV_RULES, 100);
    expect(kinds(parsed)).toEqual([
      [1, "a", "b"],
      ["skip", 2],
      [3, "2", "y"],
    ]);
    expect((parsed[1] as { error: { message: string } }).error.message).toMatch(
      /^Invalid Opening Quote: .* \(a record longer than 100 characters: only its first 100 are kept here\)$/,
    );
  });

  test("a dump cell past it is skipped to the end of its record, not of its first line", () => {
    // MySQL's OUTFILE escapes a line break in a value: the cell's lines are not records.
    for (const eol of ["\n", "\r\n"]) {
      const cell = `ab\\${eol}`.repeat(100);
      const text = `1\tok${eol}2\t${cell}victim\tHACKED${eol}3\tc\\\\${eol}`;
      const parsed = bounded(text, csvRules("mysql", "tsv"), 100);
      expect(kinds(parsed)).toEqual([
        [1, "1", "ok"],
        ["skip", 2],
        [103, "3", "c\\"],
      ]);
      expect(parsed[1]).toMatchObject({ raw: `2\tab\\` });
    }
  });

  test("a dump cell past it is skipped even when every chunk ends within an escape", () => {
    const tokenizer = new CsvTokenizer(csvRules("mysql", "tsv"), "\t", 100);
    const parsed = [...drain(tokenizer, "1\tok\n2\tab\\", false)];
    for (let i = 0; i < 100; i++) parsed.push(...drain(tokenizer, "\nab\\", false));
    parsed.push(...drain(tokenizer, "\n\n3\tc\n", true));
    expect(kinds(parsed)).toEqual([
      [1, "1", "ok"],
      ["skip", 2],
      [104, "3", "c"],
    ]);
  });

  test("a PostgreSQL record past it is skipped to its line's end", () => {
    const text = `1\tok\n2\t${"a\\tb".repeat(100)}\n3\tc\n`;
    expect(kinds(bounded(text, csvRules("postgres", "tsv"), 100))).toEqual([
      [1, "1", "ok"],
      ["skip", 2],
      [3, "3", "c"],
    ]);
  });

  test("a record past it at the end of the input is skipped too", () => {
    const parsed = bounded(`a,b\n1,${"x".repeat(300)}`, CSV_RULES, 100);
    expect(kinds(parsed)).toEqual([
      [1, "a", "b"],
      ["skip", 2],
    ]);
  });
});
