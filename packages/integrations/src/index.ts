export { type IntegrationsConfig, loadIntegrationsConfig } from "./config.ts";
export { type AwsIntegrationHandler, awsIntegrationHandler } from "./handler.ts";
