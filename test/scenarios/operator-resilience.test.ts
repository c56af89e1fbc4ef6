import { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/apiserver/types.js";
import { loadManifests } from "../../src/manifests/load-manifests.js";
import { Operator } from "../../src/operator/operator.js";
import { eventually } from "../support/eventually.js";
import type { OperatorFixture } from "../support/operator-fixture.js";
import { startOperatorFixture } from "../support/operator-fixture.js";

const integrations = "/apis/switchboard.dev/v1alpha1/namespaces/default/integrations";
const deployments = "/apis/apps/v1/namespaces/default/deployments";
const seeded = [
  "config/samples/clusterconnector.yaml",
  "config/samples/credential-secret.yaml",
  "config/samples/credential.yaml",
];

async function integration(name: string): Promise<KubeObject> {
  const [sample] = await loadManifests(["config/samples/integration.yaml"]);
  const object = structuredClone(sample?.object) as KubeObject;
  object.metadata = { name, namespace: "default" };
  return object;
}

/** Whether the operator has acted on an Integration: its Deployment exists and its status says why it is not Ready yet. */
async function reconciled(fixture: OperatorFixture, name: string): Promise<void> {
  await fixture.client.request("GET", `${deployments}/${name}`);
  const object = await fixture.client.request<{
    status?: { conditions?: { type: string; reason: string }[] };
  }>("GET", `${integrations}/${name}`);
  expect(object.status?.conditions?.find((c) => c.type === "Ready")?.reason).toBe("DeploymentNotReady");
}

describe("the operator when the API server misbehaves", () => {
  let fixture: OperatorFixture | undefined;
  const extra: Operator[] = [];
  afterEach(async () => {
    for (const operator of extra.splice(0)) await operator.stop();
    await fixture?.stop();
    fixture = undefined;
  });

  it("500s on its writes: backs off instead of retrying hot, and finishes once the server recovers", async () => {
    fixture = await startOperatorFixture(seeded);
    fixture.server.faults.failNext({ verb: "patch", resource: "deployments", count: 10_000, code: 500 });
    fixture.server.stats.reset();
    await fixture.client.request("POST", integrations, await integration("under-fire"));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const attempts = fixture.server.stats.total({ verb: "patch", resource: "deployments" });
    // Exponential backoff from 5 ms doubles past 2.5 s within a dozen attempts; a hot loop makes thousands.
    expect(attempts).toBeGreaterThan(2);
    expect(attempts).toBeLessThan(20);
    const metrics = await (await fetch(`http://127.0.0.1:${fixture.operator.healthPort}/metrics`)).text();
    expect(metrics).toMatch(
      /controller_runtime_reconcile_errors_total\{controller="integration"\} ([3-9]|1\d)/,
    );
    expect(metrics).toMatch(/workqueue_retries_total\{name="integration",controller="integration"\} [1-9]/);

    fixture.server.faults.clear();
    await eventually(() => reconciled(fixture as OperatorFixture, "under-fire"), 15_000);
  });

  it("429s with Retry-After: waits as told, then carries on", async () => {
    fixture = await startOperatorFixture(seeded);
    fixture.server.faults.failNext({
      verb: "patch",
      resource: "integrations",
      count: 3,
      code: 429,
      retryAfterSeconds: 1,
      message: "Too many requests, please try again later.",
    });
    fixture.server.stats.reset();
    const started = Date.now();
    await fixture.client.request("POST", integrations, await integration("throttled"));
    await eventually(() => reconciled(fixture as OperatorFixture, "throttled"), 15_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    // Three refused, then the finalizer and the status went through; nothing more than that.
    expect(fixture.server.stats.total({ verb: "patch", resource: "integrations" })).toBeLessThan(10);
  });

  it("watches dropped and the watch window compacted while changes happen: relists and misses nothing", async () => {
    fixture = await startOperatorFixture(seeded);
    await fixture.client.request("POST", integrations, await integration("before"));
    await eventually(() => reconciled(fixture as OperatorFixture, "before"));

    // Watches cannot reconnect for a while; meanwhile an Integration is created, an owned object
    // deleted, and the history they would resume from is forgotten (410 Gone on return).
    fixture.server.faults.failNext({ verb: "watch", count: 30, code: 500 });
    expect(fixture.server.faults.dropWatches()).toBeGreaterThan(5);
    await fixture.client.request("POST", integrations, await integration("during"));
    await fixture.client.request("DELETE", "/api/v1/namespaces/default/configmaps/before-runtime");
    fixture.server.compact();

    await eventually(async () => {
      await reconciled(fixture as OperatorFixture, "during");
      await fixture?.core.readNamespacedConfigMap({ name: "before-runtime", namespace: "default" });
    }, 20_000);
  });

  it("two instances: the standby takes over the work the leader leaves mid-reconcile", async () => {
    fixture = await startOperatorFixture(seeded, {
      leaderElection: true,
      leaseDurationMs: 1_000,
      renewDeadlineMs: 700,
      retryPeriodMs: 100,
      identity: "a",
    });
    await eventually(() => expect(fixture?.operator.isLeader).toBe(true));
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(fixture.kubeconfig);
    const standby = new Operator({
      kubeConfig,
      log: pino({ level: "silent" }),
      healthPort: 0,
      identity: "b",
      namespace: "switchboard-system",
      leaseDurationMs: 1_000,
      renewDeadlineMs: 700,
      retryPeriodMs: 100,
      runtime: { image: "switchboard:test" },
    });
    extra.push(standby);
    await standby.start();
    expect(standby.isLeader).toBe(false);

    // Slow writes keep reconciles in flight when the leader is told to stop.
    fixture.server.faults.addLatency({ verb: "patch", resource: "deployments", milliseconds: 150 });
    for (let i = 0; i < 12; i++)
      await fixture.client.request("POST", integrations, await integration(`batch-${i}`));
    await new Promise((resolve) => setTimeout(resolve, 400));
    await fixture.operator.stop();
    await eventually(() => expect(standby.isLeader).toBe(true), 5_000);
    await eventually(async () => {
      for (let i = 0; i < 12; i++) await reconciled(fixture as OperatorFixture, `batch-${i}`);
    }, 20_000);
  });
});
