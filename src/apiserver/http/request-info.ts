import { ApiError } from "../api-error.js";

/**
 * What a request path names, parsed as apiserver's RequestInfoFactory does:
 * `/api/v1/namespaces/{ns}/{resource}/{name}/{subresource}` and `/apis/{group}/{version}/...`,
 * including the deprecated `/watch/` prefix.
 */
export interface ResourceRequestInfo {
  kind: "resource";
  verb: "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";
  group: string;
  version: string;
  namespace: string | undefined;
  resource: string;
  name: string | undefined;
  subresource: string | undefined;
}

export interface NonResourceRequestInfo {
  kind: "nonresource";
  path: string;
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

// `/namespaces/{name}/status` and `/finalize` are subresources of a namespace, not resources in it.
const namespaceSubresources = new Set(["status", "finalize"]);

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw ApiError.badRequest(`invalid URL escape in path segment "${segment}"`);
  }
}

export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const parts = pathname.split("/").filter((p) => p.length > 0);
  let rest: string[];
  let group: string;
  let version: string;
  if (parts[0] === "api" && parts.length >= 3) {
    group = "";
    version = parts[1] ?? "";
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 4) {
    group = parts[1] ?? "";
    version = parts[2] ?? "";
    rest = parts.slice(3);
  } else {
    return { kind: "nonresource", path: pathname };
  }
  let watchPrefix = false;
  if (rest[0] === "watch") {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !namespaceSubresources.has(rest[2] ?? "")) rest = rest.slice(2);
    else namespace = undefined;
  }
  const resource = rest[0];
  if (!resource) return { kind: "nonresource", path: pathname };
  const name = rest[1] ? decodePathSegment(rest[1]) : undefined;
  const subresource = rest[2];
  if (rest.length > 3) return { kind: "nonresource", path: pathname };
  const watchParam = query.get("watch");
  const watching = watchPrefix || watchParam === "true" || watchParam === "1";
  let verb: ResourceRequestInfo["verb"];
  switch (method) {
    case "GET":
    case "HEAD":
      verb = watching ? "watch" : name ? "get" : "list";
      break;
    case "POST":
      verb = "create";
      break;
    case "PUT":
      verb = "update";
      break;
    case "PATCH":
      verb = "patch";
      break;
    case "DELETE":
      verb = name ? "delete" : "deletecollection";
      break;
    default:
      verb = "get";
  }
  return { kind: "resource", verb, group, version, namespace, resource, name, subresource };
}
