// The docs hold together: every relative link in README.md and docs/*.md points
// at a file or folder that exists (and, with a #fragment, at a heading there, by
// GitHub's rule for heading anchors); every page in docs/ is linked from the
// README; and the README stays short enough to read in two minutes (12 KiB).
import { describe, expect, it } from "vitest";
import { repoFile, repoPath } from "./run.mjs";

// Node's fs, typed by hand: this project's tsconfig has no @types/node (see run.d.mts).
interface Fs {
  existsSync(path: string): boolean;
  readdirSync(path: string): string[];
}
const fs = (await import("node:fs" as string)) as Fs;

const README_LIMIT = 12 * 1024;

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** Every heading anchor of a Markdown text (code blocks skipped; repeated headings get -1, -2…). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of withoutCode(markdown, false).split("\n")) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m?.[1]) continue;
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The text without fenced code blocks, and (if `inline`) without inline code spans. */
function withoutCode(markdown: string, inline = true): string {
  const noFences = markdown.replace(/^```[\s\S]*?^```[^\n]*$/gm, "");
  return inline ? noFences.replace(/`[^`\n]*`/g, "") : noFences;
}

/** The relative link targets of a Markdown text (web and mail links left out). */
function relativeLinks(markdown: string): string[] {
  return [...withoutCode(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map((m) => m[1] ?? "")
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/**
 * The broken links of `file` (a repo path) whose text is `markdown`, each as
 * "target: why"; `read` gives another repo file's text, or undefined if none.
 */
function brokenLinks(file: string, markdown: string, read: (path: string) => string | undefined): string[] {
  const broken: string[] = [];
  for (const target of relativeLinks(markdown)) {
    const [pathPart = "", fragment] = target.split("#", 2);
    const resolved = new URL(pathPart, `file:///repo/${file}`).pathname;
    const path = decodeURIComponent(resolved.slice("/repo/".length)).replace(/\/$/, "");
    const text = resolved.startsWith("/repo/") ? read(path) : undefined;
    if (!resolved.startsWith("/repo/")) {
      broken.push(`${target}: outside the repo`);
    } else if (text === undefined) {
      broken.push(`${target}: no such file`);
    } else if (fragment !== undefined && !anchors(text).has(fragment)) {
      broken.push(`${target}: no heading "#${fragment}" in ${path}`);
    }
  }
  return broken;
}

/** A repo file's text ("" for a folder), or undefined when nothing is there. */
function read(path: string): string | undefined {
  if (!fs.existsSync(repoPath(path))) return undefined;
  return path.endsWith(".md") ? repoFile(path) : "";
}

const docs = fs
  .readdirSync(repoPath("docs"))
  .filter((name) => name.endsWith(".md"))
  .map((name) => `docs/${name}`);

describe("the docs", () => {
  it("are there", () => {
    expect(docs).toContain("docs/configuration.md");
    expect(docs).toContain("docs/gitple-events.md");
  });

  it.each(["README.md", ...docs])("%s: every relative link resolves", (file) => {
    expect(brokenLinks(file, repoFile(file), read)).toEqual([]);
  });

  it("are each linked from the README", () => {
    const linked = new Set(relativeLinks(repoFile("README.md")).map((target) => target.split("#")[0]));
    expect(docs.filter((doc) => !linked.has(doc))).toEqual([]);
  });

  it("start with a README a newcomer reads in two minutes (at most 12 KiB)", () => {
    expect(new TextEncoder().encode(repoFile("README.md")).length).toBeLessThanOrEqual(README_LIMIT);
  });
});

describe("the link check itself", () => {
  const files: Record<string, string> = {
    "docs/a.md":
      '# A page\n\n## At 3 a.m.: Slack is down\n\n## Slack (`type = "slack"`)\n\n```md\n## not a heading\n```\n',
    examples: "",
  };
  const readFake = (path: string) => files[path];

  it("finds a missing file, a missing heading and a link out of the repo's folders", () => {
    const text = "[x](missing.md) [y](a.md#nope) [z](../../outside.md) [c](a.md#not-a-heading)";
    expect(brokenLinks("docs/b.md", text, readFake)).toEqual([
      "missing.md: no such file",
      'a.md#nope: no heading "#nope" in docs/a.md',
      "../../outside.md: outside the repo",
      'a.md#not-a-heading: no heading "#not-a-heading" in docs/a.md',
    ]);
  });

  it("accepts what exists, and skips web links and links inside code", () => {
    const text =
      "[a](a.md) [b](a.md#at-3-am-slack-is-down) [c](a.md#slack-type--slack) [d](../examples/) " +
      "[e](https://example.com/x.md) `[f](gone.md)`\n```\n[g](gone.md)\n```\n";
    expect(brokenLinks("docs/b.md", text, readFake)).toEqual([]);
  });
});
