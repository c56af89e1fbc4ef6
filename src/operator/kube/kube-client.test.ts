import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedApiServer } from "../../apiserver/embedded-api-server.js";
import { KubeApiError, KubeClient, tokenBucket } from "./kube-client.js";

describe("KubeClient", () => {
  const server = new EmbeddedApiServer();
  let kubeConfig: KubeConfig;
  beforeAll(async () => {
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromString((await server.start()).kubeconfig);
  });
  afterAll(() => server.stop());

  it("sends requests with the kubeconfig's TLS and token, and turns a Status into a KubeApiError", async () => {
    const client = new KubeClient(kubeConfig);
    const ns = await client.request<{ metadata: { name: string } }>("GET", "/api/v1/namespaces/default");
    expect(ns.metadata.name).toBe("default");
    server.faults.failNext({ verb: "get", count: 1, code: 409, message: "stale" });
    const error = await client.request("GET", "/api/v1/namespaces/default").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({ code: 409, reason: "Conflict" });
  });

  it("waits out a 429's Retry-After and sends again; without Retry-After it is the caller's to back off", async () => {
    const client = new KubeClient(kubeConfig);
    server.faults.failNext({ verb: "get", count: 2, code: 429, retryAfterSeconds: 1 });
    server.stats.reset();
    const started = Date.now();
    const ns = await client.request<{ metadata: { name: string } }>("GET", "/api/v1/namespaces/default");
    expect(ns.metadata.name).toBe("default");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(server.stats.total({ verb: "get", resource: "namespaces" })).toBe(3);

    server.faults.failNext({ verb: "get", count: 1, code: 429 });
    const error = await client.request("GET", "/api/v1/namespaces/default").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 429, reason: "TooManyRequests", retryAfterSeconds: undefined });
  });

  it("never exceeds its QPS after the burst (counted at the server)", async () => {
    const client = new KubeClient(kubeConfig, { qps: 20, burst: 5 });
    server.stats.reset();
    const started = Date.now();
    await Promise.all([...Array(15).keys()].map(() => client.request("GET", "/api/v1/namespaces/default")));
    // 5 at once, then 10 more at 20 per second: at least 450 ms however fast the machine is.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(server.stats.total({ verb: "get", resource: "namespaces" })).toBe(15);
  });

  it.each([
    [50, 100],
    [1000, 2000],
    [5, 10],
    [0.5, 1],
  ])("refills at the QPS asked for (%d QPS, burst %d), not one token per heartbeat", (qps, burst) => {
    const options = tokenBucket(qps, burst);
    expect(options.reservoir).toBe(burst);
    expect(options.reservoirIncreaseMaximum).toBe(burst);
    expect(
      ((options.reservoirIncreaseAmount ?? 0) * 1000) / (options.reservoirIncreaseInterval ?? 1),
    ).toBeCloseTo(qps, 5);
    expect(options.heartbeatInterval).toBeLessThanOrEqual(options.reservoirIncreaseInterval ?? 0);
  });
});
