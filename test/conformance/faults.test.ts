import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";
import { openWatch } from "../support/watch-stream.js";

describe("fault injection for client tests", () => {
  let api: ApiServerFixture;
  beforeAll(async () => {
    api = await startApiServer();
  });
  afterAll(() => api.close());

  it("fails the next N requests of a verb with the given code, then recovers", async () => {
    api.server.faults.failNext({ verb: "list", resource: "configmaps", count: 2, code: 500 });
    expect((await api.raw("GET", "/api/v1/namespaces/default/configmaps")).status).toBe(500);
    expect((await api.raw("GET", "/api/v1/namespaces/default/secrets")).status).toBe(200);
    const second = await api.raw("GET", "/api/v1/namespaces/default/configmaps");
    expect(second.json).toMatchObject({ code: 500, reason: "InternalError" });
    expect((await api.raw("GET", "/api/v1/namespaces/default/configmaps")).status).toBe(200);
  });

  it("a 429 carries Retry-After, which client-node surfaces", async () => {
    api.server.faults.failNext({ verb: "get", count: 1, code: 429, retryAfterSeconds: 3 });
    const response = await api.raw("GET", "/api/v1/namespaces/default");
    expect(response.status).toBe(429);
    expect(response.headers["retry-after"]).toBe("3");
    expect(response.json).toMatchObject({ reason: "TooManyRequests", details: { retryAfterSeconds: 3 } });
  });

  it("a 410 can be injected for a list, as from a compacted etcd", async () => {
    api.server.faults.failNext({ verb: "list", count: 1, code: 410 });
    const response = await api.raw("GET", "/api/v1/namespaces");
    expect(response.json).toMatchObject({ code: 410, reason: "Expired" });
  });

  it("adds latency to matching requests", async () => {
    api.server.faults.addLatency({ verb: "get", milliseconds: 150 });
    const started = Date.now();
    await api.raw("GET", "/api/v1/namespaces/default");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    api.server.faults.clear();
  });

  it("drops every open watch", async () => {
    const watch = await openWatch(api, "/api/v1/namespaces/default/configmaps?watch=true");
    expect(api.server.faults.dropWatches()).toBe(1);
    await watch.ended;
  });

  it("is driven over HTTP too (/_switchboard/faults) for a standalone server", async () => {
    const set = await api.raw("POST", "/_switchboard/faults", {
      failNext: { verb: "create", count: 1, code: 503 },
    });
    expect(set.status).toBe(200);
    const core = api.kubeConfig.makeApiClient(CoreV1Api);
    await expect(
      core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "x" } } }),
    ).rejects.toMatchObject({ code: 503 });
    const stats = await api.raw("GET", "/_switchboard/stats");
    expect(stats.json.requests["create configmaps 503"]).toBe(1);
    expect((await api.raw("POST", "/_switchboard/faults", { failNext: { verb: "create" } })).status).toBe(
      400,
    );
  });
});
