/**
 * How a CSV/TSV file is laid out, found from its first lines when not given: whether its first
 * line is a header or already data (a database dump has none), and whether it is written in a
 * database's dialect (`\N` for NULL, backslash escapes: PostgreSQL `COPY`, MySQL `INTO OUTFILE`).
 */
import type { Dialect } from "../source/dialect.js";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMBER = /^[+-]?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * Why the first row is data and not column names (a NULL, an e-mail address, numbers or dates in
 * half its cells, a repeated cell), or undefined when it reads as a header.
 */
export function firstRowIsData(cells: readonly string[]): string | undefined {
  // A NULL or an e-mail address is no column's name; numbers and dates may be (a pivot's years),
  // so they tell only when they fill half the line.
  const strong = cells.filter((c) => c === "\\N" || EMAIL.test(c)).length;
  const weak = (c: string) => NUMBER.test(c) || DATE.test(c);
  const told = strong > 0 || cells.filter(weak).length >= cells.length / 2;
  const data = told ? cells.filter((c) => c === "\\N" || EMAIL.test(c) || weak(c)) : [];
  if (data.length > 0) {
    return `the first line is data, not column names: ${data
      .slice(0, 3)
      .map((c) => JSON.stringify(c))
      .join(", ")}`;
  }
  if (new Set(cells).size < cells.length) return "the first line repeats a cell: data, not names";
  return undefined;
}

/** Generated names for a file without a header: `column_1`, `column_2`… */
export function generatedColumns(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `column_${i + 1}`);
}

/**
 * A database dump's dialect from the first lines (text, as decoded) and the delimiter: `\N` cells
 * or backslash escapes without any quote; MySQL when it writes `\0` or `\Z`, else PostgreSQL (the
 * two read the other escapes alike).
 */
export function findDialect(
  lines: readonly string[],
  delimiter: string,
): { name: Dialect; evidence: string } | undefined {
  const cells = lines.flatMap((l) => l.split(delimiter));
  const nulls = cells.filter((c) => c === "\\N").length;
  const escapes = lines.filter((l) => /\\[tnr\\]|\\$/.test(l)).length;
  const quoted = cells.some((c) => c.startsWith('"'));
  if (nulls === 0 && (escapes === 0 || quoted)) return undefined;
  const mysql = lines.some((l) => /\\[0Z]/.test(l));
  const found = [
    nulls > 0 ? `${nulls} \\N cells (NULL)` : "",
    escapes > 0 ? `backslash escapes on ${escapes} lines` : "",
  ]
    .filter((s) => s !== "")
    .join(" and ");
  return mysql
    ? { name: "mysql", evidence: `${found}, and \\0 or \\Z: a MySQL dump` }
    : {
        name: "postgres",
        evidence: `${found}: a database dump (PostgreSQL COPY; MySQL INTO OUTFILE reads alike here)`,
      };
}
