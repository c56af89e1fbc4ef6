import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { request as httpRequest } from "node:http";
import { ApiError } from "../api-error.js";
import type { ResourceRegistry } from "../resources/resource-registry.js";
import type { ResourceStorage } from "../storage/resource-storage.js";
import type { KubeObject } from "../types.js";

/**
 * Where a Service listens on this machine, written by whoever runs the workloads (local mode's
 * executor): service port name to `127.0.0.1:<port>`. The server has no pod network; this is its
 * Endpoints.
 */
export const localAddressesAnnotation = "switchboard.dev/local-addresses";

const proxyPath = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy(\/.*)?$/;
const hopByHop = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "host",
  "authorization",
]);

/**
 * Where one port of a Service listens on this machine: the port named (by name or number), or its
 * first port; undefined when nothing runs it.
 */
export function localServiceAddress(
  service: KubeObject | undefined,
  port?: string | number,
): string | undefined {
  const ports = (service?.spec as { ports?: { name?: string; port: number }[] } | undefined)?.ports ?? [];
  const chosen =
    port === undefined
      ? ports[0]
      : ports.find((p) => p.name === String(port) || String(p.port) === String(port));
  if (!chosen) return undefined;
  const addresses = JSON.parse(service?.metadata.annotations?.[localAddressesAnnotation] ?? "{}") as Record<
    string,
    string
  >;
  return addresses[chosen.name ?? String(chosen.port)];
}

/**
 * The services proxy subresource (`/api/v1/namespaces/{ns}/services/{name}[:{port}]/proxy/{path}`),
 * as `kubectl get --raw` and client libraries call it: the request, without the caller's credentials,
 * goes to the Service's address and the answer comes back as it is. 503 when nothing listens.
 */
export function serviceProxy(storage: ResourceStorage, registry: ResourceRegistry) {
  return async (
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    search: string,
  ): Promise<boolean> => {
    const match = proxyPath.exec(path);
    if (!match) return false;
    const [, namespace = "", reference = "", rest = "/"] = match;
    const [name = "", portName] = reference.replace(/^https?:/, "").split(":");
    const services = registry.lookup("", "v1", "services");
    const service = services ? storage.find(services, namespace, name) : undefined;
    if (!service) throw ApiError.notFound({ group: "", resource: "services" }, name);
    const address = localServiceAddress(service, portName);
    if (!address) throw ApiError.withCode(503, `no endpoints available for service "${name}"`);
    const [host = "127.0.0.1", targetPort = "0"] = address.split(":");
    const headers: OutgoingHttpHeaders = {};
    for (const [key, value] of Object.entries(request.headers)) if (!hopByHop.has(key)) headers[key] = value;
    await new Promise<void>((resolve, reject) => {
      const upstream = httpRequest(
        { host, port: Number(targetPort), method: request.method, path: `${rest}${search}`, headers },
        (answer) => {
          const out: OutgoingHttpHeaders = {};
          for (const [key, value] of Object.entries(answer.headers)) if (!hopByHop.has(key)) out[key] = value;
          response.writeHead(answer.statusCode ?? 502, out);
          answer.pipe(response);
          answer.once("end", () => resolve());
          answer.once("error", reject);
        },
      );
      upstream.once("error", (error) =>
        reject(ApiError.withCode(503, `error trying to reach service: ${error.message}`)),
      );
      request.pipe(upstream);
    });
    return true;
  };
}
