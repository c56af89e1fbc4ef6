import { describe, expect, it } from "vitest";
import { WorkQueue } from "../queue/work-queue.js";
import { OperatorMetrics } from "./operator-metrics.js";

/** Parses Prometheus text exposition into `name{labels} value` lines, checking every line is well formed. */
function samples(text: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
    // Values as Go's strconv.ParseFloat reads them (NaN and Inf in any case), as Prometheus does.
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (-?[0-9.e+-]+|nan|[+-]?inf)$/i.exec(line);
    if (!match) throw new Error(`not Prometheus text format: ${line}`);
    result.set(match[1] as string, Number(match[2]));
  }
  return result;
}

describe("operator metrics", () => {
  it("uses controller-runtime's names and labels for reconciles and work queues", async () => {
    const metrics = new OperatorMetrics();
    const queue = new WorkQueue({
      reconcile: (key) => (key === "bad" ? Promise.reject(new Error("x")) : Promise.resolve()),
      workers: 1,
      backoff: { baseMs: 60_000, maxMs: 60_000 },
      observer: metrics.workQueueObserver("integration"),
    });
    queue.add("good");
    queue.add("bad");
    await new Promise((resolve) => setTimeout(resolve, 20));
    await queue.shutdown();
    const text = await metrics.registry.metrics();
    const values = samples(text);
    expect(values.get('controller_runtime_reconcile_total{controller="integration",result="success"}')).toBe(
      1,
    );
    expect(values.get('controller_runtime_reconcile_total{controller="integration",result="error"}')).toBe(1);
    expect(values.get('controller_runtime_reconcile_errors_total{controller="integration"}')).toBe(1);
    expect(values.get('controller_runtime_reconcile_time_seconds_count{controller="integration"}')).toBe(2);
    expect(values.get('workqueue_adds_total{name="integration",controller="integration"}')).toBe(2);
    expect(values.get('workqueue_retries_total{name="integration",controller="integration"}')).toBe(1);
    expect(
      values.get('workqueue_queue_duration_seconds_count{name="integration",controller="integration"}'),
    ).toBe(2);
    expect(text).toContain("# TYPE workqueue_depth gauge");
    expect(values.get("process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(values.has("nodejs_heap_size_used_bytes")).toBe(true);
  });

  it("keeps one ready and one info series per Integration, replaced when its version moves and removed when it goes", async () => {
    const metrics = new OperatorMetrics();
    metrics.setIntegration("team", "tickets", { connector: "github", version: "1.0.0", ready: false });
    metrics.setIntegration("team", "tickets", { connector: "github", version: "1.1.0", ready: true });
    let values = samples(await metrics.registry.metrics());
    expect(
      values.get('switchboard_integration_ready{namespace="team",integration="tickets",connector="github"}'),
    ).toBe(1);
    expect(
      values.get(
        'switchboard_integration_info{namespace="team",integration="tickets",connector="github",version="1.1.0"}',
      ),
    ).toBe(1);
    expect([...values.keys()].filter((k) => k.startsWith("switchboard_integration_info"))).toHaveLength(1);
    metrics.setIntegration("team", "tickets", undefined);
    values = samples(await metrics.registry.metrics());
    expect([...values.keys()].filter((k) => k.startsWith("switchboard_integration"))).toEqual([]);
  });
});
