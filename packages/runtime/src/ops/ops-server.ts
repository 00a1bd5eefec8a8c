/**
 * `/healthz`, `/readyz` and `/metrics` for processes that serve no other HTTP (worker, scheduler), so
 * every Stepwise process can be probed and scraped the same way.
 */
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";
import type { Runtime } from "../runtime.ts";
import { checkReadiness } from "./readiness.ts";

export interface OpsServer {
  server: Server;
  /** Readiness drops first on shutdown, so traffic and scrapers move away before work stops. */
  markDraining(): void;
  close(): Promise<void>;
}

export function startOpsServer(runtime: Runtime, registry: Registry, port: number, host = "0.0.0.0"): OpsServer {
  let draining = false;
  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown, type = "application/json") => {
      res.writeHead(status, { "content-type": type });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    try {
      if (req.url === "/healthz") return send(200, { status: "ok" });
      if (req.url === "/readyz") {
        if (draining) return send(503, { status: "draining" });
        const r = await checkReadiness(runtime);
        return send(r.ready ? 200 : 503, { status: r.ready ? "ready" : "not ready", postgres: r.postgres, redis: r.redis });
      }
      if (req.url === "/metrics") return send(200, await registry.metrics(), registry.contentType);
      send(404, { error: "NotFound" });
    } catch (err) {
      runtime.logger.error({ err }, "ops endpoint failed");
      send(500, { error: "InternalError" });
    }
  });
  server.listen(port, host);
  return {
    server,
    markDraining: () => {
      draining = true;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
