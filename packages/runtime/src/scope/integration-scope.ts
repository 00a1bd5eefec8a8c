/**
 * Whether an integration task may call its AWS service on behalf of the credential that started the
 * execution. Checked when the task runs, whatever the definition looked like when it was created: a machine
 * an unscoped key created and a scoped key started, a Lambda FunctionName read from the input and sent to
 * the Lambda endpoint, a definition stored before the check at creation existed. Refused with
 * StepFunctions.AccessDeniedException, as a nested start outside the scope is; the service is not called.
 */
import { type Executor, getExecutionScope } from "@stepwise/storage";
import { awsIntegration } from "../resource-map.ts";
import { TaskFailure } from "../worker/task-handler.ts";
import { accessDeniedMessage, ScopeMatcher } from "./credential-scope.ts";

export async function requireIntegrationScope(db: Executor, executionArn: string, resource: string): Promise<void> {
  const integration = awsIntegration(resource);
  if (!integration) return;
  const scope = await getExecutionScope(db, executionArn);
  if (scope === null || new ScopeMatcher(scope).allowsAwsService(integration.service)) return;
  const action = `${integration.service}:${integration.action.charAt(0).toUpperCase()}${integration.action.slice(1)}`;
  throw new TaskFailure(
    "StepFunctions.AccessDeniedException",
    `${accessDeniedMessage(scope.principal, action, resource, `the credential that started the execution does not list '${integration.service}' in awsServices`)} (Service: AWSStepFunctions; Status Code: 400; Error Code: AccessDeniedException)`,
  );
}
