import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root, where README.md is. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Every Markdown file a user reads: README.md, docs/*.md, bench/README.md (paths from ROOT). */
export function userDocs(): string[] {
  const docs = readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`);
  return ["README.md", ...docs, "bench/README.md"];
}

export function readDoc(file: string): string {
  return readFileSync(join(ROOT, file), "utf8");
}

export interface CodeBlock {
  readonly lang: string;
  readonly text: string;
  /** The line of the opening fence, 1-based. */
  readonly line: number;
}

/** The fenced code blocks of a Markdown text, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split("\n");
  let open: { lang: string; line: number; body: string[] } | undefined;
  lines.forEach((line, i) => {
    if (open === undefined) {
      const fence = /^```(\S*)/.exec(line);
      if (fence) open = { lang: fence[1] ?? "", line: i + 1, body: [] };
    } else if (line.startsWith("```")) {
      blocks.push({ lang: open.lang, line: open.line, text: `${open.body.join("\n")}\n` });
      open = undefined;
    } else {
      open.body.push(line);
    }
  });
  return blocks;
}

/** The text outside fenced code blocks and inline code spans. */
export function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
}

/** The anchors GitHub gives a file's headings (lower case, punctuation dropped, spaces to -). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, "");
  for (const match of withoutCode.matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = (match[1] ?? "")
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}_ -]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The targets of the inline links `[text](target)` in a Markdown text's prose. */
export function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? "");
}
