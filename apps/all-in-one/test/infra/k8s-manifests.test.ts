import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  appScript,
  KNOWN_ENV,
  REPO_ROOT,
  readYaml,
  readYamlDocuments,
  repoPathExists,
  SHUTDOWN_GRACE_SECONDS,
} from "./deployment-files.ts";

interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  command: string[];
  ports?: Array<{ name: string; containerPort: number }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}
interface PodSpec {
  containers: Container[];
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    selector?: Record<string, string> & { matchLabels?: Record<string, string> };
    template?: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    clusterIP?: string;
    ports?: Array<{ port: number; targetPort: string | number }>;
    scaleTargetRef?: { name: string };
    minReplicaCount?: number;
    maxReplicaCount?: number;
    triggers?: Array<{ type: string; metadata: Record<string, string> }>;
  };
}

const DIR = "infra/k8s";
const kustomization = readYaml<{ namespace: string; resources: string[]; images: Array<{ name: string }> }>(`${DIR}/kustomization.yaml`);
const manifests = kustomization.resources.flatMap((file) => readYamlDocuments<Manifest>(`${DIR}/${file}`));
const find = (kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${DIR}`);
  return found;
};
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
const COMPONENTS = ["api", "worker", "scheduler"] as const;

describe("infra/k8s deploys api, workers and scheduler with probes, configuration, autoscaling and migrations", () => {
  it("kustomization.yaml lists every manifest in the folder, and each exists", () => {
    const files = readdirSync(join(REPO_ROOT, DIR)).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(kustomization.namespace).toBe("stepwise");
    expect(find("Namespace", "stepwise")).toBeDefined();
  });

  it.each(COMPONENTS)(
    "stepwise-%s: Deployment running its own main module, probed on /healthz and /readyz, configured from the ConfigMap and Secret",
    (component) => {
      const deployment = find("Deployment", `stepwise-${component}`);
      const template = deployment.spec?.template;
      expect(selects(deployment.spec?.selector?.matchLabels ?? {}, template?.metadata.labels ?? {})).toBe(true);
      const [container] = template?.spec.containers ?? [];
      expect(container?.image).toBe(kustomization.images[0]?.name);
      const script = appScript(container?.command ?? []);
      expect(script).toBe(`apps/${component}/src/main.ts`);
      expect(repoPathExists(script as string)).toBe(true);
      expect(container?.ports).toEqual([{ name: "http", containerPort: 8080 }]);
      expect(container?.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: "http" });
      expect(container?.readinessProbe?.httpGet).toEqual({ path: "/readyz", port: "http" });
      expect(container?.startupProbe?.httpGet?.path).toBe("/healthz");
      expect(container?.envFrom).toEqual([{ configMapRef: { name: "stepwise-config" } }, { secretRef: { name: "stepwise-secrets" } }]);
    },
  );

  it.each(COMPONENTS)("stepwise-%s: a Service selects its pods on the http port", (component) => {
    const labels = find("Deployment", `stepwise-${component}`).spec?.template?.metadata.labels ?? {};
    const service = find("Service", `stepwise-${component}`);
    expect(selects(service.spec?.selector ?? {}, labels)).toBe(true);
    expect(service.spec?.ports).toEqual([expect.objectContaining({ port: 8080, targetPort: "http" })]);
  });

  it("workers get longer than their shutdown grace to stop, and scale on queue depth with KEDA", () => {
    const worker = find("Deployment", "stepwise-worker");
    expect(worker.spec?.template?.spec.terminationGracePeriodSeconds).toBeGreaterThan(SHUTDOWN_GRACE_SECONDS);
    const scaler = find("ScaledObject", "stepwise-worker");
    expect(scaler.apiVersion).toBe("keda.sh/v1alpha1");
    expect(scaler.spec?.scaleTargetRef?.name).toBe("stepwise-worker");
    expect(scaler.spec?.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(scaler.spec?.maxReplicaCount).toBeGreaterThan(scaler.spec?.minReplicaCount ?? 0);
    const prometheus = scaler.spec?.triggers?.find((t) => t.type === "prometheus");
    expect(prometheus?.metadata.query).toContain("stepwise_queue_jobs");
    expect(Number(prometheus?.metadata.threshold)).toBeGreaterThan(0);
  });

  it("the migration Job runs `npm run db:migrate` with the same configuration", () => {
    const job = find("Job", "stepwise-migrate");
    const pod = job.spec?.template?.spec as PodSpec;
    expect(pod.containers[0]?.command).toEqual(["npm", "run", "db:migrate"]);
    expect(pod.restartPolicy).toMatch(/^(OnFailure|Never)$/);
    expect(pod.containers[0]?.envFrom).toEqual(find("Deployment", "stepwise-api").spec?.template?.spec.containers[0]?.envFrom);
  });

  it("the ConfigMap and Secret hold the stores' addresses, listen on every interface with authentication on, and set only known variables", () => {
    const config = find("ConfigMap", "stepwise-config").data ?? {};
    const secret = find("Secret", "stepwise-secrets").stringData ?? {};
    const env = { ...config, ...secret };
    expect(Object.keys(env).filter((k) => !KNOWN_ENV.has(k))).toEqual([]);
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\//);
    expect(env.REDIS_URL).toMatch(/^redis:\/\//);
    expect(env).toMatchObject({ PORT: "8080", HOST: "0.0.0.0", STEPWISE_AUTH: "on" });
    // Credentials belong in the Secret, not the ConfigMap.
    for (const key of ["DATABASE_URL", "STEPWISE_ACCESS_KEYS", "STEPWISE_API_TOKENS"]) expect(config).not.toHaveProperty(key);
  });

  it("Prometheus finds every pod through headless Services that also list pods not ready (draining ones too)", () => {
    const config = readYamlDocuments<Manifest>(`${DIR}/prometheus-scrape.yaml`)[0]?.data?.["prometheus.yml"] as string;
    const names = [...config.matchAll(/names: \[([\w.-]+)\]/g)].map((m) => m[1] as string);
    expect(names).toHaveLength(3);
    for (const name of names) {
      const [service, namespace] = name.split(".");
      expect(namespace).toBe(kustomization.namespace);
      const headless = find("Service", service as string);
      expect(headless.spec?.clusterIP).toBe("None");
      expect((headless.spec as { publishNotReadyAddresses?: boolean }).publishNotReadyAddresses).toBe(true);
    }
  });
});
