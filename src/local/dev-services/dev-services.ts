import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ReceivedRequest } from "./received-requests.js";
import { parseBody, ReceivedRequests } from "./received-requests.js";

export interface DevServicesOptions {
  /** @default 7070 */
  port?: number;
  host?: string;
  /** The OAuth client the token endpoint knows. */
  client: { id: string; secret: string };
  /** One line per request received, for the dev console. */
  report?: (line: string) => void;
}

export interface DevServices {
  url: string;
  /** What the sinks received, by sink name. */
  sinks: ReceivedRequests;
  /** What the example API was asked. */
  api: ReceivedRequests;
  close(): Promise<void>;
}

const bodyLimit = 1024 * 1024;

/**
 * The vendors the examples talk to, on this machine, so local mode runs offline:
 * - `POST /sinks/{name}` receives deliveries and `GET /sinks/{name}` shows them (newest last);
 * - `POST /oauth/token` is an OAuth 2.0 token endpoint (client credentials, RFC 6749 4.4, client
 *   authentication by HTTP basic or form parameters);
 * - `/api/...` is an API that takes the tokens it issued: it records each call (`GET /api-calls` shows
 *   them) and answers with an id.
 */
export async function startDevServices(options: DevServicesOptions): Promise<DevServices> {
  const sinks = new ReceivedRequests();
  const api = new ReceivedRequests();
  const tokens = new Map<string, number>();
  const report = options.report ?? (() => undefined);
  let calls = 0;

  const handle = (request: IncomingMessage, response: ServerResponse, raw: Buffer): void => {
    const url = new URL(request.url ?? "/", "http://dev");
    const received: ReceivedRequest = {
      at: new Date().toISOString(),
      method: request.method ?? "GET",
      path: url.pathname,
      headers: request.headers,
      body: parseBody(raw, request.headers["content-type"]),
    };
    const sink = /^\/sinks\/([A-Za-z0-9._-]+)$/.exec(url.pathname)?.[1];
    if (sink && request.method === "POST") {
      sinks.add(received);
      report(`sink ${sink} received ${JSON.stringify(received.body)}`);
      return reply(response, 202, { received: true });
    }
    if (sink && request.method === "GET")
      return reply(
        response,
        200,
        sinks.list((r) => r.path === url.pathname),
      );
    if (url.pathname === "/oauth/token" && request.method === "POST") {
      const form = new URLSearchParams(raw.toString("utf8"));
      const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? "")?.[1];
      const [id, secret] = basic
        ? Buffer.from(basic, "base64").toString().split(":").map(decodeURIComponent)
        : [form.get("client_id"), form.get("client_secret")];
      if (form.get("grant_type") !== "client_credentials")
        return reply(response, 400, { error: "unsupported_grant_type" });
      if (id !== options.client.id || !same(secret ?? "", options.client.secret)) {
        report(`token endpoint refused client ${id ?? "(none)"}`);
        return reply(response, 401, { error: "invalid_client" });
      }
      const token = randomBytes(24).toString("base64url");
      tokens.set(token, Date.now() + 3_600_000);
      report(`token endpoint issued a token to ${id}`);
      return reply(response, 200, { access_token: token, token_type: "Bearer", expires_in: 3600 });
    }
    if (url.pathname.startsWith("/api/")) {
      const token = /^Bearer (.+)$/i.exec(request.headers.authorization ?? "")?.[1] ?? "";
      if ((tokens.get(token) ?? 0) < Date.now()) {
        response.setHeader("www-authenticate", 'Bearer error="invalid_token"');
        return reply(response, 401, { error: "invalid_token" });
      }
      api.add({ ...received, headers: { ...received.headers, authorization: "Bearer [redacted]" } });
      report(`api ${received.method} ${url.pathname} ${JSON.stringify(received.body)}`);
      return reply(response, request.method === "POST" ? 201 : 200, { id: `dev-${++calls}`, ok: true });
    }
    if (url.pathname === "/api-calls" && request.method === "GET") return reply(response, 200, api.list());
    if (url.pathname === "/" && request.method === "GET")
      return reply(response, 200, {
        sinks: "/sinks/{name}",
        tokenEndpoint: "/oauth/token",
        api: "/api/...",
        apiCalls: "/api-calls",
      });
    reply(response, 404, { error: `${request.method} ${url.pathname}: no such dev service` });
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > bodyLimit) {
        reply(response, 413, { error: "body over 1 MiB" });
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => handle(request, response, Buffer.concat(chunks)));
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(
              `port ${options.port ?? 7070} is taken: pass --services-port and use it in the examples`,
            )
          : error,
      ),
    );
    server.listen(options.port ?? 7070, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    sinks,
    api,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { "content-type": "application/json" });
  response.end(`${JSON.stringify(body, null, 2)}\n`);
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
