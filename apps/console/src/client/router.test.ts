import { describe, expect, it } from "vitest";
import { parseRoute, type Route, routeHref } from "./router.ts";

describe("routes", () => {
  it("round-trips every page through its URL fragment", () => {
    const routes: Route[] = [
      { page: "machines" },
      { page: "machine", name: "orders/v2 ü" },
      { page: "editor" },
      { page: "editor", name: "orders" },
      { page: "executions" },
      { page: "executions", status: "FAILED", name: "a&b" },
      { page: "execution", arn: "arn:aws:states:us-east-1:123456789012:execution:orders:run-1" },
      { page: "execution", arn: "arn:aws:states:us-east-1:123456789012:execution:orders/Items:7f3a" },
      { page: "mapRun", arn: "arn:aws:states:us-east-1:123456789012:mapRun:orders:run-1/Items:7f3a" },
      { page: "mapRun", arn: "arn:aws:states:us-east-1:123456789012:mapRun:orders:run-1/Items:7f3a", status: "FAILED" },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });

  it("opens the machine list by default and says when a fragment names no page", () => {
    expect(parseRoute("")).toEqual({ page: "machines" });
    expect(parseRoute("#/")).toEqual({ page: "machines" });
    expect(parseRoute("#/nowhere")).toEqual({ page: "notFound", path: "/nowhere" });
    expect(parseRoute("#/machines/%E0%A4%A")).toEqual({ page: "notFound", path: "/machines/%E0%A4%A" });
  });
});
