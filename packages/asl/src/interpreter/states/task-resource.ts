/** How a Task's `Resource` ARN reads: which service, which action, which integration pattern. */
export interface ResourceDescription {
  resourceType: string;
  resourceName: string;
  waitForTaskToken: boolean;
  /** `.sync` / `.sync:2`: run to completion (nested executions, jobs). */
  sync: boolean;
  /**
   * A Lambda function's own ARN as the Resource (not the `lambda:invoke` integration): AWS records its
   * attempts as LambdaFunction* events rather than Task* ones.
   */
  lambdaFunction: boolean;
}

export function describeResource(resource: string): ResourceDescription {
  const parts = resource.split(":");
  const waitForTaskToken = resource.endsWith(".waitForTaskToken");
  const sync = /\.sync(:\d+)?$/.test(resource);
  const lambdaFunction = parts[2] === "lambda" && parts[5] === "function";
  // arn:aws:states:::service:action[.pattern] is an optimized/SDK integration.
  if (parts[2] === "states" && parts[3] === "" && parts[4] === "") {
    return { resourceType: parts[5] ?? "states", resourceName: parts.slice(6).join(":"), waitForTaskToken, sync, lambdaFunction };
  }
  if (parts[2] === "states" && parts[5] === "activity") {
    return { resourceType: "activity", resourceName: resource, waitForTaskToken, sync, lambdaFunction };
  }
  return { resourceType: parts[2] ?? "unknown", resourceName: resource, waitForTaskToken, sync, lambdaFunction };
}
