/** Reading the deployment files, and what the processes accept from the environment. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@stepwise/testkit";
import { parse, parseAllDocuments } from "yaml";
import { runtimeConfigSchema } from "../../../../packages/runtime/src/config.ts";
import { apiConfigSchema } from "../../../api/src/config.ts";

export { REPO_ROOT };

export function readYaml<T>(path: string): T {
  return parse(readFileSync(join(REPO_ROOT, path), "utf8"), { merge: true }) as T;
}

export function readYamlDocuments<T>(path: string): T[] {
  return parseAllDocuments(readFileSync(join(REPO_ROOT, path), "utf8"), { merge: true }).map((d) => d.toJS() as T);
}

export function repoPathExists(path: string): boolean {
  return existsSync(join(REPO_ROOT, path));
}

/**
 * Every variable a Stepwise process reads: the runtime's and the API's validated configuration, plus the
 * few read directly by the apps' main modules (PORT, the handlers module, the all-in-one data dir).
 */
export const KNOWN_ENV = new Set([
  ...Object.keys(runtimeConfigSchema.shape),
  ...Object.keys(apiConfigSchema.shape),
  "STEPWISE_HANDLERS_MODULE",
  "STEPWISE_DATA_DIR",
  "NODE_ENV",
]);

/** The shutdown grace exitOnSignals gives a process before it exits anyway (packages/runtime/src/ops/lifecycle.ts). */
export const SHUTDOWN_GRACE_SECONDS = 30;

/** The app a container command runs (`node --import tsx apps/x/src/main.ts`), checked to exist. */
export function appScript(command: readonly string[]): string | undefined {
  return command.find((part) => /^apps\/[\w-]+\/src\/main\.ts$/.test(part));
}
