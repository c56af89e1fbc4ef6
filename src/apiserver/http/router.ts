import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { requestUser } from "../auth/request-user.js";
import type { AuthenticatedUser } from "../auth/token-authority.js";
import { ApiError, isApiError } from "../api-error.js";
import type { FaultInjector } from "../faults/fault-injector.js";
import { handleList } from "../handlers/list-handler.js";
import type { RequestContext } from "../handlers/request-context.js";
import type { WatchRegistry, WatchSettings } from "../handlers/watch-handler.js";
import { handleWatch } from "../handlers/watch-handler.js";
import type { WriteDependencies } from "../handlers/write-handlers.js";
import {
  handleCreate,
  handleDelete,
  handleDeleteCollection,
  handlePatch,
  handleUpdate,
} from "../handlers/write-handlers.js";
import type { ResourceRegistry } from "../resources/resource-registry.js";
import type { ResourceType } from "../resources/resource-type.js";
import { toServedVersion } from "../resources/version-conversion.js";
import type { ResourceStorage } from "../storage/resource-storage.js";
import type { Discovery } from "./discovery.js";
import type { OpenApi } from "./openapi.js";
import { parseQueryOptions } from "./query-options.js";
import type { ResourceRequestInfo } from "./request-info.js";
import { parseRequestInfo } from "./request-info.js";
import type { RequestStats } from "./request-stats.js";
import { negotiate, send, sendError } from "./response.js";
import type { Selection } from "./selection.js";
import type { TableConverter } from "./table.js";

export interface RouterDependencies {
  registry: ResourceRegistry;
  storage: ResourceStorage;
  discovery: Discovery;
  openapi: OpenApi;
  tables: TableConverter;
  watches: WatchRegistry;
  watchSettings: WatchSettings;
  faults: FaultInjector;
  stats: RequestStats;
  write: WriteDependencies;
  selection: (
    type: ResourceType,
    namespace: string | undefined,
    labelSelector: string,
    fieldSelector: string,
  ) => Selection;
  /** Handles `/_switchboard/...` administration (faults, stats); returns false for other paths. */
  admin: (request: IncomingMessage, response: ServerResponse, path: string) => Promise<boolean>;
  /** The user a request's credentials name, or undefined when they name none. */
  authenticate: (request: IncomingMessage) => AuthenticatedUser | undefined;
  /** TokenRequest and TokenReview; returns false for other paths. */
  tokens: (request: IncomingMessage, response: ServerResponse, path: string) => Promise<boolean>;
  /** The services proxy subresource; returns false for other paths. */
  proxy: (
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    search: string,
  ) => Promise<boolean>;
  version: Record<string, string>;
  serverAddress: () => string;
  log: Logger;
}

const publicPaths = new Set(["/version", "/healthz", "/livez", "/readyz"]);

/** Turns one HTTP request into a discovery, OpenAPI, admin or resource call, and any failure into a Status. */
export function createRouter(
  deps: RouterDependencies,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    route(deps, request, response).catch((error: unknown) => {
      const apiError = isApiError(error)
        ? error
        : ApiError.internal(error instanceof Error ? error.message : String(error), error);
      if (!isApiError(error))
        deps.log.error({ err: error, method: request.method, url: request.url }, "request failed");
      sendError(response, apiError);
    });
  };
}

async function route(
  deps: RouterDependencies,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://apiserver");
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
  const user = publicPaths.has(path) ? undefined : deps.authenticate(request);
  if (!publicPaths.has(path) && !user) throw ApiError.unauthorized();
  if (user) return requestUser.run(user, () => serveAuthenticated(deps, request, response, url, path));
  return serveAuthenticated(deps, request, response, url, path);
}

async function serveAuthenticated(
  deps: RouterDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  path: string,
): Promise<void> {
  if (request.method === "POST" && (await deps.tokens(request, response, path))) return;
  if (path.endsWith("/proxy") || path.includes("/proxy/"))
    if (await deps.proxy(request, response, path, url.search)) return;
  const info = parseRequestInfo(request.method ?? "GET", path, url.searchParams);
  if (info.kind === "nonresource") {
    await serveNonResource(deps, request, response, path);
    return;
  }
  const type = deps.registry.lookup(info.group, info.version, info.resource);
  if (!type) throw ApiError.noSuchResource();
  response.once("finish", () => deps.stats.record(info, response.statusCode));
  if (deps.faults.active) {
    const delay = deps.faults.latencyFor(info);
    if (delay > 0) await sleep(delay);
    const failure = deps.faults.failureFor(info);
    if (failure) throw failure;
  }
  await serveResource(deps, request, response, info, type, url.searchParams);
}

async function serveResource(
  deps: RouterDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  info: ResourceRequestInfo,
  type: ResourceType,
  params: URLSearchParams,
): Promise<void> {
  if (!type.namespaced && info.namespace !== undefined) throw ApiError.noSuchResource();
  if (!type.verbs.includes(info.verb)) throw ApiError.methodNotAllowed();
  if (
    type.namespaced &&
    info.namespace === undefined &&
    !["list", "watch", "deletecollection"].includes(info.verb)
  ) {
    throw ApiError.methodNotAllowed();
  }
  const context: RequestContext = {
    request,
    response,
    info,
    type,
    query: parseQueryOptions(params),
    representation: negotiate(request),
  };
  const selection = (): Selection =>
    deps.selection(type, info.namespace, context.query.labelSelector, context.query.fieldSelector);
  switch (info.verb) {
    case "get": {
      if (info.subresource !== undefined && !(info.subresource === "status" && type.statusSubresource))
        throw ApiError.noSuchResource();
      const object = deps.storage.get(type, info.namespace, info.name ?? "");
      if (context.representation === "table") {
        send(response, 200, {
          kind: "Table",
          apiVersion: "meta.k8s.io/v1",
          metadata: { resourceVersion: object.metadata.resourceVersion },
          columnDefinitions: deps.tables.columnDefinitions(type),
          rows: [
            deps.tables.row(type, toServedVersion(type, object), context.query.includeObject, Date.now()),
          ],
        });
      } else send(response, 200, toServedVersion(type, object), context.representation);
      return;
    }
    case "list":
      handleList(context, deps.storage.store, selection(), deps.tables);
      return;
    case "watch":
      handleWatch(context, deps.storage.store, selection(), deps.tables, deps.watches, deps.watchSettings);
      return;
    case "create":
      await handleCreate(context, deps.write);
      return;
    case "update":
      await handleUpdate(context, deps.write);
      return;
    case "patch":
      await handlePatch(context, deps.write);
      return;
    case "delete":
      await handleDelete(context, deps.write);
      return;
    case "deletecollection":
      await handleDeleteCollection(context, deps.write, selection());
      return;
  }
}

async function serveNonResource(
  deps: RouterDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
): Promise<void> {
  if (path.startsWith("/_switchboard/")) {
    if (await deps.admin(request, response, path)) return;
    throw ApiError.noSuchResource();
  }
  if (request.method !== "GET" && request.method !== "HEAD") throw ApiError.methodNotAllowed();
  const aggregated = (request.headers.accept ?? "").includes("as=APIGroupDiscoveryList");
  switch (path) {
    case "/version":
      send(response, 200, deps.version);
      return;
    case "/healthz":
    case "/livez":
    case "/readyz":
      response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" }).end("ok");
      return;
    case "/api":
      if (aggregated) sendAggregated(response, deps.discovery.aggregated(true));
      else send(response, 200, deps.discovery.coreVersions(deps.serverAddress()));
      return;
    case "/apis":
      if (aggregated) sendAggregated(response, deps.discovery.aggregated(false));
      else send(response, 200, deps.discovery.groupList());
      return;
    case "/openapi/v3":
      send(response, 200, deps.openapi.index());
      return;
  }
  if (path.startsWith("/openapi/v3/")) {
    const document = deps.openapi.document(path.slice("/openapi/v3/".length));
    if (!document) throw ApiError.noSuchResource();
    response.writeHead(200, { "Content-Type": "application/json" }).end(document);
    return;
  }
  const parts = path.split("/").filter(Boolean);
  if (parts[0] === "api" && parts.length === 2) {
    const list = deps.discovery.resourceList("", parts[1] ?? "");
    if (list) return send(response, 200, list);
  }
  if (parts[0] === "apis" && parts.length === 2) {
    const group = deps.discovery.group(parts[1] ?? "");
    if (group) return send(response, 200, group);
  }
  if (parts[0] === "apis" && parts.length === 3) {
    const list = deps.discovery.resourceList(parts[1] ?? "", parts[2] ?? "");
    if (list) return send(response, 200, list);
  }
  throw ApiError.noSuchResource();
}

function sendAggregated(response: ServerResponse, body: unknown): void {
  response
    .writeHead(200, {
      "Content-Type": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
    })
    .end(JSON.stringify(body));
}
