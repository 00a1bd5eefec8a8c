/**
 * The README and docs/ as a newcomer follows them: every relative link leads to a file (and heading)
 * that exists, and every command in a shell block names npm scripts, `stepwise` commands, repository
 * files and variables that exist.
 */
import { existsSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../packages/cli/src/main.ts";
import { documentedVariables } from "./config-reference.ts";
import { headingAnchors, linkTargets, splitFences } from "./markdown-parts.ts";
import { listRepoFiles, ROOT, readRepoFile } from "./repo-files.ts";
import { shellCommands } from "./shell-commands.ts";

const pages = ["README.md", ...listRepoFiles("docs", (path) => path.endsWith(".md"))];
const scripts = Object.keys((JSON.parse(readRepoFile("package.json")) as { scripts: Record<string, string> }).scripts);
/** Programs the docs may tell a reader to run; anything else is a typo or needs adding here. */
const PROGRAMS = new Set(["npm", "npx", "node", "aws", "curl", "docker", "kubectl", "cat", ".ci/run", "stepwise"]);
/** Words that name a file of this repository, which must then exist. */
const REPO_PATH = /^(\.\/)?(apps|packages|infra|bench|docs|tools|\.ci)\/|^(Dockerfile|docker-compose\.yml|package\.json)$/;

/** STEPWISE_TEST_* variables, which only tests read (pointing them at real servers). */
function testVariables(): string[] {
  const tests = [...listRepoFiles("packages", isTestSource), ...listRepoFiles("apps", isTestSource)];
  return tests.flatMap((path) => [...readRepoFile(path).matchAll(/\bSTEPWISE_TEST_[A-Z0-9_]+/g)].map((m) => m[0]));
}

function isTestSource(path: string): boolean {
  return path.endsWith(".ts") && (path.endsWith(".test.ts") || path.includes("/test/") || path.startsWith("packages/testkit/"));
}

async function cliCommands(): Promise<Set<string>> {
  const lines: string[] = [];
  await main(["help"], { out: (line) => lines.push(line), err: (line) => lines.push(line) });
  return new Set(["help", ...[...lines.join("\n").matchAll(/^\s+stepwise (\S+)/gm)].map((m) => m[1] as string)]);
}

describe("the README and docs/", () => {
  it("are the pages a newcomer reads", () => {
    expect(pages).toContain("docs/getting-started.md");
    expect(pages.length).toBeGreaterThan(15);
  });

  it("link only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const page of pages) {
      const text = readRepoFile(page);
      for (const { target, line } of linkTargets(splitFences(text).prose)) {
        if (/^[a-z]+:/i.test(target)) continue;
        const [path = "", hash] = target.split("#");
        const file = path === "" ? page : normalize(join(dirname(page), decodeURIComponent(path)));
        if (!existsSync(join(ROOT, file))) broken.push(`${page}:${line} → ${target} (no ${file})`);
        else if (hash !== undefined && file.endsWith(".md") && !headingAnchors(readRepoFile(file)).has(hash))
          broken.push(`${page}:${line} → ${target} (no heading #${hash} in ${file})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("give shell commands whose scripts, stepwise commands, files and variables exist", async () => {
    const commands = await cliCommands();
    const variables = new Set([...documentedVariables(), ...testVariables()]);
    const problems: string[] = [];
    let checked = 0;
    for (const page of pages) {
      for (const block of splitFences(readRepoFile(page)).blocks) {
        if (!["sh", "bash", "shell"].includes(block.lang)) continue;
        for (const words of shellCommands(block.text)) {
          checked++;
          const where = `${page}:${block.line} \`${words.join(" ")}\``;
          problems.push(...commandProblems(words, commands, variables).map((p) => `${where}: ${p}`));
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });
});

function commandProblems(all: string[], commands: Set<string>, variables: Set<string>): string[] {
  const problems: string[] = [];
  let i = 0;
  // Leading NAME=value assignments: Stepwise's and the AWS SDK's variables must be real ones.
  for (; i < all.length && /^[A-Z_][A-Z0-9_]*=/.test(all[i] as string); i++) {
    const name = (all[i] as string).split("=")[0] as string;
    if (
      /^(STEPWISE|AWS)_/.test(name) &&
      !variables.has(name) &&
      !(/^AWS_ENDPOINT_URL_[A-Z0-9_]+$/.test(name) && variables.has("AWS_ENDPOINT_URL_<SERVICE>"))
    )
      problems.push(`${name} is not a variable any process reads`);
  }
  const words = all.slice(i);
  const [program, ...args] = words;
  if (program === undefined) return problems;
  if (!PROGRAMS.has(program)) problems.push(`'${program}' is not a program the docs may use (tools/docs/doc-links.test.ts)`);
  if (program === "npm") {
    const [verb, script] = args;
    if (verb === "run" && (script === undefined || !scripts.includes(script))) problems.push(`no npm script '${script}'`);
    if ((verb === "start" || verb === "test") && !scripts.includes(verb)) problems.push(`no npm script '${verb}'`);
  }
  // `npx stepwise X` or, with the package's bin on PATH, `stepwise X`.
  const cli = program === "stepwise" ? args : program === "npx" && args[0] === "stepwise" ? args.slice(1) : undefined;
  if (cli && (cli[0] === undefined || !commands.has(cli[0]))) problems.push(`no stepwise command '${cli[0]}'`);
  for (const word of words) {
    if (REPO_PATH.test(word) && !existsSync(join(ROOT, word))) problems.push(`no file ${word}`);
  }
  return problems;
}
