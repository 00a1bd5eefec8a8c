import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConsoleRouterOptions, consoleRouter } from "./server.ts";

async function serve(
  distDir: string,
  options: Omit<ConsoleRouterOptions, "distDir"> = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.use("/console", consoleRouter({ distDir, ...options }));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("consoleRouter", () => {
  let dir: string;
  let distDir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "stepwise-console-"));
    distDir = join(dir, "dist");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("builds the bundle on the first request when there is none, then serves it", async () => {
    const server = await serve(distDir);
    try {
      const page = await fetch(`${server.url}/console/`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/text\/html/);
      const html = await page.text();
      expect(html).toContain('src="./app.js"');
      expect(html).toContain('href="./styles.css"');

      // A strict policy on the page: only its own script and style (plus the one <style> element the code
      // editor writes, by a nonce new on every response), no framing, no sniffing, no Referer.
      const policy = page.headers.get("content-security-policy") ?? "";
      const nonce = /style-src 'self' 'nonce-([A-Za-z0-9+/=]{24})'/.exec(policy)?.[1];
      expect(nonce).toBeDefined();
      expect(policy).toBe(
        `default-src 'self'; script-src 'self'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      );
      expect(html).toContain(`<meta name="csp-nonce" content="${nonce}" />`);
      expect(page.headers.get("cache-control")).toBe("no-store");
      const again = await fetch(`${server.url}/console/`);
      expect(again.headers.get("content-security-policy")).not.toContain(nonce);
      expect(page.headers.get("x-content-type-options")).toBe("nosniff");
      expect(page.headers.get("referrer-policy")).toBe("no-referrer");
      expect(page.headers.get("x-frame-options")).toBe("DENY");

      const script = await fetch(`${server.url}/console/app.js`);
      expect(script.headers.get("x-content-type-options")).toBe("nosniff");
      // Everything but the page keeps the policy without a nonce.
      expect(script.headers.get("content-security-policy")).toContain("style-src 'self';");
      expect(script.status).toBe(200);
      expect(script.headers.get("content-type")).toMatch(/javascript/);
      const code = await script.text();
      // The validator and the layout engine are in the bundle, with node:crypto left out.
      expect(code).toContain("INVALID_JSON_DESCRIPTION");
      expect(code).toContain("org.eclipse.elk");
      expect(code).not.toMatch(/from\s*"node:/);

      expect((await fetch(`${server.url}/console/styles.css`)).headers.get("content-type")).toMatch(/text\/css/);
      expect((await fetch(`${server.url}/console/missing.js`)).status).toBe(404);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("redirects /console to /console/, so the page's relative URLs resolve", async () => {
    const server = await serve(distDir);
    try {
      const response = await fetch(`${server.url}/console?x=1`, { redirect: "manual" });
      expect(response.status).toBe(301);
      expect(response.headers.get("location")).toBe("/console/");
    } finally {
      await server.close();
    }
  });

  it("keeps a bundle that is newer than its sources", async () => {
    const before = (await stat(join(distDir, "app.js"))).mtimeMs;
    const server = await serve(distDir);
    try {
      expect((await fetch(`${server.url}/console/`)).status).toBe(200);
      expect((await stat(join(distDir, "app.js"))).mtimeMs).toBe(before);
    } finally {
      await server.close();
    }
  });

  it("serves an out-of-date bundle it cannot rebuild (a read-only install), and says so", async () => {
    const stale = join(dir, "stale");
    await mkdir(stale);
    await writeFile(join(stale, "index.html"), "<!doctype html><title>old console</title>");
    await writeFile(join(stale, "app.js"), "");
    await utimes(join(stale, "app.js"), 0, 0);
    const warnings: string[] = [];
    const server = await serve(stale, {
      build: () => Promise.reject(new Error("EACCES: permission denied")),
      logger: { warn: (_details, message) => warnings.push(message) },
    });
    try {
      expect(await (await fetch(`${server.url}/console/`)).text()).toContain("old console");
      expect(warnings).toEqual(["the console bundle is older than its sources and could not be rebuilt; serving it as it is"]);
    } finally {
      await server.close();
    }
  });

  it("answers 500 with the reason when there is no bundle and building fails, and tries again on the next request", async () => {
    let attempts = 0;
    const server = await serve(join(dir, "never-built"), {
      build: () => {
        attempts += 1;
        return Promise.reject(new Error("esbuild is missing"));
      },
    });
    try {
      const response = await fetch(`${server.url}/console/`);
      expect(response.status).toBe(500);
      expect(await response.text()).toBe("The console could not be built: esbuild is missing");
      expect((await fetch(`${server.url}/console/`)).status).toBe(500);
      expect(attempts).toBe(2);
    } finally {
      await server.close();
    }
  });
});
