import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appScript, KNOWN_ENV, REPO_ROOT, readYaml, repoPathExists, SHUTDOWN_GRACE_SECONDS } from "./deployment-files.ts";

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  container_name?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
  stop_grace_period?: string;
}

interface Compose {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

const compose = readYaml<Compose>("docker-compose.yml");
const services = compose.services;
const APPS = ["api", "worker", "scheduler"] as const;

const seconds = (duration: string | undefined) => {
  const match = /^(\d+)(s|m)$/.exec(duration ?? "");
  return match ? Number(match[1]) * (match[2] === "m" ? 60 : 1) : 0;
};

describe("docker-compose.yml runs the whole system in start-up order", () => {
  it("has every service, and the console comes with the API (no service of its own)", () => {
    expect(Object.keys(services).sort()).toEqual(["api", "grafana", "migrate", "postgres", "prometheus", "redis", "scheduler", "worker"]);
  });

  it("Postgres keeps its data in a named volume; both stores report health", () => {
    expect(services.postgres?.volumes).toContain("postgres-data:/var/lib/postgresql/data");
    expect(compose.volumes).toHaveProperty("postgres-data");
    expect(services.postgres?.healthcheck?.test.join(" ")).toContain("pg_isready");
    expect(services.redis?.healthcheck?.test).toEqual(["CMD", "redis-cli", "ping"]);
    // BullMQ loses jobs if Redis evicts keys.
    expect(services.redis?.command?.join(" ")).toContain("--maxmemory-policy noeviction");
  });

  it("migrations run once, after Postgres is healthy, with the root db:migrate script", () => {
    const migrate = services.migrate as ComposeService;
    expect(migrate.command).toEqual(["npm", "run", "db:migrate"]);
    expect(migrate.restart).toBe("no");
    expect(migrate.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts["db:migrate"]).toBe("tsx packages/storage/src/migrate-cli.ts");
    expect(repoPathExists("packages/storage/src/migrate-cli.ts")).toBe(true);
  });

  it.each(APPS)(
    "%s: the Stepwise image, its own main module, the stores' addresses, readiness health check, started after migrations",
    (name) => {
      const service = services[name] as ComposeService;
      expect(service.image).toBe("stepwise:local");
      expect(service.build).toBeDefined();
      const script = appScript(service.command ?? []);
      expect(script).toBe(`apps/${name}/src/main.ts`);
      expect(repoPathExists(script as string)).toBe(true);
      expect(service.environment?.DATABASE_URL).toMatch(/^postgres:\/\/stepwise:.+@postgres:5432\/stepwise$/);
      expect(service.environment?.REDIS_URL).toBe("redis://redis:6379");
      expect(service.environment?.PORT).toBe("8080");
      expect(service.healthcheck?.test.join(" ")).toContain("http://127.0.0.1:8080/readyz");
      expect(service.depends_on).toEqual({
        postgres: { condition: "service_healthy" },
        redis: { condition: "service_healthy" },
        migrate: { condition: "service_completed_successfully" },
      });
      expect(service.container_name).toBeUndefined();
    },
  );

  it("sets only variables the processes read (a misspelt one would be ignored silently)", () => {
    for (const name of [...APPS, "migrate"]) {
      const unknown = Object.keys(services[name]?.environment ?? {}).filter((key) => !KNOWN_ENV.has(key));
      expect(unknown, name).toEqual([]);
    }
  });

  it("the API is published on 8080, on every interface, with authentication on", () => {
    const api = services.api as ComposeService;
    expect(api.ports).toEqual(["8080:8080"]);
    expect(api.environment?.HOST).toBe("0.0.0.0");
    expect(api.environment?.STEPWISE_AUTH).toBe("on");
    expect(api.environment?.STEPWISE_ACCESS_KEYS).toBeTruthy();
  });

  it("workers scale: no fixed name or port, and longer to stop than their shutdown grace", () => {
    const worker = services.worker as ComposeService;
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect(services.scheduler?.ports).toBeUndefined();
    expect(seconds(worker.stop_grace_period)).toBeGreaterThan(SHUTDOWN_GRACE_SECONDS);
  });

  it("Prometheus scrapes the compose services, finding every worker replica by DNS", () => {
    const prometheus = services.prometheus as ComposeService;
    expect(prometheus.volumes).toContain("./infra/prometheus:/etc/prometheus:ro");
    expect(prometheus.command).toContain("--config.file=/etc/prometheus/prometheus.yml");
    const config = readYaml<{
      scrape_configs: Array<{
        job_name: string;
        static_configs?: Array<{ targets: string[] }>;
        dns_sd_configs?: Array<{ names: string[]; port: number }>;
      }>;
    }>("infra/prometheus/prometheus.yml");
    const job = (name: string) => config.scrape_configs.find((s) => s.job_name === name);
    expect(job("stepwise-api")?.static_configs?.[0]?.targets).toEqual(["api:8080"]);
    expect(job("stepwise-scheduler")?.static_configs?.[0]?.targets).toEqual(["scheduler:8080"]);
    expect(job("stepwise-worker")?.dns_sd_configs?.[0]).toMatchObject({ names: ["worker"], port: 8080 });
  });

  it("Grafana on 3000, provisioned with the Prometheus service and the dashboards folder", () => {
    const grafana = services.grafana as ComposeService;
    expect(grafana.ports).toEqual(["3000:3000"]);
    expect(grafana.depends_on).toEqual({ prometheus: { condition: "service_healthy" } });
    expect(grafana.volumes).toEqual(
      expect.arrayContaining([
        "./infra/grafana/provisioning:/etc/grafana/provisioning:ro",
        "./infra/grafana/dashboards:/var/lib/grafana/dashboards:ro",
      ]),
    );
    for (const volume of grafana.volumes ?? []) {
      const source = volume.split(":")[0] as string;
      if (source.startsWith("./")) expect(repoPathExists(source), source).toBe(true);
    }
    const datasources = readYaml<{ datasources: Array<{ uid: string; type: string; url: string; isDefault: boolean }> }>(
      "infra/grafana/provisioning/datasources/prometheus.yml",
    );
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ uid: "prometheus", type: "prometheus", url: "http://prometheus:9090", isDefault: true }),
    ]);
    const providers = readYaml<{ providers: Array<{ type: string; options: { path: string } }> }>(
      "infra/grafana/provisioning/dashboards/dashboards.yml",
    );
    expect(providers.providers[0]?.options.path).toBe("/var/lib/grafana/dashboards");
    const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, "infra/grafana/dashboards/stepwise-overview.json"), "utf8")) as {
      uid: string;
      templating: { list: Array<{ name: string }> };
    };
    expect(dashboard.uid).toBe("stepwise-overview");
    expect(dashboard.templating.list.map((v) => v.name)).toContain("state_machine");
    expect(grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe("/var/lib/grafana/dashboards/stepwise-overview.json");
  });

  it("every dashboard panel uses the provisioned data source", () => {
    const text = readFileSync(join(REPO_ROOT, "infra/grafana/dashboards/stepwise-overview.json"), "utf8");
    const uids = new Set([...text.matchAll(/"uid": "([^"]+)"/g)].map((m) => m[1]));
    uids.delete("stepwise-overview");
    expect([...uids]).toEqual(["prometheus"]);
  });
});
