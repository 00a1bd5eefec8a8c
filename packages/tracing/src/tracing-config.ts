/**
 * Tracing configuration: the OpenTelemetry SDK's standard `OTEL_*` variables, parsed once at start-up.
 * Tracing is off unless an OTLP endpoint is named (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or
 * OTEL_EXPORTER_OTLP_ENDPOINT to which `/v1/traces` is added, as the specification says), and
 * OTEL_SDK_DISABLED / OTEL_TRACES_EXPORTER=none turn it off again.
 */
import { z } from "zod";

export type SamplerName =
  | "always_on"
  | "always_off"
  | "traceidratio"
  | "parentbased_always_on"
  | "parentbased_always_off"
  | "parentbased_traceidratio";

export type TracingConfig =
  | { enabled: false }
  | {
      enabled: true;
      /** Where spans are POSTed (OTLP/HTTP). */
      url: string;
      protocol: "http/protobuf" | "http/json";
      headers: Record<string, string>;
      timeoutMs: number;
      serviceName: string;
      resourceAttributes: Record<string, string>;
      sampler: SamplerName;
      /** The ratio of the `traceidratio` samplers, 0 to 1. */
      samplerArg: number;
      batch: { scheduledDelayMs: number; maxQueueSize: number; maxExportBatchSize: number; exportTimeoutMs: number };
    };

const flag = z
  .enum(["true", "false", "TRUE", "FALSE", "True", "False"])
  .optional()
  .transform((v) => v?.toLowerCase() === "true");
const url = z.string().url().optional();
const protocol = z
  .enum(["http/protobuf", "http/json", "grpc"])
  .optional()
  .refine((p) => p !== "grpc", "grpc is not supported: use http/protobuf or http/json");
const millis = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

export const tracingEnvSchema = z.object({
  OTEL_SDK_DISABLED: flag.describe("`true` turns tracing off whatever else is set."),
  OTEL_TRACES_EXPORTER: z.string().default("otlp").describe("`otlp` exports traces; `none` (or a list without `otlp`) turns them off."),
  OTEL_EXPORTER_OTLP_ENDPOINT: url.describe(
    "OTLP/HTTP base URL; traces go to `<url>/v1/traces`. Unset (and no traces endpoint): no tracing ([observability.md](observability.md)).",
  ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url.describe("OTLP/HTTP URL for traces, used as given; wins over `OTEL_EXPORTER_OTLP_ENDPOINT`."),
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol.describe("`http/protobuf` (default) or `http/json`; `grpc` is refused."),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol.describe("As `OTEL_EXPORTER_OTLP_PROTOCOL`, for traces only."),
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional().describe("Headers sent with every export, `key=value` pairs separated by commas."),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: z.string().optional().describe("As `OTEL_EXPORTER_OTLP_HEADERS`, for traces only."),
  OTEL_EXPORTER_OTLP_TIMEOUT: z.coerce.number().int().positive().optional().describe("Milliseconds an export may take (default 10,000)."),
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe("As `OTEL_EXPORTER_OTLP_TIMEOUT`, for traces only."),
  OTEL_SERVICE_NAME: z.string().min(1).optional().describe("The `service.name` of the spans; default the process's name."),
  OTEL_RESOURCE_ATTRIBUTES: z.string().optional().describe("More resource attributes, `key=value` pairs separated by commas."),
  OTEL_TRACES_SAMPLER: z
    .enum(["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"])
    .default("parentbased_always_on")
    .describe(
      "Which executions are traced, decided at their start; a state machine's `TracingConfiguration.enabled` traces its executions whatever this says.",
    ),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional().describe("The ratio (0 to 1) of the `traceidratio` samplers."),
  OTEL_BSP_SCHEDULE_DELAY: millis(5000).describe("Milliseconds between exports of finished spans."),
  OTEL_BSP_MAX_QUEUE_SIZE: z.coerce
    .number()
    .int()
    .positive()
    .default(2048)
    .describe("Finished spans held for export at most; past it, new ones are dropped."),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: z.coerce.number().int().positive().default(512).describe("Spans per export at most."),
  OTEL_BSP_EXPORT_TIMEOUT: millis(30_000).describe("Milliseconds one batch export may take."),
});

/** Parses the environment; a bad value stops start-up with every problem named. */
export function loadTracingConfig(env: Record<string, string | undefined> = process.env, defaultServiceName = "stepwise"): TracingConfig {
  // The specification reads an empty value as unset.
  const set = Object.fromEntries(Object.entries(env).filter(([key, value]) => !key.startsWith("OTEL_") || value !== ""));
  const parsed = tracingEnvSchema.safeParse(set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const exporters = e.OTEL_TRACES_EXPORTER.split(",").map((s) => s.trim());
  const url = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (e.OTEL_EXPORTER_OTLP_ENDPOINT && signalUrl(e.OTEL_EXPORTER_OTLP_ENDPOINT));
  if (e.OTEL_SDK_DISABLED || !exporters.includes("otlp") || !url) return { enabled: false };
  const resourceAttributes = keyValueList(e.OTEL_RESOURCE_ATTRIBUTES, "OTEL_RESOURCE_ATTRIBUTES");
  return {
    enabled: true,
    url,
    protocol: e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? e.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf",
    headers: {
      ...keyValueList(e.OTEL_EXPORTER_OTLP_HEADERS, "OTEL_EXPORTER_OTLP_HEADERS"),
      ...keyValueList(e.OTEL_EXPORTER_OTLP_TRACES_HEADERS, "OTEL_EXPORTER_OTLP_TRACES_HEADERS"),
    },
    timeoutMs: e.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? e.OTEL_EXPORTER_OTLP_TIMEOUT ?? 10_000,
    // As the SDK does: OTEL_SERVICE_NAME wins over a service.name in OTEL_RESOURCE_ATTRIBUTES.
    serviceName: e.OTEL_SERVICE_NAME ?? resourceAttributes["service.name"] ?? defaultServiceName,
    resourceAttributes,
    sampler: e.OTEL_TRACES_SAMPLER,
    samplerArg: e.OTEL_TRACES_SAMPLER_ARG ?? 1,
    batch: {
      scheduledDelayMs: e.OTEL_BSP_SCHEDULE_DELAY,
      maxQueueSize: e.OTEL_BSP_MAX_QUEUE_SIZE,
      maxExportBatchSize: Math.min(e.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, e.OTEL_BSP_MAX_QUEUE_SIZE),
      exportTimeoutMs: e.OTEL_BSP_EXPORT_TIMEOUT,
    },
  };
}

/** The base endpoint's URL for traces: `/v1/traces` appended to its path. */
function signalUrl(base: string): string {
  return `${base.replace(/\/+$/, "")}/v1/traces`;
}

/** `key1=value1,key2=value2`, values percent-encoded (W3C Baggage's format, which the specification uses). */
function keyValueList(text: string | undefined, name: string): Record<string, string> {
  const result: Record<string, string> = {};
  if (!text) return result;
  for (const pair of text.split(",")) {
    if (pair.trim() === "") continue;
    const at = pair.indexOf("=");
    if (at <= 0) throw new Error(`Invalid configuration: ${name}: '${pair.trim()}' is not key=value`);
    result[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return result;
}
