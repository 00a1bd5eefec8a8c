import type { Runtime } from "@stepwise/runtime";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { loadApiConfig } from "../config.ts";
import { openApiDocument } from "./openapi.ts";
import { createRestRouter } from "./router.ts";

/** `METHOD /path/{param}` for every route the REST router registers. */
function registeredRoutes(): string[] {
  // Building the router touches no connection, so a runtime stand-in is enough.
  const runtime = { db: {}, engine: {}, logger: {}, config: {} } as unknown as Runtime;
  const router = createRestRouter({ runtime, config: loadApiConfig({ STEPWISE_AUTH: "off" }), registry: new Registry() });
  const routes: string[] = [];
  for (const layer of router.stack) {
    const route = layer.route as { path: string; methods: Record<string, boolean> } | undefined;
    if (!route) continue;
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    for (const method of Object.keys(route.methods)) routes.push(`${method.toUpperCase()} ${path}`);
  }
  return routes.sort();
}

function documentedRoutes(): string[] {
  return Object.entries(openApiDocument.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

describe("the OpenAPI document", () => {
  it("describes exactly the routes the router registers", () => {
    const registered = registeredRoutes();
    expect(registered.length).toBeGreaterThanOrEqual(16);
    expect(documentedRoutes()).toEqual(registered);
  });

  it("declares every path parameter of every operation", () => {
    for (const [path, operations] of Object.entries(openApiDocument.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(operations)) {
        const declared = ((operation as { parameters?: Array<{ name: string; in: string }> }).parameters ?? [])
          .filter((p) => p.in === "path")
          .map((p) => p.name);
        expect(declared, `${method} ${path}`).toEqual(names);
      }
    }
  });

  it("resolves every schema reference", () => {
    const refs = [...JSON.stringify(openApiDocument).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1] as string);
    expect(refs.length).toBeGreaterThan(0);
    for (const name of refs) expect(openApiDocument.components.schemas, name).toHaveProperty(name);
  });
});
