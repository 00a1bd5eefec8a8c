import { type AppProcess, createTestRuntime, metricFamilies, startApp, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_REQUEST_DURATION } from "../../../../packages/runtime/src/metrics/api-metrics.ts";
import { allQueries, exports, metricNames } from "./referenced-metrics.ts";

describe("every metric the dashboards, alerts and autoscaler read is exported by the processes", () => {
  let t: TestRuntime;
  const apps: AppProcess[] = [];
  const referenced = [...new Set(allQueries().flatMap((q) => metricNames(q.expr)))].sort();

  const scrape = async (app: AppProcess) => metricFamilies(await (await fetch(`${app.url}/metrics`)).text());

  beforeAll(async () => {
    t = await createTestRuntime();
  });

  afterAll(async () => {
    for (const app of apps) app.kill();
    await Promise.all(apps.map((a) => a.exited));
    await t.close();
  });

  const env = () => ({
    DATABASE_URL: t.config.DATABASE_URL,
    REDIS_URL: t.config.REDIS_URL,
    STEPWISE_QUEUE_PREFIX: t.config.STEPWISE_QUEUE_PREFIX,
  });

  it("infra/ reads the metrics it is about (a typo would read nothing, silently)", () => {
    expect(referenced.length).toBeGreaterThan(15);
    for (const name of ["stepwise_executions_started_total", "stepwise_queue_jobs", "stepwise_executions_running", API_REQUEST_DURATION]) {
      expect(
        referenced.some((r) => r === name || r.startsWith(`${name}_`)),
        name,
      ).toBe(true);
    }
  });

  it("the all-in-one process (`npm start`) exports all of them", async () => {
    const app = await startApp("apps/all-in-one/src/main.ts", { ...env(), HOST: "127.0.0.1", STEPWISE_AUTH: "off" });
    apps.push(app);
    const families = await scrape(app);
    expect(referenced.filter((name) => !exports(families, name))).toEqual([]);
  }, 60_000);

  it("worker and scheduler processes export all of them but the API's own", async () => {
    const [worker, scheduler] = await Promise.all([
      startApp("apps/worker/src/main.ts", env()),
      startApp("apps/scheduler/src/main.ts", env()),
    ]);
    apps.push(worker, scheduler);
    const notApi = referenced.filter((name) => !name.startsWith(API_REQUEST_DURATION));
    for (const app of [worker, scheduler]) {
      const families = await scrape(app);
      expect(notApi.filter((name) => !exports(families, name))).toEqual([]);
    }
  }, 60_000);
});
