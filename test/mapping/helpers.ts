import { expect } from "vitest";
import { ConfigError, type ConfigIssue } from "../../src/errors.js";
import { parseMapping } from "../../src/mapping/load.js";

/** The issues a mapping is rejected with; fails the test when it loads. */
export function issuesOf(yaml: string): readonly ConfigIssue[] {
  try {
    parseMapping(yaml, "m.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error("the mapping loaded, but it should have been rejected");
}

/** A mapping with one identity and the given properties block (indented by the caller). */
export function withProperties(properties: string, source = ""): string {
  return `${source}identity:\n  external_id: id\nproperties:\n${properties}`;
}
