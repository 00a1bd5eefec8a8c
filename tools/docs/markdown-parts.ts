/** The parts of a Markdown page the docs checks read: links, headings' anchors and fenced code blocks. */
import { anchor } from "./config-reference.ts";

export interface CodeBlock {
  lang: string;
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** Fenced blocks (```lang … ```), with the prose between them blanked out of `prose`. */
export function splitFences(markdown: string): { prose: string; blocks: CodeBlock[] } {
  const blocks: CodeBlock[] = [];
  const prose: string[] = [];
  let open: { lang: string; lines: string[]; line: number } | undefined;
  markdown.split("\n").forEach((line, index) => {
    const fence = /^\s*```(\S*)/.exec(line);
    if (fence && !open) {
      open = { lang: fence[1] ?? "", lines: [], line: index + 1 };
      prose.push("");
    } else if (fence && open) {
      blocks.push({ lang: open.lang, text: open.lines.join("\n"), line: open.line });
      open = undefined;
      prose.push("");
    } else if (open) {
      open.lines.push(line);
      prose.push("");
    } else prose.push(line);
  });
  return { prose: prose.join("\n"), blocks };
}

/** Link targets of `[text](target)` in prose, inline code left out. */
export function linkTargets(prose: string): Array<{ target: string; line: number }> {
  const found: Array<{ target: string; line: number }> = [];
  prose.split("\n").forEach((line, index) => {
    const withoutCode = line.replace(/`[^`]*`/g, "");
    for (const m of withoutCode.matchAll(/\]\(([^)\s]+)\)/g)) found.push({ target: m[1] as string, line: index + 1 });
  });
  return found;
}

/** The anchors GitHub gives a page's headings. */
export function headingAnchors(markdown: string): Set<string> {
  const { prose } = splitFences(markdown);
  const anchors = new Set<string>();
  for (const m of prose.matchAll(/^#{1,6}\s+(.+)$/gm)) anchors.add(anchor((m[1] as string).replace(/`/g, "").trim()));
  return anchors;
}
