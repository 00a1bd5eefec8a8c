import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

/**
 * Nothing logs credentials today; these paths make sure a future `{ req }`, `{ headers }` or config object
 * in a log line cannot leak a bearer token, a signature or a secret key.
 */
const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "headers.Authorization",
  "*.headers.authorization",
  "*.headers.Authorization",
  "authorization",
  "*.authorization",
  "secretAccessKey",
  "*.secretAccessKey",
  "STEPWISE_ACCESS_KEYS",
  "*.STEPWISE_ACCESS_KEYS",
  "STEPWISE_API_TOKENS",
  "*.STEPWISE_API_TOKENS",
  // Its keys may be bearer tokens.
  "STEPWISE_KEY_SCOPES",
  "*.STEPWISE_KEY_SCOPES",
];

/**
 * A failed statement's error (drizzle's) carries the statement's parameters, in a field and in its
 * message: state data, inputs and outputs, task tokens. A server fault is logged with the statement
 * only.
 */
function errWithoutParameters(err: Error): Record<string, unknown> {
  const serialized = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  if (!("params" in serialized)) return serialized;
  const { params: _params, ...rest } = serialized;
  const strip = (text: unknown) => (typeof text === "string" ? text.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, "") : text);
  return { ...rest, message: strip(rest.message), stack: strip(rest.stack) };
}

/** Structured JSON logs; children carry the execution ARN and state name. Written to stdout unless told otherwise. */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    name,
    base: { service: name },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: { err: errWithoutParameters },
  };
  return destination ? pino(options, destination) : pino(options);
}
