/**
 * What the API's routers are built from. Its own module, so routers need not import app.ts, which
 * imports them: the type-only cycle through app.ts is gone.
 */
import type { Runtime } from "@stepwise/runtime";
import type { Registry } from "prom-client";
import type { ApiConfig } from "./config.ts";

export interface ApiDependencies {
  runtime: Runtime;
  config: ApiConfig;
  registry: Registry;
}
