import { type Document, isScalar, type LineCounter, visit } from "yaml";
import type { ConfigIssue } from "../errors.js";

/**
 * Keys that repeat within one YAML map, each with its line. Linear: the yaml library's own check
 * (`uniqueKeys`) compares each key with every earlier one, which made a 1.6 MB mapping take
 * seconds and a 10 MB one minutes. Keys compare as the library compares them: scalars by value.
 */
export function duplicateKeys(doc: Document, lineCounter: LineCounter): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue; // a collection as a key equals no other key
        if (!seen.has(pair.key.value)) {
          seen.add(pair.key.value);
          continue;
        }
        const start = pair.key.range?.[0];
        const message = "Map keys must be unique";
        issues.push(
          start === undefined
            ? { path: "", message }
            : { path: "", line: lineCounter.linePos(start).line, message },
        );
      }
    },
  });
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
