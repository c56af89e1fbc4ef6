import { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedApiServer } from "../../apiserver/embedded-api-server.js";
import { eventually } from "../../../test/support/eventually.js";
import { KubeClient } from "../kube/kube-client.js";
import { LeaderElector } from "./leader-election.js";

const log = pino({ level: "silent" });

describe("leader election on a Lease", () => {
  const server = new EmbeddedApiServer();
  let client: KubeClient;
  beforeAll(async () => {
    const running = await server.start();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(running.kubeconfig);
    client = new KubeClient(kubeConfig);
  });
  afterAll(() => server.stop());

  const candidate = (identity: string, lease: string, transitions: string[], releaseOnStop = true) =>
    new LeaderElector({
      releaseOnStop,
      client,
      namespace: "kube-system",
      name: lease,
      identity,
      leaseDurationMs: 1000,
      renewDeadlineMs: 700,
      retryPeriodMs: 100,
      onStartedLeading: () => transitions.push(`${identity} leads`),
      onStoppedLeading: () => transitions.push(`${identity} stops`),
      log,
    });

  it("one of two candidates leads; the other takes over when the leader releases the lease", async () => {
    const transitions: string[] = [];
    const a = candidate("a", "release", transitions);
    const b = candidate("b", "release", transitions);
    a.start();
    await eventually(() => expect(a.isLeader).toBe(true));
    b.start();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(b.isLeader).toBe(false);
    await a.stop();
    await eventually(() => expect(b.isLeader).toBe(true));
    expect(transitions).toEqual(["a leads", "a stops", "b leads"]);
    const lease = await client.request<{ spec: { holderIdentity: string; leaseTransitions: number } }>(
      "GET",
      "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/release",
    );
    expect(lease.spec).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
    await b.stop();
  });

  it("a candidate takes over once a crashed leader's lease expires, not before", async () => {
    const transitions: string[] = [];
    const a = candidate("a", "crash", transitions, false);
    const b = candidate("b", "crash", transitions);
    a.start();
    await eventually(() => expect(a.isLeader).toBe(true));
    b.start();
    // A crash: the leader stops renewing and never releases the lease.
    await a.stop();
    const crashedAt = Date.now();
    await eventually(() => expect(b.isLeader).toBe(true), 5000);
    // b saw the lease unchanged for a whole lease duration (1 s) before taking it.
    expect(Date.now() - crashedAt).toBeGreaterThanOrEqual(500);
    expect(transitions).toEqual(["a leads", "a stops", "b leads"]);
    await b.stop();
  });
});
