import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { alertQueries, autoscalerQueries, dashboardFiles, dashboardQueries, INFRA } from "./referenced-metrics.ts";

const hasPromtool = spawnSync("promtool", ["--version"]).status === 0;
if (!hasPromtool) {
  process.stdout.write(
    "\n[infra] promtool not found: Prometheus config and rule checks skipped (apt-get install prometheus; .ci/run does)\n",
  );
}

function promtool(...args: string[]): { ok: boolean; output: string } {
  const run = spawnSync("promtool", args, { encoding: "utf8" });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

describe.skipIf(!hasPromtool)("promtool accepts infra/prometheus and every query in infra/", () => {
  const scratch = mkdtempSync(join(tmpdir(), "stepwise-promtool-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const k8sConfig = () => {
    const configMap = parse(readFileSync(join(INFRA, "k8s/prometheus-scrape.yaml"), "utf8")) as { data: Record<string, string> };
    const file = join(scratch, "k8s-prometheus.yml");
    writeFileSync(file, configMap.data["prometheus.yml"] as string);
    return file;
  };

  it("the compose Prometheus config, with its rule file", () => {
    const result = promtool("check", "config", join(INFRA, "prometheus/prometheus.yml"));
    expect(result.output).toContain("SUCCESS: 1 rule files found");
    expect(result.ok, result.output).toBe(true);
  });

  it("the Kubernetes Prometheus config", () => {
    const result = promtool("check", "config", k8sConfig());
    expect(result.ok, result.output).toBe(true);
  });

  it("the alert rules", () => {
    const result = promtool("check", "rules", join(INFRA, "prometheus/alerts.yml"));
    expect(result.ok, result.output).toBe(true);
  });

  it("the alert rules' unit tests: each alert fires on its situation and not on a healthy one", () => {
    const result = promtool("test", "rules", join(INFRA, "prometheus/alerts.test.yml"));
    expect(result.ok, result.output).toBe(true);
  });

  it("every dashboard panel, dashboard variable and autoscaler query is valid PromQL", () => {
    const queries = [...dashboardFiles().flatMap(dashboardQueries), ...autoscalerQueries()];
    expect(queries.length).toBeGreaterThan(20);
    // Grafana's variables, as Grafana would substitute them; label_values() is Grafana's, not PromQL.
    const rules = queries.map((q, i) => ({
      record: `stepwise:infra_query_${i}`,
      expr: q.expr
        .replace(/^label_values\((\w+), *\w+\)$/, "$1")
        .replaceAll("$__rate_interval", "1m")
        .replaceAll("$state_machine", "orders"),
    }));
    const file = join(scratch, "queries.yml");
    writeFileSync(file, stringify({ groups: [{ name: "infra-queries", rules }] }));
    const result = promtool("check", "rules", file);
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  it("the jobs the alerts select are scraped under those names, in compose and in Kubernetes", () => {
    const jobsIn = (file: string) =>
      (parse(readFileSync(file, "utf8")) as { scrape_configs: Array<{ job_name: string }> }).scrape_configs.map((s) => s.job_name);
    const selected = [...new Set(alertQueries().flatMap((q) => [...q.expr.matchAll(/job="([^"]+)"/g)].map((m) => m[1] as string)))];
    expect(selected).toContain("stepwise-scheduler");
    for (const config of [join(INFRA, "prometheus/prometheus.yml"), k8sConfig()]) {
      expect(jobsIn(config)).toEqual(expect.arrayContaining(["stepwise-api", "stepwise-worker", "stepwise-scheduler", ...selected]));
    }
  });
});
