import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../../test/support/eventually.js";
import { customResourceDefinitions } from "../../api/custom-resource-definitions.js";
import { EmbeddedApiServer } from "../../apiserver/embedded-api-server.js";
import type { KubeObject } from "../../apiserver/types.js";
import { loadManifests } from "../../manifests/load-manifests.js";
import { Controller } from "../controller/controller.js";
import { EventRecorder } from "../events/event-recorder.js";
import { Informer } from "../informer/informer.js";
import { KubeClient } from "../kube/kube-client.js";
import { OperatorMetrics } from "../metrics/operator-metrics.js";
import { connectorReconciler } from "./connector-controller.js";

const log = pino({ level: "silent" });
const path = "/apis/switchboard.dev/v1alpha1/clusterconnectors";

describe("ClusterConnector controller", () => {
  const server = new EmbeddedApiServer({ crds: customResourceDefinitions() as unknown as KubeObject[] });
  let client: KubeClient;
  let core: CoreV1Api;
  let informer: Informer;
  let controller: Controller;

  beforeAll(async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString((await server.start()).kubeconfig);
    client = new KubeClient(kubeConfig);
    core = kubeConfig.makeApiClient(CoreV1Api);
    informer = new Informer({ client, path, log });
    controller = new Controller({
      name: "clusterconnector",
      informer,
      reconcile: connectorReconciler({
        client,
        plural: "clusterconnectors",
        events: new EventRecorder({ client, component: "switchboard-operator", instance: "test", log }),
        log,
      }),
      metrics: new OperatorMetrics(),
      log,
    });
    await informer.start();
  });
  afterAll(async () => {
    await controller.stop();
    informer.stop();
    await server.stop();
  });

  const ready = async (name: string) => {
    const object = await client.request<{
      status?: {
        observedGeneration?: number;
        conditions?: { type: string; status: string; reason: string; message: string }[];
      };
    }>("GET", `${path}/${name}`);
    return {
      observedGeneration: object.status?.observedGeneration,
      conditions: object.status?.conditions ?? [],
    };
  };

  it("marks a valid catalog connector Ready with its observedGeneration", async () => {
    const [github] = await loadManifests(["connectors/itops/github.yaml"]);
    await client.request("POST", path, github?.object);
    await eventually(async () => {
      const status = await ready("github");
      expect(status.observedGeneration).toBe(1);
      expect(status.conditions).toEqual([
        expect.objectContaining({
          type: "Ready",
          status: "True",
          reason: "Succeeded",
          message: "GitHub 1.0.0 is valid",
        }),
      ]);
    });
  });

  it("marks an invalid one Ready=False and Stalled, naming the field, with a Warning event; fixing it recovers", async () => {
    const broken = {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "ClusterConnector",
      metadata: { name: "broken" },
      spec: {
        displayName: "Broken",
        category: "itops",
        version: "0.1.0",
        baseURL: "https://{config.tenant}.example.com",
        configSchema: { type: "object", properties: { region: { type: "string" } } },
        actions: [{ name: "get", method: "GET", path: "/x", output: "items[" }],
      },
    };
    await client.request("POST", path, broken);
    await eventually(async () => {
      const status = await ready("broken");
      expect(status.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
        "Ready=False/InvalidSpec",
        "Stalled=True/InvalidSpec",
      ]);
      expect(status.conditions[0]?.message).toBe(
        "spec.baseURL: {config.tenant} names a field the configSchema does not define (and 1 more)",
      );
    });
    const events = await core.listNamespacedEvent({
      namespace: "default",
      fieldSelector: "involvedObject.name=broken,type=Warning",
    });
    expect(events.items[0]?.message).toContain(
      "spec.actions[0].output: the JSONata expression does not compile",
    );

    await client.request(
      "PATCH",
      `${path}/broken`,
      {
        spec: {
          configSchema: { type: "object", properties: { tenant: { type: "string" } } },
          actions: [{ name: "get", method: "GET", path: "/x", output: "items" }],
        },
      },
      "application/merge-patch+json",
    );
    await eventually(async () => {
      const status = await ready("broken");
      expect(status.observedGeneration).toBe(2);
      expect(status.conditions.map((c) => `${c.type}=${c.status}`)).toEqual(["Ready=True"]);
    });
  });

  it("writes nothing in a steady state, however often it reconciles", async () => {
    await eventually(async () => expect((await ready("broken")).conditions[0]?.status).toBe("True"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.stats.reset();
    for (let i = 0; i < 5; i++) {
      controller.enqueueAll();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(server.stats.total({ writes: true })).toBe(0);
  });
});
