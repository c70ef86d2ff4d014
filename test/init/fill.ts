/**
 * A draft "kept with its TODO_ filled", as a user would: the placeholders `init` left replaced by
 * the values given (time zone, country) and every TODO_ property renamed; everything else as
 * drafted. Also checks that the draft as written fails only on its placeholders, each explained.
 */
import { expect } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { parseMapping } from "../../src/mapping/load.js";

export interface Fill {
  readonly timezone?: string;
  readonly country?: string;
  readonly columns?: readonly string[];
}

export function fillTodo(draft: string, fill: Fill = {}): string {
  let text = draft;
  if (fill.timezone !== undefined)
    text = text.replace("timezone: TODO_zone", `timezone: ${fill.timezone}`);
  if (fill.country !== undefined)
    text = text.replace("country: TODO_country", `country: ${fill.country}`);
  text = text.replace(/^( {2})TODO_([a-z0-9_]+):/gm, "$1p_$2:");
  return text;
}

/** The draft loads as written, or fails on its placeholders alone, each saying what to write. */
export function loadsOrExplains(
  draft: string,
  file: string,
  identityOnly = false,
): readonly string[] {
  try {
    parseMapping(draft, file, identityOnly);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const issue of error.issues) {
      expect(issue.message).toMatch(/^"TODO_[a-z0-9_]+" is a placeholder left by init: write /);
    }
    return error.issues.map((i) => i.path);
  }
}
