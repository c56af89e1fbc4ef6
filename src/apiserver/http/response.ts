import type { IncomingMessage, ServerResponse } from "node:http";
import * as yaml from "js-yaml";
import { ApiError } from "../api-error.js";

/** The representation a client asked for with `Accept`. */
export type Representation = "json" | "yaml" | "table";

/**
 * kubectl asks `application/json;as=Table;v=v1;g=meta.k8s.io,application/json`; libraries ask JSON;
 * protobuf-only clients get 406 as from a server without protobuf.
 */
export function negotiate(request: IncomingMessage): Representation {
  const accept = request.headers.accept;
  if (!accept) return "json";
  let sawProtobuf = false;
  for (const part of accept.split(",")) {
    const [type, ...params] = part.split(";").map((p) => p.trim().toLowerCase());
    const as = params.find((p) => p.startsWith("as="))?.slice(3);
    const group = params.find((p) => p.startsWith("g="))?.slice(2);
    if (type === "application/json" || type === "*/*" || type === "application/*") {
      if (as === "table" && (group === undefined || group === "meta.k8s.io")) return "table";
      if (as === undefined) return "json";
      continue;
    }
    if (type === "application/yaml") return "yaml";
    if (type === "application/vnd.kubernetes.protobuf") sawProtobuf = true;
  }
  if (sawProtobuf && !accept.includes("json"))
    throw ApiError.notAcceptable(["application/json", "application/yaml"]);
  return "json";
}

export function send(
  response: ServerResponse,
  code: number,
  body: unknown,
  representation: Representation = "json",
  warnings: string[] = [],
): void {
  if (response.headersSent) return;
  const headers: Record<string, string | string[]> = {};
  if (warnings.length > 0) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  if (representation === "yaml") {
    headers["Content-Type"] = "application/yaml";
    response.writeHead(code, headers).end(yaml.dump(body, { noRefs: true, lineWidth: -1 }));
    return;
  }
  headers["Content-Type"] = "application/json";
  response.writeHead(code, headers).end(JSON.stringify(body));
}

export function sendError(response: ServerResponse, error: ApiError): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const retryAfter = error.details?.retryAfterSeconds;
  if (retryAfter !== undefined) headers["Retry-After"] = String(retryAfter);
  response.writeHead(error.code, headers).end(JSON.stringify(error.toStatus()));
}

export function successStatus(details: Record<string, unknown>): Record<string, unknown> {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details };
}
