import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResourceRequestInfo } from "../http/request-info.js";
import type { QueryOptions } from "../http/query-options.js";
import type { Representation } from "../http/response.js";
import type { ResourceType } from "../resources/resource-type.js";

/** Everything a resource handler needs about one request, resolved once by the router. */
export interface RequestContext {
  request: IncomingMessage;
  response: ServerResponse;
  info: ResourceRequestInfo;
  type: ResourceType;
  query: QueryOptions;
  representation: Representation;
}
