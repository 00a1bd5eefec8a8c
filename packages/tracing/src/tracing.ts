/**
 * The OpenTelemetry SDK, set up from TracingConfig: a tracer provider of its own (nothing global is
 * registered, so a handler module's own OpenTelemetry setup is left alone), a batch span processor and
 * an OTLP/HTTP exporter. Exporting never holds up the caller: spans wait in the processor's bounded
 * queue, and a batch that cannot be delivered is dropped and counted (`onDropped`).
 */
import { type Attributes, type Context, ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, type Tracer, trace } from "@opentelemetry/api";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter as JsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type ReadableSpan,
  type Sampler,
  SamplingDecision,
  type SpanExporter,
  TraceIdRatioBasedSampler,
} from "@opentelemetry/sdk-trace-base";
import { PresetIds } from "./preset-ids.ts";
import type { IncomingParent, SpanRef } from "./trace-context.ts";
import type { SamplerName, TracingConfig } from "./tracing-config.ts";

/** A span recorded once it is over. */
export interface SpanRecord {
  name: string;
  kind?: SpanKind;
  /** Its trace and its id (drawn with `newSpanId` when something had to name it as parent before it ended). */
  span: SpanRef;
  /** Absent: the root of its trace. */
  parentSpanId?: string;
  /** Epoch milliseconds. */
  start: number;
  end: number;
  attributes?: Attributes;
  /** The span failed, with this message. */
  error?: string;
}

export interface TracingOptions {
  /** Spans an export failed to deliver (an unreachable endpoint): they are dropped. */
  onDropped?: (count: number) => void;
}

export class Tracing {
  /** The tracer whose spans go where Stepwise's go (a task handler's own spans, through `ctx.trace`). */
  readonly tracer: Tracer;

  constructor(
    private readonly provider: BasicTracerProvider,
    private readonly ids: PresetIds,
    private readonly sampler: Sampler,
  ) {
    this.tracer = provider.getTracer("stepwise");
  }

  newTraceId(): string {
    return this.ids.generateTraceId();
  }

  newSpanId(): string {
    return this.ids.generateSpanId();
  }

  /**
   * Whether a new execution is traced: always when its state machine asks for it (TracingConfiguration),
   * otherwise as OTEL_TRACES_SAMPLER decides (the default follows a parent's decision, and samples roots).
   */
  sampled(traceId: string, parent: IncomingParent | undefined, forced: boolean, name: string, attributes: Attributes): boolean {
    if (forced) return true;
    const context = parent
      ? trace.setSpanContext(ROOT_CONTEXT, {
          traceId: parent.traceId,
          spanId: parent.spanId,
          traceFlags: parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
          isRemote: true,
        })
      : ROOT_CONTEXT;
    const result = this.sampler.shouldSample(context, traceId, name, SpanKind.SERVER, attributes, []);
    return result.decision === SamplingDecision.RECORD_AND_SAMPLED;
  }

  /** Records a span that is over. Only sampled traces get here: the provider samples every span. */
  record(record: SpanRecord): void {
    const parent = record.parentSpanId ? this.contextOf({ traceId: record.span.traceId, spanId: record.parentSpanId }) : ROOT_CONTEXT;
    const span = this.ids.withIds(record.span, () =>
      this.tracer.startSpan(
        record.name,
        {
          kind: record.kind ?? SpanKind.INTERNAL,
          startTime: record.start,
          ...(record.attributes ? { attributes: record.attributes } : {}),
        },
        parent,
      ),
    );
    if (record.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: record.error });
    span.end(Math.max(record.end, record.start));
  }

  /** A context whose active span is `span` (of a sampled trace), to start spans under it. */
  contextOf(span: SpanRef): Context {
    return trace.setSpanContext(ROOT_CONTEXT, { ...span, traceFlags: TraceFlags.SAMPLED, isRemote: true });
  }

  /** Sends what is queued. */
  flush(): Promise<void> {
    return this.provider.forceFlush();
  }

  /** Sends what is queued and stops. */
  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}

/** The SDK set up as configured, or undefined when tracing is off (then nothing is traced at all). */
export function createTracing(config: TracingConfig, options: TracingOptions = {}): Tracing | undefined {
  if (!config.enabled) return undefined;
  const exporterConfig = { url: config.url, headers: config.headers, timeoutMillis: config.timeoutMs };
  const exporter = config.protocol === "http/json" ? new JsonTraceExporter(exporterConfig) : new ProtobufTraceExporter(exporterConfig);
  const ids = new PresetIds();
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ ...config.resourceAttributes, "service.name": config.serviceName })),
    idGenerator: ids,
    sampler: new AlwaysOnSampler(),
    spanProcessors: [
      new BatchSpanProcessor(new CountingExporter(exporter, options.onDropped), {
        scheduledDelayMillis: config.batch.scheduledDelayMs,
        maxQueueSize: config.batch.maxQueueSize,
        maxExportBatchSize: config.batch.maxExportBatchSize,
        exportTimeoutMillis: config.batch.exportTimeoutMs,
      }),
    ],
  });
  return new Tracing(provider, ids, samplerOf(config.sampler, config.samplerArg));
}

function samplerOf(name: SamplerName, ratio: number): Sampler {
  switch (name) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(ratio);
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

/** Counts the spans of exports that failed: the processor drops them. */
class CountingExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly onDropped: ((count: number) => void) | undefined,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) this.onDropped?.(spans.length);
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
