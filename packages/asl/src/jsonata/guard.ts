/**
 * Bounds on one JSONata evaluation, so that a runaway expression fails its state with
 * States.QueryEvaluationError instead of hanging the worker or exhausting its memory.
 *
 * AWS bounds evaluation the same way (a recursion that never ends, an expression over an enormous
 * sequence), and words the failures with the messages below.
 */

export interface EvaluationLimits {
  /**
   * Wall time one expression may take. A tail-recursive loop never grows the stack (JSONata trampolines
   * tail calls), so only a clock can end it. An evaluation never yields to the event loop (its awaits
   * are microtasks), so this is also how long one evaluation can hold the process: health checks,
   * other executions and lock renewals wait that long.
   */
  timeoutMs: number;
  /**
   * How many lambda invocations may be under way at once. A non-tail recursion adds one per level
   * (tail calls are trampolined and add none). Counting invocations rather than evaluation steps keeps
   * the count independent of how a body is written, but jsonata-js evaluates the items of an array
   * constructor and the groups of an object constructor concurrently, so their invocations count side
   * by side.
   */
  maxCallDepth: number;
  /** The longest string one evaluation step may produce. */
  maxStringLength: number;
  /** The longest array one evaluation step may produce. */
  maxArrayLength: number;
  /**
   * How large (in JSON bytes, estimated while copying) a result may be. JSONata hands results back by
   * reference, so a cheap expression (`[1..100].($states.input)`) can name far more data than copying and
   * serialising it can afford. Beyond the payload quota a result fails anyway (States.DataLimitExceeded);
   * this bound, a multiple of that quota, keeps the failure cheap. Each node also counts its depth in the
   * result: serialising nested data costs time in proportion to depth.
   */
  maxResultBytes: number;
}

/**
 * The size bounds reproduce what AWS refuses: it accepts `[1..873782]` and a string of 2^22
 * characters, and fails `[1..873783]` and a string of 2^23 characters (6,990,256 bytes, a number
 * counting 8 bytes and a character one).
 *
 * The call bound is far above AWS's nesting limit (about 33 nested calls): a tight bound would fail
 * grouping expressions AWS accepts, whose groups invoke their lambdas concurrently. 10,000 nested
 * calls hold roughly 80 MB, well within a worker's means.
 *
 * Half a second: the reference JSONata engine's default of five seconds let four concurrent runaway
 * evaluations hold a process for twenty. Every expression of the AWS-recorded cases and of this
 * project's tests takes a few milliseconds; the heaviest legitimate ones measured (a recursion 2,000
 * calls deep, grouping 3,000 items through a lambda) take 250-600 ms on a loaded two-core machine.
 */
export const DEFAULT_EVALUATION_LIMITS: Readonly<EvaluationLimits> = Object.freeze({
  timeoutMs: 500,
  maxCallDepth: 10_000,
  maxStringLength: 6_990_256,
  maxArrayLength: 873_782,
  maxResultBytes: 4 * 262_144,
});

/** Nested calls beyond which running out of time is reported as the recursion it is. */
const DEEP_RECURSION = 1_000;

export type RunawayKind = "depth" | "time" | "memory";

const RUNAWAY_MESSAGES: Record<RunawayKind, string> = {
  depth: "Stack overflow error: Check for non-terminating recursive function. Consider rewriting as tail-recursive.",
  time: "Expression evaluation timeout: Check for infinite loop",
  memory: "Expression evaluation memory limit exceeded: Check for excessive memory usage",
};

/** An evaluation stopped by one of its bounds. AWS writes these without a JSONata error code. */
export class RunawayEvaluation extends Error {
  override readonly name = "RunawayEvaluation";
  constructor(readonly kind: RunawayKind) {
    super(RUNAWAY_MESSAGES[kind]);
  }
}

/** What AWS says when an evaluation exceeds a bound of the given kind. */
export function runawayMessage(kind: RunawayKind): string {
  return RUNAWAY_MESSAGES[kind];
}

/**
 * The state of one evaluation against its bounds. Once a bound trips, every later step throws the same
 * error: jsonata-js lets the other branches of a concurrent array or object keep running after one has
 * failed, and they must stop too.
 */
export class EvaluationGuard {
  private depth = 0;
  private tripped: RunawayEvaluation | null = null;
  // The one clock read in the pure core: a monotonic clock that only bounds how long evaluation may
  // run. It never influences the value of an evaluation that succeeds.
  private readonly startedAt = performance.now();

  constructor(private readonly limits: Readonly<EvaluationLimits>) {}

  /** Called as each evaluation step starts; `isCall` when the step is the body of an invoked lambda. */
  enter(isCall: boolean): void {
    this.checkRunning();
    if (isCall) {
      this.depth += 1;
      if (this.depth > this.limits.maxCallDepth) this.trip("depth");
    }
  }

  /** Called as each evaluation step ends, with the value it produced. */
  exit(isCall: boolean, result: unknown): void {
    if (isCall) this.depth -= 1;
    if (typeof result === "string") this.checkStringLength(result.length);
    else if (Array.isArray(result)) this.checkArrayLength(result.length);
    this.checkRunning();
  }

  /** For work inside one step that can be long (copying a result): throws once time is up. */
  tick(): void {
    this.checkRunning();
  }

  /** A result is larger than an evaluation may hand back. */
  resultTooLarge(): never {
    this.trip("memory");
  }

  /** For functions that know how large an array they are about to build. */
  checkArrayLength(length: number): void {
    if (length > this.limits.maxArrayLength) this.trip("memory");
  }

  private checkStringLength(length: number): void {
    if (length > this.limits.maxStringLength) this.trip("memory");
  }

  /** Throws once the evaluation has run out of time; also called from inside long single steps (regex searches). */
  checkRunning(): void {
    if (this.tripped) throw this.tripped;
    // Out of time while deep in nested calls: AWS, whose nesting limit is about 33 calls, would have
    // stopped this recursion as a stack overflow long before, and that is the useful diagnosis.
    if (performance.now() - this.startedAt > this.limits.timeoutMs) this.trip(this.depth >= DEEP_RECURSION ? "depth" : "time");
  }

  private trip(kind: RunawayKind): never {
    this.tripped = new RunawayEvaluation(kind);
    throw this.tripped;
  }
}
