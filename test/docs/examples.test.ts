import { describe, expect, test } from "vitest";
import { parseCatalog } from "../../src/emulator/catalog.js";
import { parseMapping } from "../../src/mapping/load.js";
import { codeBlocks, readDoc, userDocs } from "./markdown.js";

// The mapping and catalog examples users copy from the documentation load as written.

const yamlExamples = userDocs().flatMap((file) =>
  codeBlocks(readDoc(file))
    .filter((block) => block.lang === "yaml")
    .map((block) => ({ name: `${file}:${block.line}`, text: block.text })),
);

describe.each(yamlExamples)("the mapping example at $name", ({ name, text }) => {
  test("is a valid mapping (a properties-only excerpt with an identity added)", () => {
    const whole = /^identity:/m.test(text) ? text : `identity:\n  external_id: id\n${text}`;
    // The identities and delete commands' page: mappings of an identity alone.
    const identityOnly = name.startsWith("docs/identities-and-deletes.md:");
    expect(() => parseMapping(whole, name, identityOnly)).not.toThrow();
  });
});

test("the README and the reference each hold a whole mapping, and the events page an event one", () => {
  const whole = (file: string) =>
    codeBlocks(readDoc(file)).filter((b) => b.lang === "yaml" && /^identity:/m.test(b.text));
  expect(whole("README.md")).toHaveLength(1);
  expect(whole("docs/mapping.md")).toHaveLength(1);
  const [events] = whole("docs/events.md");
  expect(parseMapping(events?.text ?? "", "events.md").event).toBeDefined();
});

test("the catalog example of docs/emulator.md is a valid extended catalog", () => {
  const blocks = codeBlocks(readDoc("docs/emulator.md")).filter((b) => b.lang === "json");
  expect(blocks).toHaveLength(1);
  const parsed = parseCatalog(JSON.parse(blocks[0]?.text ?? ""));
  expect(parsed).toEqual({ catalog: expect.objectContaining({ events: expect.any(Object) }) });
});
