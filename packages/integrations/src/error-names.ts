/**
 * How a failed AWS call is named for Retry and Catch. AWS SDK integrations name errors
 * `<ServiceName>.<ErrorName>`, both PascalCase, the error always ending in `Exception` (S3's
 * `BucketAlreadyExists` is `S3.BucketAlreadyExistsException`); the service name is the SDK's service id
 * split into words (`ACM PCA` → `AcmPca`, `DynamoDB` → `DynamoDb`, `SQS` → `Sqs`). Optimized integrations
 * keep the exception name as the service returns it, after their own prefix (`DynamoDB.`).
 */
import { TaskFailure } from "@stepwise/runtime";

/** `DynamoDB` → `DynamoDb`; `ACM PCA` → `AcmPca`. */
export function sdkServiceName(serviceId: string): string {
  const words = serviceId.match(/[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+/g) ?? [];
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join("");
}

export function withExceptionSuffix(name: string): string {
  return name.endsWith("Exception") ? name : `${name}Exception`;
}

/** An error the remote service answered (the SDK's ServiceException carries `$metadata` and `$fault`). */
function isServiceError(error: unknown): error is Error & { $fault: string } {
  return error instanceof Error && "$fault" in error && "$metadata" in error;
}

/**
 * The task failure for an error of an SDK call. `prefix`: `DynamoDb` (SDK integration) or `DynamoDB`
 * (optimized). An error raised before the service answered (connection refused, timeout) is named
 * `<prefix>.SdkClientException`, as AWS names its SDK client's failures (`Lambda.SdkClientException`).
 */
export function sdkCallFailure(error: unknown, prefix: string, suffixed: boolean): TaskFailure {
  if (error instanceof TaskFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isServiceError(error)) {
    const name = suffixed ? withExceptionSuffix(error.name) : error.name;
    return new TaskFailure(`${prefix}.${name}`, message);
  }
  return new TaskFailure(`${prefix}.SdkClientException`, message);
}
