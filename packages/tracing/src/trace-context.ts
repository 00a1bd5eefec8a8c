/**
 * The trace context formats Stepwise reads and writes: W3C `traceparent` (HTTP headers, queue jobs),
 * AWS X-Ray's trace header (StartExecution's `traceHeader`), and an execution's own trace, stored with
 * it so that any process can carry its trace on.
 */

/** A span of a sampled trace: 32 and 16 lower-case hex digits. */
export interface SpanRef {
  traceId: string;
  spanId: string;
}

/**
 * What an execution keeps of its trace: the trace, the id of its own `execution` span (the parent of its
 * transitions, recorded when it ends) and that span's parent (its StartExecution, or the transition of a
 * distributed Map that started it). Only sampled executions have one.
 */
export interface ExecutionTrace extends SpanRef {
  parentSpanId?: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

/** A parent read from outside: its span, and whether its sender sampled it. */
export interface IncomingParent extends SpanRef {
  sampled: boolean;
}

/** A W3C traceparent header; undefined if it is not a valid one (the specification says to ignore it then). */
export function parseTraceparent(header: string | undefined | null): IncomingParent | undefined {
  const match = header ? TRACEPARENT.exec(header.trim()) : null;
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  // Version ff is invalid; version 00 has nothing after the flags.
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/** The traceparent of a sampled span. */
export function formatTraceparent({ traceId, spanId }: SpanRef): string {
  return `00-${traceId}-${spanId}-01`;
}

/**
 * AWS X-Ray's trace header, as StartExecution's `traceHeader` carries it:
 * `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`. The X-Ray trace id
 * (time and random part) is a valid W3C trace id once its dashes are dropped, as AWS's own OpenTelemetry
 * propagator does. Without a Parent there is nothing to hang a span from: undefined.
 */
export function parseXRayHeader(header: string | undefined | null): IncomingParent | undefined {
  if (!header) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at > 0) fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const root = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/.exec(fields.get("Root") ?? "");
  const parent = fields.get("Parent") ?? "";
  if (!root || !/^[0-9a-f]{16}$/.test(parent) || parent === ZERO_SPAN) return undefined;
  return { traceId: `${root[1]}${root[2]}`, spanId: parent, sampled: fields.get("Sampled") === "1" };
}

/** As stored in the executions table: the execution span's traceparent, and its parent span after a `;`. */
export function formatExecutionTrace(trace: ExecutionTrace): string {
  return trace.parentSpanId ? `${formatTraceparent(trace)};${trace.parentSpanId}` : formatTraceparent(trace);
}

export function parseExecutionTrace(text: string | null | undefined): ExecutionTrace | undefined {
  if (!text) return undefined;
  const [traceparent, parentSpanId] = text.split(";");
  const span = parseTraceparent(traceparent);
  if (!span) return undefined;
  return { traceId: span.traceId, spanId: span.spanId, ...(parentSpanId ? { parentSpanId } : {}) };
}
