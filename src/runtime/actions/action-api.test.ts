import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { circuitBreaker, ConsecutiveBreaker, handleAll } from "cockatiel";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { VendorServer } from "../../../test/support/vendor-server.js";
import { startVendorServer } from "../../../test/support/vendor-server.js";
import type { ConnectorSpec } from "../../api/types.js";
import { sendJson } from "../http/json-response.js";
import { HttpClient } from "../outbound/http-client.js";
import { actionApi } from "./action-api.js";
import { ActionExecutor } from "./action-executor.js";
import { actionOpenAPI } from "./action-openapi.js";
import { callerAuthorizer } from "./caller-authorizer.js";

const connector = (baseURL: string): ConnectorSpec => ({
  displayName: "Tickets",
  category: "itops",
  version: "1.2.0",
  baseURL,
  actions: [
    {
      name: "get-ticket",
      description: "Reads a ticket.",
      method: "GET",
      path: "/tickets/{input.id}",
      query: { fields: "{input.fields}" },
      inputSchema: {
        type: "object",
        required: ["id", "fields"],
        properties: { id: { type: "string" }, fields: { type: "string" } },
      },
      output: "{ 'id': id, 'state': status.name }",
      outputSchema: { type: "object", properties: { id: { type: "string" }, state: { type: "string" } } },
    },
  ],
});

describe("the action API", () => {
  let vendor: VendorServer;
  let server: Server;
  let http: HttpClient;
  let url: string;
  beforeEach(async () => {
    vendor = await startVendorServer();
    http = new HttpClient({ hosts: ["127.0.0.1"], allowPrivateNetworks: true, allowInsecureHTTP: true });
    const spec = connector(vendor.url);
    const breaker = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(50) });
    const handle = actionApi({
      executor: new ActionExecutor({
        connector: spec,
        config: {},
        http,
        signers: new Map(),
        limiters: [],
        breakerFor: () => breaker,
        timeoutMs: 1_000,
      }),
      authorize: callerAuthorizer({
        actionAPI: { allowedServiceAccounts: [{ name: "router" }] },
        namespace: "team-a",
        staticToken: "local-token",
        review: (token) =>
          Promise.resolve(
            token === "router-sa-token"
              ? { authenticated: true, username: "system:serviceaccount:team-a:router" }
              : token === "other-sa-token"
                ? { authenticated: true, username: "system:serviceaccount:team-b:router" }
                : { authenticated: false },
          ),
      }),
      openapi: actionOpenAPI(spec, { namespace: "team-a", name: "tickets" }),
      observe: () => {},
    });
    server = createServer((req, res) => {
      const path = (req.url ?? "").split("?")[0] ?? "";
      void handle(req, res, path).then((handled) => handled || sendJson(res, 404, { error: "no route" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await http.close();
    await vendor.close();
  });

  const call = (name: string, body: unknown, token = "local-token") =>
    fetch(`${url}/actions/${name}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("runs an action: templated path and query, output mapped", async () => {
    vendor.behave(() => ({ status: 200, body: { id: "T-1", status: { name: "open" } } }));
    const response = await call("get-ticket", { id: "T 1/2", fields: "status" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ output: { id: "T-1", state: "open" } });
    expect(vendor.requests[0]?.url).toBe("/tickets/T%201%2F2?fields=status");
  });

  it("retries a 5xx burst before answering", async () => {
    let calls = 0;
    vendor.behave(() =>
      ++calls < 3 ? { status: 502 } : { status: 200, body: { id: "T-1", status: { name: "open" } } },
    );
    const response = await call("get-ticket", { id: "T-1", fields: "status" });
    expect(response.status).toBe(200);
    expect(vendor.requests).toHaveLength(3);
  });

  it("answers bad input 400 with the path, an unknown action 404, a vendor refusal 502 with its status", async () => {
    const bad = await call("get-ticket", { id: "T-1" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "input: must have required property 'fields'" });
    expect((await call("delete-everything", {})).status).toBe(404);
    vendor.behave(() => ({ status: 404, body: { message: "no such ticket" } }));
    const missing = await call("get-ticket", { id: "T-9", fields: "status" });
    expect(missing.status).toBe(502);
    expect(await missing.json()).toEqual({
      error: 'get-ticket: 404 {"message":"no such ticket"}',
      vendorStatus: 404,
    });
    expect(vendor.requests).toHaveLength(1);
  });

  it("lets in the listed ServiceAccounts and the local token only", async () => {
    vendor.behave(() => ({ status: 200, body: { id: "T-1", status: { name: "open" } } }));
    expect((await call("get-ticket", { id: "T-1", fields: "x" }, "router-sa-token")).status).toBe(200);
    const other = await call("get-ticket", { id: "T-1", fields: "x" }, "other-sa-token");
    expect(other.status).toBe(403);
    expect(await other.json()).toEqual({
      error:
        "system:serviceaccount:team-b:router may not call this Integration's actions: list it in spec.actionAPI.allowedServiceAccounts",
    });
    expect((await call("get-ticket", {}, "forged")).status).toBe(401);
    const anonymous = await fetch(`${url}/actions/get-ticket`, { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
  });

  it("describes its actions in an OpenAPI 3.1 document", async () => {
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<
        string,
        { post: { operationId: string; requestBody: { content: Record<string, { schema: unknown }> } } }
      >;
    };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(["/actions/get-ticket"]);
    expect(document.paths["/actions/get-ticket"]?.post.operationId).toBe("get-ticket");
    expect(
      document.paths["/actions/get-ticket"]?.post.requestBody.content["application/json"]?.schema,
    ).toMatchObject({
      required: ["id", "fields"],
    });
  });

  it("a 401 drops the cached token and tries once more with a fresh one", async () => {
    let tokens = 0;
    let invalidated = 0;
    const spec = connector(vendor.url);
    const breaker = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(50) });
    const executor = new ActionExecutor({
      connector: { ...spec, auth: [{ name: "oauth", type: "oauth2-client-credentials" }] },
      config: {},
      http,
      signers: new Map([
        [
          "oauth",
          {
            authenticate: (request) =>
              Promise.resolve(void (request.headers.authorization = `Bearer t-${++tokens}`)),
            invalidate: () => void invalidated++,
          },
        ],
      ]),
      limiters: [],
      breakerFor: () => breaker,
      timeoutMs: 1_000,
    });
    vendor.behave((request) =>
      request.headers.authorization === "Bearer t-1"
        ? { status: 401, body: { error: "invalid_token" } }
        : { status: 200, body: { id: "T-1", status: { name: "open" } } },
    );
    const result = await executor.run({ name: "get-ticket", input: { id: "T-1", fields: "x" } });
    expect(result.output).toEqual({ id: "T-1", state: "open" });
    expect(invalidated).toBe(1);
    expect(vendor.requests.map((r) => r.headers.authorization)).toEqual(["Bearer t-1", "Bearer t-2"]);
  });

  it("an action's own rate limit applies within the connector's", async () => {
    const spec = connector(vendor.url);
    const breaker = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(50) });
    const executor = new ActionExecutor({
      connector: {
        ...spec,
        actions: spec.actions?.map((a) => ({ ...a, rateLimit: { requests: 10, period: "1s", burst: 2 } })),
      },
      config: {},
      http,
      signers: new Map(),
      limiters: [],
      breakerFor: () => breaker,
      timeoutMs: 1_000,
    });
    vendor.behave(() => ({ status: 200, body: { id: "T-1", status: { name: "open" } } }));
    await Promise.all(
      [...Array(8).keys()].map(() => executor.run({ name: "get-ticket", input: { id: "T", fields: "x" } })),
    );
    const times = vendor.requests.map((r) => r.at).sort((a, b) => a - b);
    // 2 at once, then 10 a second: the 8th no sooner than 0.6 s after the first.
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(550);
  });
});
