/** How a Task's `Resource` ARN reads: which service, which action, which integration pattern. */
export interface ResourceDescription {
  resourceType: string;
  resourceName: string;
  waitForTaskToken: boolean;
  /** `.sync` / `.sync:2`: run to completion (nested executions, jobs). */
  sync: boolean;
}

export function describeResource(resource: string): ResourceDescription {
  const parts = resource.split(":");
  const waitForTaskToken = resource.endsWith(".waitForTaskToken");
  const sync = /\.sync(:\d+)?$/.test(resource);
  // arn:aws:states:::service:action[.pattern] is an optimized/SDK integration.
  if (parts[2] === "states" && parts[3] === "" && parts[4] === "") {
    return { resourceType: parts[5] ?? "states", resourceName: parts.slice(6).join(":"), waitForTaskToken, sync };
  }
  if (parts[2] === "states" && parts[5] === "activity") {
    return { resourceType: "activity", resourceName: resource, waitForTaskToken, sync };
  }
  return { resourceType: parts[2] ?? "unknown", resourceName: resource, waitForTaskToken, sync };
}
