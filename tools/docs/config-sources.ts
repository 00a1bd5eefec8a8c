/**
 * Where every process's configuration comes from: the zod schemas it parses at start-up, grouped as the
 * code groups them, and which process reads which. docs/configuration.md is generated from this.
 */
import type { z } from "zod";
import { allInOneEnvSchema } from "../../apps/all-in-one/src/config.ts";
import { apiConfigSchema } from "../../apps/api/src/config.ts";
import { schedulerEnvSchema } from "../../apps/scheduler/src/config.ts";
import { workerEnvSchema } from "../../apps/worker/src/config.ts";
import { awsEnvPatterns, awsEnvSchema } from "../../packages/aws-config/src/aws-env.ts";
import { cliEnvSchema } from "../../packages/cli/src/commands/remote/remote-options.ts";
import { integrationsEnvSchema } from "../../packages/integrations/src/config.ts";
import { objectStorageEnvSchema } from "../../packages/object-storage/src/config.ts";
import { runtimeConfigSchema } from "../../packages/runtime/src/config.ts";
import { migrateEnvSchema } from "../../packages/storage/src/migrate-env.ts";
import { tracingEnvSchema } from "../../packages/tracing/src/tracing-config.ts";

/** One schema: a section of the reference. */
export interface ConfigSection {
  id: string;
  /** Its name in the table of processes. */
  short: string;
  title: string;
  /** The module that defines it, for readers who want the code. */
  source: string;
  /** What the entry module of a process that reads this section calls or names (any one of them). */
  readWith: string[];
  schema: z.ZodObject;
  /** Variables read by name pattern (`AWS_ENDPOINT_URL_<SERVICE>`), which a schema cannot list. */
  patterns?: ReadonlyArray<{ name: string; description: string }>;
}

export interface ConfigProcess {
  name: string;
  command: string;
  /** Its entry module, which must name one of each section's `readWith` (a test checks it). */
  entry: string;
  reads: string[];
}

export const configSections: ConfigSection[] = [
  {
    id: "runtime",
    short: "Runtime",
    title: "Runtime: Postgres, Redis, limits, workers and timers",
    source: "packages/runtime/src/config.ts",
    readWith: ["loadRuntimeConfig"],
    schema: runtimeConfigSchema,
  },
  {
    id: "tracing",
    short: "Tracing",
    title: "Tracing: OpenTelemetry's standard variables",
    source: "packages/tracing/src/tracing-config.ts",
    // Read with the runtime's configuration, by every process that runs executions or starts them.
    readWith: ["loadRuntimeConfig"],
    schema: tracingEnvSchema,
  },
  {
    id: "api",
    short: "API",
    title: "API: listening, authentication, request limits",
    source: "apps/api/src/config.ts",
    readWith: ["loadApiConfig"],
    schema: apiConfigSchema,
  },
  {
    id: "integrations",
    short: "AWS integrations",
    title: "AWS service integrations",
    source: "packages/integrations/src/config.ts",
    readWith: ["loadIntegrationsConfig"],
    schema: integrationsEnvSchema,
  },
  {
    id: "aws",
    short: "AWS SDK variables",
    title: "AWS SDK variables: integrations and object storage",
    source: "packages/aws-config/src/aws-env.ts",
    // Parsed by @stepwise/aws-config for both, so a variable means the same to the integrations and the store.
    readWith: ["loadIntegrationsConfig", "loadObjectStorageConfig"],
    schema: awsEnvSchema,
    patterns: awsEnvPatterns,
  },
  {
    id: "object-storage",
    short: "Object storage",
    title: "Object storage: distributed Map datasets",
    source: "packages/object-storage/src/config.ts",
    readWith: ["loadObjectStorageConfig"],
    schema: objectStorageEnvSchema,
  },
  {
    id: "worker",
    short: "Worker",
    title: "Worker process",
    source: "apps/worker/src/config.ts",
    readWith: ["workerEnvSchema"],
    schema: workerEnvSchema,
  },
  {
    id: "scheduler",
    short: "Scheduler",
    title: "Scheduler process",
    source: "apps/scheduler/src/config.ts",
    readWith: ["schedulerEnvSchema"],
    schema: schedulerEnvSchema,
  },
  {
    id: "all-in-one",
    short: "npm start",
    title: "`npm start` (all in one)",
    source: "apps/all-in-one/src/config.ts",
    readWith: ["loadAllInOneEnv"],
    schema: allInOneEnvSchema,
  },
  {
    id: "migrations",
    short: "db:migrate",
    title: "`npm run db:migrate`",
    source: "packages/storage/src/migrate-env.ts",
    readWith: ["migrateEnvSchema"],
    schema: migrateEnvSchema,
  },
  {
    id: "cli",
    short: "CLI",
    title: "The `stepwise` CLI",
    source: "packages/cli/src/commands/remote/remote-options.ts",
    readWith: ["cliEnvSchema"],
    schema: cliEnvSchema,
  },
];

export const configProcesses: ConfigProcess[] = [
  { name: "API", command: "npx tsx apps/api/src/main.ts", entry: "apps/api/src/main.ts", reads: ["runtime", "tracing", "api"] },
  {
    name: "Worker",
    command: "npx tsx apps/worker/src/main.ts",
    entry: "apps/worker/src/main.ts",
    reads: ["runtime", "tracing", "integrations", "aws", "object-storage", "worker"],
  },
  {
    name: "Scheduler",
    command: "npx tsx apps/scheduler/src/main.ts",
    entry: "apps/scheduler/src/main.ts",
    reads: ["runtime", "tracing", "scheduler"],
  },
  {
    name: "All in one",
    command: "npm start",
    entry: "apps/all-in-one/src/main.ts",
    reads: ["runtime", "tracing", "api", "integrations", "aws", "object-storage", "all-in-one"],
  },
  { name: "Migrations", command: "npm run db:migrate", entry: "packages/storage/src/migrate-cli.ts", reads: ["migrations"] },
  { name: "CLI", command: "npx stepwise …", entry: "packages/cli/src/commands/remote/remote-options.ts", reads: ["cli"] },
];
