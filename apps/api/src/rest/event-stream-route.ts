/**
 * `GET /executions/:arn/events/stream`: the execution's history as Server-Sent Events. Each event is
 * `event: history` with the event's id as the SSE id, so a reconnecting EventSource resumes through
 * Last-Event-ID; `event: end` follows the last event of a closed execution.
 */
import type { Logger } from "@stepwise/runtime";
import { getExecution } from "@stepwise/storage";
import type { Request, Response, Router } from "express";
import type { ApiDependencies } from "../api-dependencies.ts";
import { accessOf } from "../auth/bearer.ts";
import { type HistorySink, streamHistory } from "./history-stream.ts";
import { executionArnParam, queryInteger } from "./request-input.ts";
import { describeError, RestError } from "./rest-error.ts";
import { StreamSlots } from "./stream-slots.ts";

const POLL_MS = 250;
/** A comment line after this much silence keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000;

export function registerEventStreamRoute(router: Router, deps: ApiDependencies): void {
  const { db, logger } = deps.runtime;
  const slots = new StreamSlots(deps.config.STEPWISE_MAX_STREAMS_PER_CREDENTIAL);
  const pageBytes = deps.config.STEPWISE_HISTORY_PAGE_BYTES;

  router.get("/executions/:arn/events/stream", async (req, res) => {
    const arn = executionArnParam(req);
    const after = startingPoint(req);
    await getExecution(db, arn);
    const release = slots.take(accessOf(res).principal);

    res.status(200).set({
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    res.flushHeaders();
    const disconnected = new AbortController();
    res.on("close", () => disconnected.abort());
    // A client gone while the execution was looked up closed before the listener was there.
    if (res.destroyed || req.socket.destroyed) disconnected.abort();

    const sink = sseSink(res, KEEP_ALIVE_MS);
    try {
      await streamHistory(db, arn, sink, { after, pollMs: POLL_MS, pageBytes, signal: disconnected.signal });
    } catch (error) {
      await reportStreamError(res, logger, arn, error);
    } finally {
      release();
      res.end();
    }
  });
}

/** `?after=`, else the Last-Event-ID a reconnecting EventSource sends, else the beginning. */
function startingPoint(req: Request): number {
  const after = queryInteger(req, "after", 0, Number.MAX_SAFE_INTEGER);
  if (after !== undefined) return after;
  const lastEventId = req.get("last-event-id");
  if (lastEventId === undefined || lastEventId === "") return 0;
  if (!/^\d+$/.test(lastEventId)) throw new RestError(400, "ValidationException", "Last-Event-ID must be a history event id");
  return Number(lastEventId);
}

function sseSink(res: Response, keepAliveMs: number): HistorySink {
  let lastWrite = Date.now();
  const write = async (chunk: string) => {
    lastWrite = Date.now();
    if (res.writableEnded || res.destroyed) return;
    // Respect backpressure: a slow reader must not make the server buffer a whole history.
    if (!res.write(chunk)) await drainedOrClosed(res);
  };
  return {
    event: (event) => write(`id: ${event.id}\nevent: history\ndata: ${JSON.stringify(event)}\n\n`),
    end: (status) => write(`event: end\ndata: ${JSON.stringify({ status })}\n\n`),
    idle: async () => {
      if (Date.now() - lastWrite >= keepAliveMs) await write(": keep-alive\n\n");
    },
  };
}

/**
 * Resolves when the response can take more or has closed, leaving no listener behind: racing two
 * `once()`s left the loser attached, one per slow write, until MaxListenersExceededWarning.
 */
function drainedOrClosed(res: Response): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** Headers are already out, so a failure mid-stream becomes an `event: error` before the stream ends. */
async function reportStreamError(res: Response, logger: Logger, arn: string, error: unknown): Promise<void> {
  const known = describeError(error);
  if (!known) logger.error({ err: error, executionArn: arn }, "history stream failed");
  const body = known?.body ?? { error: "InternalFailure", message: "The stream failed because of an internal error" };
  if (!res.writableEnded && !res.destroyed) res.write(`event: error\ndata: ${JSON.stringify(body)}\n\n`);
}
