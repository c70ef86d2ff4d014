import { type Document, isNode, isScalar, type LineCounter, visit } from "yaml";
import type { ConfigIssue } from "../errors.js";

const YAML_TAGS = "tag:yaml.org,2002:";
/** The tags of what JSON holds: a mapping is made of these alone. */
const PLAIN_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `${YAML_TAGS}${t}`),
);

/** A key JavaScript objects cannot hold as data: read into a mapping, it would vanish silently. */
const RESERVED = "__proto__";

/**
 * The keys of the document's maps that cannot be kept: keys that repeat within one map, and
 * `__proto__`; and the values whose tag makes them something else than JSON's; each with its line. Linear: the yaml library's own duplicate check (`uniqueKeys`)
 * compares each key with every earlier one, which made a 1.6 MB mapping take seconds and a 10 MB
 * one minutes. Keys compare as the library compares them: scalars by value.
 */
export function keyIssues(doc: Document, lineCounter: LineCounter): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const at = (offset: number | undefined, message: string) =>
    issues.push(
      offset === undefined
        ? { path: "", message }
        : { path: "", line: lineCounter.linePos(offset).line, message },
    );
  visit(doc, {
    Node(_, node) {
      // A tag that makes a value no JSON holds (!!binary bytes, a !!set, a !!timestamp, !custom):
      // one clear problem, not one per byte of what it made.
      if (isNode(node) && node.tag !== undefined && !PLAIN_TAGS.has(node.tag)) {
        at(
          node.range?.[0],
          `the YAML tag ${node.tag.replace(YAML_TAGS, "!!")} is not taken in a mapping: write the value as plain text`,
        );
      }
    },
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue; // a collection as a key equals no other key
        const start = pair.key.range?.[0];
        if (pair.key.value === RESERVED) {
          at(start, `the key ${RESERVED} cannot be used (JavaScript reserves it): rename it`);
        }
        if (!seen.has(pair.key.value)) {
          seen.add(pair.key.value);
          continue;
        }
        at(start, "Map keys must be unique");
      }
    },
  });
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
