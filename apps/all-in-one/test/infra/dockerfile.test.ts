import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./deployment-files.ts";

const dockerfile = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");
const dockerignore = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8").split("\n");

describe("the Dockerfile builds one image for every process", () => {
  it("installs with npm ci from every workspace's manifest (npm ci links workspaces from them)", () => {
    const workspaces = ["packages", "apps"]
      .flatMap((dir) => readdirSync(join(REPO_ROOT, dir)).map((name) => `${dir}/${name}/package.json`))
      .filter((path) => existsSync(join(REPO_ROOT, path)));
    const copied = [...dockerfile.matchAll(/^COPY (\S+\/package\.json) /gm)].map((m) => m[1]);
    expect(copied.sort()).toEqual(workspaces.sort());
    expect(dockerfile).toMatch(/^COPY package\.json package-lock\.json \.\/$/m);
    expect(dockerfile).toMatch(/^RUN npm ci /m);
  });

  it("is multi-stage: a slim runtime stage gets node_modules from the deps stage, runs as a user, on PORT 8080, `npm start` by default", () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\w+)$/gm)].map((m) => ({ image: m[1], name: m[2] }));
    expect(stages.map((s) => s.name)).toEqual(["deps", "runtime"]);
    expect(stages[1]?.image).toMatch(/-slim$/);
    expect(dockerfile).toMatch(/^COPY --from=deps \/app \.\/$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/PORT=8080/);
    expect(dockerfile).toMatch(/^EXPOSE 8080$/m);
    expect(dockerfile.trim().split("\n").at(-1)).toBe('CMD ["npm", "start"]');
  });

  it(".dockerignore keeps local dependencies, state and history out of the build context", () => {
    for (const entry of ["**/node_modules", ".git", ".stepwise", ".env"]) expect(dockerignore).toContain(entry);
  });
});
