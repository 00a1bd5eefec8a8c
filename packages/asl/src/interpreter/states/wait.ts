import type { WaitState } from "../../definition.ts";
import { runtimeError } from "../../errors.ts";
import type { Json } from "../../json.ts";
import { jsonata, readPath, selectPath } from "../expressions.ts";
import { guard, leaveState, nextOf } from "../outcomes.ts";
import { passThroughOutput } from "../state-data.ts";
import type { StepContext } from "../step-context.ts";

export async function startWait(ctx: StepContext, state: WaitState): Promise<void> {
  await guard(ctx, async () => {
    const fireAt = await waitUntil(ctx, state);
    const timerId = ctx.newId();
    ctx.update({ phase: "awaitTimer", timerId });
    ctx.effect({ type: "startTimer", timerId, reason: "wait", fireAt: fireAt.toISOString() });
  });
}

export async function finishWait(ctx: StepContext, state: WaitState): Promise<void> {
  await guard(ctx, async () => leaveState(ctx, await passThroughOutput(ctx), nextOf(state)));
}

async function waitUntil(ctx: StepContext, state: WaitState): Promise<Date> {
  const scope = ctx.scope();
  const input = ctx.position.stateInput;
  const after = (seconds: number) => new Date(ctx.now.getTime() + seconds * 1000);
  if (ctx.language === "JSONata") {
    const states = { input, context: scope.context };
    if (state.Seconds !== undefined) {
      const seconds = await jsonata(state.Seconds, states, scope, ctx.now, "Seconds");
      if (!Number.isInteger(seconds) || (seconds as number) < 0) {
        throw runtimeError(`The Seconds field must evaluate to a non-negative integer, but was: ${JSON.stringify(seconds)}`);
      }
      return after(seconds as number);
    }
    const timestamp = await jsonata(state.Timestamp ?? null, states, scope, ctx.now, "Timestamp");
    return parseTimestamp(timestamp, "The Timestamp field", "");
  }
  const data = selectPath(state.InputPath, input, scope);
  if (state.Seconds !== undefined) return after(Number(state.Seconds));
  if (state.Timestamp !== undefined) return parseTimestamp(state.Timestamp, "The Timestamp field", "");
  if (state.SecondsPath !== undefined) {
    const value = readPath(state.SecondsPath, data, scope);
    const shown = `${state.SecondsPath} == ${JSON.stringify(value)}`;
    if (typeof value !== "number" || !Number.isInteger(value)) {
      throw runtimeError(`The SecondsPath parameter cannot be parsed as a long value: ${shown}`);
    }
    if (value < 0) throw runtimeError(`The SecondsPath parameter references a negative value: ${shown}`);
    return after(value);
  }
  const path = state.TimestampPath as string;
  const value = readPath(path, data, scope);
  return parseTimestamp(value, "The TimestampPath parameter", `: ${path} == ${JSON.stringify(value)}`);
}

/** RFC 3339 timestamps with an uppercase T and a zone, as AWS accepts them. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function parseTimestamp(value: Json, what: string, shown: string): Date {
  if (typeof value === "string" && TIMESTAMP.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw runtimeError(`${what} does not reference a valid ISO-8601 extended offset date-time format string${shown}`);
}
