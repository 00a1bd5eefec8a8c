/**
 * The PromQL that infra/ holds — dashboard panels and variables, alert rules, the worker autoscaler's
 * query — and the Stepwise metric names it reads.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@stepwise/testkit";
import { parse, parseAllDocuments } from "yaml";

export const INFRA = join(REPO_ROOT, "infra");

export interface Query {
  where: string;
  expr: string;
}

export function dashboardFiles(): string[] {
  const dir = join(INFRA, "grafana/dashboards");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => join(dir, f));
}

interface Panel {
  title?: string;
  targets?: Array<{ expr?: string }>;
  panels?: Panel[];
}

export function dashboardQueries(file: string): Query[] {
  const dashboard = JSON.parse(readFileSync(file, "utf8")) as {
    panels: Panel[];
    templating?: { list: Array<{ name: string; query?: string | { query?: string } }> };
  };
  const queries: Query[] = [];
  const visit = (panel: Panel) => {
    for (const target of panel.targets ?? []) if (target.expr) queries.push({ where: `${file}: ${panel.title}`, expr: target.expr });
    for (const child of panel.panels ?? []) visit(child);
  };
  for (const panel of dashboard.panels) visit(panel);
  for (const variable of dashboard.templating?.list ?? []) {
    const query = typeof variable.query === "string" ? variable.query : variable.query?.query;
    if (query) queries.push({ where: `${file}: $${variable.name}`, expr: query });
  }
  return queries;
}

export function alertQueries(): Query[] {
  const rules = parse(readFileSync(join(INFRA, "prometheus/alerts.yml"), "utf8")) as {
    groups: Array<{ rules: Array<{ alert?: string; record?: string; expr: string }> }>;
  };
  return rules.groups.flatMap((g) => g.rules.map((r) => ({ where: `alerts.yml: ${r.alert ?? r.record}`, expr: r.expr })));
}

export function autoscalerQueries(): Query[] {
  const docs = parseAllDocuments(readFileSync(join(INFRA, "k8s/worker-scaler.yaml"), "utf8")).map((d) => d.toJS());
  return docs.flatMap((doc: { spec?: { triggers?: Array<{ type: string; metadata: { query?: string } }> } }) =>
    (doc.spec?.triggers ?? []).flatMap((t) =>
      t.type === "prometheus" && t.metadata.query ? [{ where: "worker-scaler.yaml", expr: t.metadata.query }] : [],
    ),
  );
}

export function allQueries(): Query[] {
  return [...dashboardFiles().flatMap(dashboardQueries), ...alertQueries(), ...autoscalerQueries()];
}

/** Stepwise metric names in PromQL (`up` and other Prometheus-made series are not ours to export). */
export function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\bstepwise_[a-z0-9_]+/g)].map((m) => m[0]);
}

/** Whether a scrape declaring `families` exports `name`, histogram and summary series included. */
export function exports(families: ReadonlyMap<string, string>, name: string): boolean {
  if (families.has(name)) return true;
  const series = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (!series) return false;
  const kind = families.get(series[1] as string);
  return kind === "histogram" || (kind === "summary" && series[2] !== "bucket");
}
