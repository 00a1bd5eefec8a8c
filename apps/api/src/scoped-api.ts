/**
 * For the scoped-credential tests: the live API with a key and a token scoped to `orders-*`, an
 * unrestricted key and token, and a worker whose `callback` handler hands out task tokens.
 */
import { SFNClient } from "@aws-sdk/client-sfn";
import { type LiveApi, startLiveApi } from "./live-api.ts";

export const ORDERS_KEY = { id: "AKIDORDERS", secret: "orders-secret/K7MDENG+bPxRfiCY" };
export const ADMIN_KEY = { id: "AKIDADMIN", secret: "admin-secret/wJalrXUtnFEMI+Xy" };
export const ORDERS_TOKEN = "orders-token-5d1e7a";
export const ADMIN_TOKEN = "admin-token-c04b9f";
export const ACCOUNT = "arn:aws:states:us-east-1:123456789012";
export const ROLE_ARN = "arn:aws:iam::123456789012:role/stepwise-test";

const ORDERS_SCOPE = { stateMachines: ["orders-*"], activities: ["orders-*"], handlers: ["orders-*"] };

export const machineArn = (name: string) => `${ACCOUNT}:stateMachine:${name}`;
export const activityArn = (name: string) => `${ACCOUNT}:activity:${name}`;

/** A machine whose only task waits for SendTaskSuccess/Failure with the token the `callback` handler got. */
export const callbackDefinition = JSON.stringify({
  StartAt: "Wait for callback",
  States: {
    "Wait for callback": {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { FunctionName: "callback", Payload: { "token.$": "$$.Task.Token" } },
      End: true,
    },
  },
});

export interface ScopedApi extends LiveApi {
  orders: SFNClient;
  admin: SFNClient;
  /** The task token the execution's callback task was given (waits for it). */
  tokenOf(executionArn: string): Promise<string>;
}

export async function startScopedApi(): Promise<ScopedApi> {
  const tokens = new Map<string, string>();
  const api = await startLiveApi({
    apiEnv: {
      STEPWISE_ACCESS_KEYS: `${ORDERS_KEY.id}:${ORDERS_KEY.secret},${ADMIN_KEY.id}:${ADMIN_KEY.secret}`,
      STEPWISE_API_TOKENS: `${ADMIN_TOKEN},${ORDERS_TOKEN}`,
      STEPWISE_KEY_SCOPES: JSON.stringify({ [ORDERS_KEY.id]: ORDERS_SCOPE, [ORDERS_TOKEN]: ORDERS_SCOPE }),
    },
    prepare: (t) => {
      t.worker({
        handlers: {
          callback: (_input, context) => {
            tokens.set(context.executionArn, context.taskToken as string);
            return undefined;
          },
        },
      });
      t.scheduler();
    },
  });
  const client = (key: { id: string; secret: string }) =>
    new SFNClient({
      endpoint: api.endpoint,
      region: api.region,
      credentials: { accessKeyId: key.id, secretAccessKey: key.secret },
      maxAttempts: 1,
      disableHostPrefix: true,
    });
  const orders = client(ORDERS_KEY);
  const admin = client(ADMIN_KEY);
  return {
    ...api,
    orders,
    admin,
    tokenOf: async (executionArn) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const token = tokens.get(executionArn);
        if (token !== undefined) return token;
        if (Date.now() > deadline) throw new Error(`no task token for ${executionArn}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: async () => {
      orders.destroy();
      admin.destroy();
      await api.close();
    },
  };
}
