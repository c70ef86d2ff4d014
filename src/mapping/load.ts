/**
 * Loading a mapping: YAML → schema (zod) → normalise + cross-field rules. Every problem is
 * reported at once in one ConfigError, each with its dotted path and its line in the file.
 */
import { readFile, stat } from "node:fs/promises";
import { type Document, LineCounter, parseDocument } from "yaml";
import { ConfigError, type ConfigIssue, errnoOf } from "../errors.js";
import { lineOf } from "./locate.js";
import { normalizeMapping } from "./normalize.js";
import { placeholderIssues } from "./placeholder.js";
import { checkValuesKeyNodes } from "./rules.js";
import { MappingSchema, salvage } from "./schema.js";
import type { Mapping, PathIssue } from "./types.js";
import { keyIssues } from "./yaml-keys.js";
import { dropRequiredBehindTypos, fromZod } from "./zod-issues.js";

export { checkColumns } from "./columns.js";

/** One path is a prefix of the other. */
function related(a: PathIssue["path"], b: PathIssue["path"]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `identityOnly`: for a command that maps the identity alone (identities, delete): a mapping
 * without properties is whole.
 */
export async function loadMapping(file: string, identityOnly = false): Promise<Mapping> {
  let text: string;
  try {
    const size = (await stat(file)).size;
    if (size > MAX_MAPPING_BYTES) throw tooLarge(file, size);
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = errnoOf(error);
    throw new ConfigError(file, [
      { path: "", message: `cannot read the mapping file (${reason})` },
    ]);
  }
  if (text.length > MAX_MAPPING_BYTES) throw tooLarge(file, text.length); // a pipe
  return parseMapping(text, file, identityOnly);
}

/** A mapping is a few KB (one line a column); 1 MiB is far beyond any, and parses in well under a second. */
const MAX_MAPPING_BYTES = 1024 * 1024;

function tooLarge(file: string, size: number): ConfigError {
  const mb = (size / 1024 / 1024).toFixed(1);
  return new ConfigError(file, [
    {
      path: "",
      message: `the mapping file is ${mb} MB, over 1 MB: is it the mapping (one line a column)?`,
    },
  ]);
}

/** At most this many aliases are expanded: a few nested aliases can expand to billions of nodes. */
const MAX_ALIAS_COUNT = 100;

/** The document as plain data; an alias bomb (a "billion laughs") is a ConfigError, not a crash. */
function toData(doc: Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw new ConfigError(file, [
      {
        path: "",
        message: `its YAML aliases (*name) expand too much (more than ${MAX_ALIAS_COUNT} times): write the values out`,
      },
    ]);
  }
}

/** Parses and validates a mapping; `file` names it in messages. Throws ConfigError. */
export function parseMapping(text: string, file: string, identityOnly = false): Mapping {
  const lineCounter = new LineCounter();
  // Duplicate keys are found by keyIssues (linear), not by the library (quadratic).
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false });
  const syntax = doc.errors.map((e): ConfigIssue => {
    const line = e.linePos?.[0].line;
    const message = (e.message.split("\n")[0] ?? e.message).replace(
      / at line \d+, column \d+:?$/,
      "",
    );
    return line === undefined ? { path: "", message } : { path: "", line, message };
  });
  const keys = syntax.length > 0 ? [] : keyIssues(doc, lineCounter);
  if (syntax.length > 0 || keys.length > 0) throw new ConfigError(file, [...syntax, ...keys]);
  const data = toData(doc, file);
  if (data === null || data === undefined) {
    throw new ConfigError(file, [
      { path: "", message: "the mapping is empty: it needs identity: and properties:" },
    ]);
  }
  // A TODO_ init left is said as such, not as the schema's problem with it (not a time zone).
  const issues: PathIssue[] = placeholderIssues(data);
  const parsed = MappingSchema.safeParse(data);
  if (!parsed.success) {
    const schema = fromZod(parsed.error.issues, data);
    issues.push(...schema.filter((s) => !issues.some((i) => related(i.path, s.path))));
  }
  // A mapping with an event section is for events even when the schema refused that section.
  const events = typeof data === "object" && data !== null && "event" in data;
  const { mapping, issues: more } = normalizeMapping(
    parsed.success ? parsed.data : salvage(data),
    events,
    identityOnly,
  );
  // A rule may only restate a schema problem (identity.email is invalid → "no identity"): keep the schema's.
  issues.push(...more.filter((rule) => !issues.some((i) => related(i.path, rule.path))));
  // `values: { 01: true }` is read by YAML as the key "1": ask for quotes rather than miss `01`.
  issues.push(...checkValuesKeyNodes(doc));
  if (issues.length > 0) {
    const located = dropRequiredBehindTypos(issues).map((issue): ConfigIssue => {
      const line = lineOf(doc, lineCounter, issue.path);
      const path = issue.path.join(".");
      return line === undefined
        ? { path, message: issue.message }
        : { path, line, message: issue.message };
    });
    located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new ConfigError(file, located);
  }
  return mapping;
}
