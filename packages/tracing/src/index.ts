export {
  type ExecutionTrace,
  formatExecutionTrace,
  formatTraceparent,
  type IncomingParent,
  parseExecutionTrace,
  parseTraceparent,
  parseXRayHeader,
  type SpanRef,
} from "./trace-context.ts";
export { createTracing, type SpanRecord, Tracing, type TracingOptions } from "./tracing.ts";
export { loadTracingConfig, type SamplerName, type TracingConfig } from "./tracing-config.ts";
