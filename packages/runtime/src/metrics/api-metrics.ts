/** HTTP requests served by the API, timed by its request middleware. */
import { Histogram, type Registry } from "prom-client";

export const API_REQUEST_DURATION = "stepwise_api_request_duration_seconds";

/** The API's request histogram in this registry, created on first use (the app may be built more than once). */
export function apiRequestDuration(registry: Registry): Histogram<"action" | "status"> {
  const existing = registry.getSingleMetric(API_REQUEST_DURATION);
  if (existing) return existing as Histogram<"action" | "status">;
  return new Histogram({
    name: API_REQUEST_DURATION,
    help: "API requests, by action (the AWS X-Amz-Target operation, or the REST route) and HTTP status",
    labelNames: ["action", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
}
