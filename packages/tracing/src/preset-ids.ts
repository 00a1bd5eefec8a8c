import { type IdGenerator, RandomIdGenerator } from "@opentelemetry/sdk-trace-base";
import type { SpanRef } from "./trace-context.ts";

/**
 * The SDK's id generator, except that the next span can be given its ids. Stepwise records most spans
 * once they are over (an execution's span when it ends, maybe in another process), but their ids were
 * handed out before, as the parent of what happened meanwhile. The SDK draws a span's ids synchronously
 * inside `startSpan`, so setting them just before and clearing them just after reaches that span only.
 */
export class PresetIds implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  private next: SpanRef | undefined;

  /** Runs `start` (which starts exactly one span) with the span's ids being `span`'s. */
  withIds<T>(span: SpanRef, start: () => T): T {
    this.next = span;
    try {
      return start();
    } finally {
      this.next = undefined;
    }
  }

  generateTraceId(): string {
    return this.next?.traceId ?? this.random.generateTraceId();
  }

  generateSpanId(): string {
    return this.next?.spanId ?? this.random.generateSpanId();
  }
}
