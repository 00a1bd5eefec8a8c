export {
  type AwsClientConfig,
  type AwsCredentials,
  awsEnvPatterns,
  awsEnvSchema,
  type CredentialSource,
  loadAwsClientConfig,
  presentVariables,
  readAwsClientConfig,
} from "./aws-env.ts";
export { endpointFor, endpointVariableSuffix, type SdkClientOptions, s3ForcePathStyle, sdkClientOptions } from "./client-options.ts";
