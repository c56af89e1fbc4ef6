import { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../test/support/eventually.js";
import { customResourceDefinitions } from "../api/custom-resource-definitions.js";
import { EmbeddedApiServer } from "../apiserver/embedded-api-server.js";
import type { KubeObject } from "../apiserver/types.js";
import { loadManifests } from "../manifests/load-manifests.js";
import { KubeClient } from "./kube/kube-client.js";
import { Operator } from "./operator.js";

describe("the operator process", () => {
  const server = new EmbeddedApiServer({
    crds: customResourceDefinitions() as unknown as KubeObject[],
    namespaces: ["switchboard-system"],
  });
  let kubeConfig: KubeConfig;
  const operators: Operator[] = [];
  beforeAll(async () => {
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromString((await server.start()).kubeconfig);
  });
  afterAll(async () => {
    for (const operator of operators) await operator.stop();
    await server.stop();
  });

  const start = async (identity: string): Promise<Operator> => {
    const operator = new Operator({
      kubeConfig,
      log: pino({ level: "silent" }),
      healthPort: 0,
      identity,
      leaseDurationMs: 1000,
      renewDeadlineMs: 700,
      retryPeriodMs: 100,
    });
    operators.push(operator);
    await operator.start();
    return operator;
  };

  it("two instances: one leads and reconciles, both serve health; the other takes over when the leader stops", async () => {
    const a = await start("operator-a");
    await eventually(() => expect(a.isLeader).toBe(true));
    const b = await start("operator-b");
    const client = new KubeClient(kubeConfig);
    const [github] = await loadManifests(["connectors/itops/github.yaml"]);
    await client.request("POST", "/apis/switchboard.dev/v1alpha1/clusterconnectors", github?.object);
    await eventually(async () => {
      const object = await client.request<{ status?: { conditions?: { status: string }[] } }>(
        "GET",
        "/apis/switchboard.dev/v1alpha1/clusterconnectors/github",
      );
      expect(object.status?.conditions?.[0]?.status).toBe("True");
    });
    expect(b.isLeader).toBe(false);

    for (const [operator, leading] of [
      [a, 1],
      [b, 0],
    ] as const) {
      expect((await fetch(`http://127.0.0.1:${operator.healthPort}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`http://127.0.0.1:${operator.healthPort}/metrics`)).text();
      expect(metrics).toContain(`leader_election_master_status{name="switchboard-operator"} ${leading}`);
    }
    const leaderMetrics = await (await fetch(`http://127.0.0.1:${a.healthPort}/metrics`)).text();
    expect(leaderMetrics).toMatch(
      /controller_runtime_reconcile_total\{controller="clusterconnector",result="success"\} [1-9]/,
    );

    await a.stop();
    await eventually(() => expect(b.isLeader).toBe(true), 5000);
  });
});
