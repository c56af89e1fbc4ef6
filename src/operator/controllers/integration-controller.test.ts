import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../../test/support/eventually.js";
import type { OperatorFixture } from "../../../test/support/operator-fixture.js";
import { startOperatorFixture } from "../../../test/support/operator-fixture.js";
import type { KubeObject } from "../../apiserver/types.js";
import { loadManifests } from "../../manifests/load-manifests.js";

const integrations = "/apis/switchboard.dev/v1alpha1/namespaces/default/integrations";
type Status = {
  conditions?: { type: string; status: string; reason: string; message: string }[];
  connector?: { version?: string };
  webhookURL?: string;
  observedGeneration?: number;
};

describe("Integration controller, end to end against the embedded API server", () => {
  let fixture: OperatorFixture;
  let server: OperatorFixture["server"];
  let client: OperatorFixture["client"];
  let core: OperatorFixture["core"];
  beforeAll(async () => {
    fixture = await startOperatorFixture(
      [
        "config/samples/clusterconnector.yaml",
        "config/samples/credential-secret.yaml",
        "config/samples/credential.yaml",
      ],
      { resyncPeriodMs: 100 },
    );
    ({ server, client, core } = fixture);
  });
  afterAll(() => fixture.stop());

  const status = async (name: string): Promise<Status> =>
    (await client.request<{ status?: Status }>("GET", `${integrations}/${name}`)).status ?? {};
  const ready = async (name: string) => (await status(name)).conditions?.find((c) => c.type === "Ready");
  const markDeploymentReady = async (name: string) => {
    const deployment = await client.request<{ metadata: { generation: number }; spec: { replicas: number } }>(
      "GET",
      `/apis/apps/v1/namespaces/default/deployments/${name}`,
    );
    await client.request(
      "PATCH",
      `/apis/apps/v1/namespaces/default/deployments/${name}/status`,
      {
        status: {
          observedGeneration: deployment.metadata.generation,
          replicas: deployment.spec.replicas,
          readyReplicas: deployment.spec.replicas,
          updatedReplicas: deployment.spec.replicas,
          availableReplicas: deployment.spec.replicas,
        },
      },
      "application/merge-patch+json",
    );
  };

  it("creates the owned objects with owner references, then reports Ready once the Deployment is ready", async () => {
    const [sample] = await loadManifests(["config/samples/integration.yaml"]);
    await client.request("POST", integrations, sample?.object);
    await eventually(async () => expect((await ready("support-tickets"))?.reason).toBe("DeploymentNotReady"));
    const deployment = await client.request<KubeObject & { spec: { replicas: number } }>(
      "GET",
      "/apis/apps/v1/namespaces/default/deployments/support-tickets",
    );
    expect(deployment.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "Integration",
      name: "support-tickets",
      controller: true,
    });
    expect(deployment.spec.replicas).toBe(2);
    for (const path of [
      "/api/v1/namespaces/default/configmaps/support-tickets-runtime",
      "/api/v1/namespaces/default/services/support-tickets",
      "/apis/policy/v1/namespaces/default/poddisruptionbudgets/support-tickets",
    ]) {
      expect((await client.request<KubeObject>("GET", path)).metadata.ownerReferences?.[0]?.name).toBe(
        "support-tickets",
      );
    }
    await markDeploymentReady("support-tickets");
    await eventually(async () =>
      expect(await ready("support-tickets")).toMatchObject({ status: "True", reason: "Succeeded" }),
    );
    expect(await status("support-tickets")).toMatchObject({
      connector: { version: "1.0.0" },
      webhookURL: "http://support-tickets.default.svc/webhook",
      observedGeneration: 1,
    });
  });

  it("a config change rewrites the ConfigMap and rolls the pods through the template hash", async () => {
    const hash = async () =>
      (
        await client.request<{ spec: { template: { metadata: { annotations: Record<string, string> } } } }>(
          "GET",
          "/apis/apps/v1/namespaces/default/deployments/support-tickets",
        )
      ).spec.template.metadata.annotations["switchboard.dev/config-hash"];
    const before = await hash();
    await client.request(
      "PATCH",
      `${integrations}/support-tickets`,
      { spec: { config: { host: "other.example.com" } } },
      "application/merge-patch+json",
    );
    await eventually(async () => expect(await hash()).not.toBe(before));
    const configMap = await core.readNamespacedConfigMap({
      name: "support-tickets-runtime",
      namespace: "default",
    });
    expect(configMap.data?.["runtime.json"]).toContain("other.example.com");
  });

  it("writes nothing in a steady state, over many resyncs", async () => {
    // Settle first: the rollout from the config change observed, the Integration's status caught up.
    await eventually(async () => {
      await markDeploymentReady("support-tickets");
      const deployment = await client.request<KubeObject & { status?: { observedGeneration?: number } }>(
        "GET",
        "/apis/apps/v1/namespaces/default/deployments/support-tickets",
      );
      expect(deployment.status?.observedGeneration).toBe(deployment.metadata.generation);
      const integration = await client.request<KubeObject & { status?: Status }>(
        "GET",
        `${integrations}/support-tickets`,
      );
      expect(integration.status?.observedGeneration).toBe(integration.metadata.generation);
      expect(integration.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    }, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.stats.reset();
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // ten resyncs
    expect(server.stats.total({ writes: true })).toBe(0);
    expect(server.stats.total({ writes: false })).toBe(0); // reconciles read the caches only
  });

  it("a missing Credential: Ready=False with a Warning event; recovers by itself when the Credential appears", async () => {
    await client.request("POST", integrations, {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "Integration",
      metadata: { name: "waiting" },
      spec: {
        connectorRef: { name: "example-webhooks" },
        credentialRef: { name: "later" },
        config: { host: "a.example.com" },
      },
    });
    await eventually(async () =>
      expect(await ready("waiting")).toMatchObject({ status: "False", reason: "CredentialNotFound" }),
    );
    await eventually(async () => {
      const events = await core.listNamespacedEvent({
        namespace: "default",
        fieldSelector: "involvedObject.name=waiting,reason=CredentialNotFound",
      });
      expect(events.items[0]?.type).toBe("Warning"); // recorded after the status it explains
    });
    await client.request("POST", "/apis/switchboard.dev/v1alpha1/namespaces/default/credentials", {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "Credential",
      metadata: { name: "later" },
      spec: { type: "bearer", secretRef: { name: "example-api" } },
    });
    await eventually(async () => expect((await ready("waiting"))?.reason).toBe("DeploymentNotReady"));
  });

  it("config that breaks the connector's config schema stalls with the field named", async () => {
    await client.request("POST", integrations, {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "Integration",
      metadata: { name: "bad-config" },
      spec: { connectorRef: { name: "example-webhooks" }, config: {} },
    });
    await eventually(async () =>
      expect(await ready("bad-config")).toMatchObject({
        status: "False",
        reason: "InvalidConfig",
        message: "spec.config: must have required property 'host' (host)",
      }),
    );
    expect((await status("bad-config")).conditions?.find((c) => c.type === "Stalled")?.status).toBe("True");
  });

  it("deleting the Integration runs its cleanup, drops the finalizer, and its objects are collected", async () => {
    await client.request("DELETE", `${integrations}/support-tickets`);
    await eventually(async () => {
      const gone = await client
        .request("GET", `${integrations}/support-tickets`)
        .catch((e: { code?: number }) => e.code);
      expect(gone).toBe(404);
    });
    await eventually(async () => {
      const left = await client.request<{ items: unknown[] }>(
        "GET",
        "/apis/apps/v1/namespaces/default/deployments?labelSelector=switchboard.dev%2Fintegration%3Dsupport-tickets",
      );
      expect(left.items).toEqual([]);
    });
  });
});
