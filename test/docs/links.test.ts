import { existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { headingAnchors, linkTargets, ROOT, readDoc, userDocs } from "./markdown.js";

describe.each(userDocs())("%s", (file) => {
  test("every relative link names a file that exists, and a heading there", () => {
    const broken: string[] = [];
    for (const target of linkTargets(readDoc(file))) {
      if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
      const [path = "", anchor] = target.split("#");
      const resolved = path === "" ? join(ROOT, file) : join(ROOT, dirname(file), path);
      if (!existsSync(resolved)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor === undefined) continue;
      const anchors = headingAnchors(readDoc(relative(ROOT, resolved)));
      if (!anchors.has(anchor)) broken.push(`${target}: no heading #${anchor}`);
    }
    expect(broken).toEqual([]);
  });
});

test("the anchors are GitHub's", () => {
  const anchors = headingAnchors(
    "# One\n## import-events --state\n### The circuit breaker and `--canary`\n## One\n```sh\n# not a heading\n```\n",
  );
  expect([...anchors]).toEqual([
    "one",
    "import-events---state",
    "the-circuit-breaker-and---canary",
    "one-1",
  ]);
});

test("the links of a text are found outside code only", () => {
  expect(linkTargets("[a](docs/a.md) `[b](no.md)`\n```md\n[c](no.md)\n```\n[d](#x)\n")).toEqual([
    "docs/a.md",
    "#x",
  ]);
});
