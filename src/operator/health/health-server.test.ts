import { Registry, Counter } from "prom-client";
import { describe, expect, it } from "vitest";
import { startHealthServer } from "./health-server.js";

describe("health server", () => {
  it("answers /healthz always, /readyz by readiness, and /metrics in Prometheus text format", async () => {
    const registry = new Registry();
    new Counter({ name: "example_total", help: "An example", registers: [registry] }).inc(3);
    let ready = false;
    const server = await startHealthServer({ port: 0, host: "127.0.0.1", registry, ready: () => ready });
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
      return {
        status: response.status,
        text: await response.text(),
        type: response.headers.get("content-type"),
      };
    };
    try {
      expect((await get("/healthz")).status).toBe(200);
      expect(await get("/readyz")).toMatchObject({ status: 503, text: "not ready: caches not synced" });
      ready = true;
      expect((await get("/readyz")).status).toBe(200);
      const metrics = await get("/metrics");
      expect(metrics.type).toContain("text/plain");
      expect(metrics.text).toContain("# TYPE example_total counter\nexample_total 3");
      expect((await get("/nope")).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
