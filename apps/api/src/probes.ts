import { checkReadiness } from "@stepwise/runtime";
import { Router } from "express";
import type { ApiDependencies } from "./api-dependencies.ts";

/** `/healthz` (the process is up), `/readyz` (Postgres and Redis answer), `/metrics` (Prometheus). */
export function probesRouter(deps: Pick<ApiDependencies, "runtime" | "registry">): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const r = await checkReadiness(deps.runtime);
    res.status(r.ready ? 200 : 503).json({ status: r.ready ? "ready" : "not ready", postgres: r.postgres, redis: r.redis });
  });
  router.get("/metrics", async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  return router;
}
