import { describe, expect, it } from "vitest";
import { CONFIGURATION_DOC, documentedVariables, renderConfigReference } from "./config-reference.ts";
import { configProcesses, configSections } from "./config-sources.ts";
import { listRepoFiles, readRepoFile } from "./repo-files.ts";

describe("the configuration reference", () => {
  it("is docs/configuration.md exactly as the schemas render it (run `npm run docs:config` after changing one)", () => {
    expect(readRepoFile(CONFIGURATION_DOC)).toBe(renderConfigReference());
  });

  it("lists for each process the schemas its entry module reads, and no other", () => {
    for (const process of configProcesses) {
      const source = readRepoFile(process.entry);
      const read = configSections.filter((s) => s.readWith.some((name) => new RegExp(`\\b${name}\\b`).test(source))).map((s) => s.id);
      expect(read.sort(), process.entry).toEqual([...process.reads].sort());
    }
  });

  it("documents every STEPWISE_ variable production code names", () => {
    const documented = documentedVariables();
    const production = [...listRepoFiles("packages", isProductionSource), ...listRepoFiles("apps", isProductionSource)];
    expect(production.length).toBeGreaterThan(100);
    const undocumented = new Set<string>();
    for (const path of production) {
      for (const [name] of readRepoFile(path).matchAll(/\bSTEPWISE_[A-Z0-9_]*[A-Z0-9]\b/g)) {
        if (!documented.has(name)) undocumented.add(`${name} (${path})`);
      }
    }
    expect([...undocumented]).toEqual([]);
  });
});

/** Sources of the packages and apps, without their tests, the testkit or the console's browser tests. */
function isProductionSource(path: string): boolean {
  return (
    /^(packages|apps)\/[^/]+\/src\/.*\.ts$/.test(path) &&
    !path.endsWith(".test.ts") &&
    !path.startsWith("packages/testkit/") &&
    !path.includes("/e2e/")
  );
}
