import { Counter, type Registry } from "prom-client";

/** Spans the OTLP exporter could not deliver (tracing on, endpoint unreachable): dropped, never waited for. */
export function droppedSpanMetrics(registry: Registry, droppedSpans: () => number): void {
  let reported = 0;
  new Counter({
    name: "stepwise_trace_spans_dropped_total",
    help: "Trace spans dropped because the OTLP endpoint could not be reached or refused them",
    registers: [registry],
    collect() {
      const dropped = droppedSpans();
      if (dropped > reported) this.inc(dropped - reported);
      reported = dropped;
    },
  });
}
