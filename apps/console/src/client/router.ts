/** The console's pages as URL fragments (`#/machines/orders`), so links, reloads and Back work. */

export type Route =
  | { page: "machines" }
  | { page: "machine"; name: string }
  | { page: "editor"; name?: string }
  | { page: "executions"; status?: string; name?: string }
  | { page: "execution"; arn: string }
  | { page: "mapRun"; arn: string; status?: string }
  | { page: "notFound"; path: string };

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "");
  const [pathname = "", query = ""] = path.split("?", 2);
  const segments = pathname
    .split("/")
    .filter((s) => s !== "")
    .map(decoded);
  if (segments.some((s) => s === undefined)) return { page: "notFound", path };
  const [first, second, third] = segments as string[];
  if (first === undefined || (first === "machines" && second === undefined)) return { page: "machines" };
  if (first === "machines" && second !== undefined && third === undefined) return { page: "machine", name: second };
  if (first === "machines" && second !== undefined && third === "edit" && segments.length === 3) return { page: "editor", name: second };
  if (first === "new" && second === undefined) return { page: "editor" };
  if (first === "executions" && second === undefined) {
    const params = new URLSearchParams(query);
    const status = params.get("status");
    const name = params.get("name");
    return { page: "executions", ...(status ? { status } : {}), ...(name ? { name } : {}) };
  }
  if (first === "executions" && second !== undefined && third === undefined) return { page: "execution", arn: second };
  if (first === "map-runs" && second !== undefined && third === undefined) {
    const status = new URLSearchParams(query).get("status");
    return { page: "mapRun", arn: second, ...(status ? { status } : {}) };
  }
  return { page: "notFound", path };
}

export function routeHref(route: Route): string {
  const enc = encodeURIComponent;
  switch (route.page) {
    case "machines":
      return "#/machines";
    case "machine":
      return `#/machines/${enc(route.name)}`;
    case "editor":
      return route.name === undefined ? "#/new" : `#/machines/${enc(route.name)}/edit`;
    case "executions": {
      const params = new URLSearchParams();
      if (route.status) params.set("status", route.status);
      if (route.name) params.set("name", route.name);
      const query = params.toString();
      return `#/executions${query ? `?${query}` : ""}`;
    }
    case "execution":
      return `#/executions/${enc(route.arn)}`;
    case "mapRun":
      return `#/map-runs/${enc(route.arn)}${route.status ? `?${new URLSearchParams({ status: route.status })}` : ""}`;
    case "notFound":
      return `#${route.path}`;
  }
}
