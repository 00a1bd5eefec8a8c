/**
 * The two failures a dataset store raises, as the DatasetFailure values the engine turns into
 * `States.ItemReaderFailed` / `States.ResultWriterFailed`, and how an S3 error reads in their causes.
 */
import type { DatasetFailure } from "@stepwise/asl";

export function itemReaderFailed(cause: string): DatasetFailure {
  return { error: "States.ItemReaderFailed", cause };
}

export function resultWriterFailed(cause: string): DatasetFailure {
  return { error: "States.ResultWriterFailed", cause };
}

export function isDatasetFailure(value: unknown): value is DatasetFailure {
  if (typeof value !== "object" || value === null) return false;
  const { error, cause } = value as Record<string, unknown>;
  return (error === "States.ItemReaderFailed" || error === "States.ResultWriterFailed") && typeof cause === "string";
}

export function s3Url(bucket: string, key?: string): string {
  return key === undefined ? `s3://${bucket}` : `s3://${bucket}/${key}`;
}

const accessDeniedCodes = new Set(["AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AllAccessDisabled", "ExpiredToken"]);
const unreachableCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

/** What went wrong with an S3 call, in words that tell the user what to fix. */
export function describeS3Error(error: unknown, endpoint: string): string {
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    name?: string;
    Code?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = e.Code ?? e.name ?? "Error";
  const status = e.$metadata?.httpStatusCode;
  const message = e.message ?? String(error);
  if (name === "NoSuchBucket") return "the bucket does not exist (NoSuchBucket)";
  if (name === "NoSuchKey" || (name === "NotFound" && status === 404)) return "the object does not exist (NoSuchKey)";
  if (name === "NoSuchVersion") return "the version does not exist (NoSuchVersion)";
  if (accessDeniedCodes.has(name) || status === 403) return `access denied (${name}: ${message})`;
  if (name === "TimeoutError" || e.code === "ETIMEDOUT" || name === "RequestTimeout") {
    return `the object store at ${endpoint} did not answer in time (${message})`;
  }
  const networkCode = e.code ?? (unreachableCodes.has(name) ? name : undefined);
  if (networkCode !== undefined && unreachableCodes.has(networkCode)) {
    return `the object store at ${endpoint} could not be reached (${networkCode})`;
  }
  return `${name}${status !== undefined ? ` (HTTP ${status})` : ""}: ${message}`;
}
