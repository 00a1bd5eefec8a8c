export { loadObjectStorageConfig, type ObjectStorageConfig, objectStorageEnvSchema } from "./config.ts";
export { isDatasetFailure } from "./failures.ts";
export { createObjectStorage, type ObjectStorage, type ObjectStorageLimits } from "./object-storage.ts";
export { GET_OBJECT, LIST_OBJECTS_V2 } from "./read-items.ts";
export { PUT_OBJECT } from "./write-results.ts";
