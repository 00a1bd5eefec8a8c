export { type IntegrationsConfig, loadIntegrationsConfig } from "./config.ts";
export { type AwsIntegrationHandler, type AwsIntegrationOptions, awsIntegrationHandler } from "./handler.ts";
