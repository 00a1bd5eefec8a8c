/**
 * The console as an express router: the bundle and index.html from apps/console/dist, built on the
 * first request when missing or older than its sources, so `npm start` needs no build step.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import express, { type Router } from "express";
import { buildConsole, DEFAULT_DIST, hasBundle, isBundleCurrent } from "./bundle.ts";
import { consoleSecurityHeaders, contentSecurityPolicy, newStyleNonce } from "./security-headers.ts";

/** Where index.html carries the page's style nonce (see security-headers.ts). */
const NONCE_PLACEHOLDER = "{{CSP_NONCE}}";

export interface ConsoleRouterOptions {
  /** Where the bundle lives (and is built); apps/console/dist by default. */
  distDir?: string;
  /** Told when an out-of-date bundle cannot be rebuilt (a read-only install) and is served as it is. */
  logger?: { warn(details: object, message: string): void };
  /** Builds the bundle into a directory: buildConsole, unless a test stands in for it. */
  build?: (outdir: string) => Promise<unknown>;
}

export function consoleRouter(options: ConsoleRouterOptions = {}): Router {
  const distDir = options.distDir ?? DEFAULT_DIST;
  const build = options.build ?? ((outdir: string) => buildConsole({ outdir }));
  let ready: Promise<void> | undefined;
  const ensureBuilt = () => {
    ready ??= (async () => {
      if (await isBundleCurrent(distDir)) return;
      try {
        await build(distDir);
      } catch (error) {
        if (!(await hasBundle(distDir))) throw error;
        options.logger?.warn(
          { err: error, distDir },
          "the console bundle is older than its sources and could not be rebuilt; serving it as it is",
        );
      }
    })().catch((error: unknown) => {
      // Let the next request try again (the sources may have been fixed meanwhile).
      ready = undefined;
      throw error;
    });
    return ready;
  };

  const router = express.Router();
  // On every answer, redirects and errors included: a 404 page can be framed as well as index.html.
  router.use(consoleSecurityHeaders);
  router.use(async (req, res, next) => {
    // index.html loads ./app.js: only right when the page's URL ends in a slash.
    if (req.path === "/" && !req.originalUrl.split("?")[0]!.endsWith("/")) {
      res.redirect(301, `${req.originalUrl.split("?")[0]}/`);
      return;
    }
    try {
      await ensureBuilt();
    } catch (error) {
      res
        .status(500)
        .type("text/plain")
        .send(`The console could not be built: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    next();
  });
  // The page itself: a fresh style nonce in its policy and in its <meta name="csp-nonce">, never cached.
  router.get(["/", "/index.html"], async (_req, res, next) => {
    try {
      const html = await readFile(join(distDir, "index.html"), "utf8");
      const nonce = newStyleNonce();
      res
        .set({ "Content-Security-Policy": contentSecurityPolicy(nonce), "Cache-Control": "no-store" })
        .type("html")
        .send(html.replaceAll(NONCE_PLACEHOLDER, nonce));
    } catch (error) {
      next(error);
    }
  });
  // app.js has a fixed name, so browsers must revalidate (ETags make that cheap).
  router.use(express.static(distDir, { index: "index.html", maxAge: 0 }));
  router.use((_req, res) => {
    res.status(404).type("text/plain").send("Not found");
  });
  return router;
}
