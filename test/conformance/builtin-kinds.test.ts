import { request } from "node:https";
import {
  AdmissionregistrationV1Api,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  EventsV1Api,
  NetworkingV1Api,
  PatchStrategy,
  PolicyV1Api,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";

describe("the built-in kinds the operator and webhook use", () => {
  let api: ApiServerFixture;
  beforeAll(async () => {
    api = await startApiServer();
  });
  afterAll(() => api.close());

  it("Events are one store served as core/v1 and events.k8s.io/v1 with each API's field names", async () => {
    const core = api.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespacedEvent({
      namespace: "default",
      body: {
        metadata: { name: "e1" },
        involvedObject: { kind: "ConfigMap", name: "c", namespace: "default" },
        reason: "Created",
        message: "made it",
        type: "Normal",
        count: 2,
      },
    });
    const events = api.kubeConfig.makeApiClient(EventsV1Api);
    const asV1 = await events.readNamespacedEvent({ name: "e1", namespace: "default" });
    expect(asV1.regarding?.name).toBe("c");
    expect(asV1.note).toBe("made it");
    expect(asV1.deprecatedCount).toBe(2);
    await events.createNamespacedEvent({
      namespace: "default",
      body: {
        metadata: { name: "e2" },
        eventTime: new Date(),
        reportingController: "switchboard.dev/operator",
        reportingInstance: "operator-0",
        action: "Reconcile",
        regarding: { kind: "ConfigMap", name: "d", namespace: "default" },
        reason: "Ready",
        note: "all good",
        type: "Normal",
      },
    });
    const asCore = await core.readNamespacedEvent({ name: "e2", namespace: "default" });
    expect(asCore.involvedObject.name).toBe("d");
    expect(asCore.message).toBe("all good");
    const selected = await core.listNamespacedEvent({
      namespace: "default",
      fieldSelector: "involvedObject.name=d,reason=Ready",
    });
    expect(selected.items.map((e) => e.metadata?.name)).toEqual(["e2"]);
  });

  it("Leases are stored with their spec as written (leader election reads and updates them)", async () => {
    const leases = api.kubeConfig.makeApiClient(CoordinationV1Api);
    const created = await leases.createNamespacedLease({
      namespace: "kube-system",
      body: {
        metadata: { name: "switchboard-operator" },
        spec: { holderIdentity: "a", leaseDurationSeconds: 15, renewTime: new Date() },
      },
    });
    const updated = await leases.replaceNamespacedLease({
      name: "switchboard-operator",
      namespace: "kube-system",
      body: { ...created, spec: { ...created.spec, holderIdentity: "b" } },
    });
    expect(updated.spec?.holderIdentity).toBe("b");
    await expect(
      leases.replaceNamespacedLease({
        name: "switchboard-operator",
        namespace: "kube-system",
        body: { ...created, spec: { ...created.spec, holderIdentity: "c" } },
      }),
    ).rejects.toMatchObject({ code: 409 });
  });

  it("ServiceAccounts, NetworkPolicies and PodDisruptionBudgets are created and read back", async () => {
    const core = api.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespacedServiceAccount({
      namespace: "default",
      body: { metadata: { name: "runtime" } },
    });
    const networking = api.kubeConfig.makeApiClient(NetworkingV1Api);
    const policy = await networking.createNamespacedNetworkPolicy({
      namespace: "default",
      body: {
        metadata: { name: "runtime" },
        spec: { podSelector: { matchLabels: { app: "runtime" } }, policyTypes: ["Ingress"] },
      },
    });
    expect(policy.metadata?.generation).toBe(1);
    const pdbs = api.kubeConfig.makeApiClient(PolicyV1Api);
    const pdb = await pdbs.createNamespacedPodDisruptionBudget({
      namespace: "default",
      body: {
        metadata: { name: "runtime" },
        spec: { minAvailable: 1, selector: { matchLabels: { app: "runtime" } } },
      },
    });
    expect(pdb.spec?.minAvailable).toBe(1);
  });

  it("ControllerRevisions keep their data immutable; labels and revision may change", async () => {
    const apps = api.kubeConfig.makeApiClient(AppsV1Api);
    const created = await apps.createNamespacedControllerRevision({
      namespace: "default",
      body: {
        metadata: { name: "github-1.0.0", labels: { maturity: "stable" } },
        data: { version: "1.0.0", baseURL: "https://api.github.com" },
        revision: 1,
      },
    });
    expect(created.data).toEqual({ version: "1.0.0", baseURL: "https://api.github.com" });
    const relabelled = await apps.patchNamespacedControllerRevision(
      {
        name: "github-1.0.0",
        namespace: "default",
        body: { metadata: { labels: { maturity: "deprecated" } }, revision: 2 },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(relabelled.metadata?.labels).toEqual({ maturity: "deprecated" });
    expect(relabelled.revision).toBe(2);
    const changed = apps.patchNamespacedControllerRevision(
      { name: "github-1.0.0", namespace: "default", body: { data: { version: "1.0.1" } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await expect(changed).rejects.toMatchObject({ code: 422 });
    await expect(changed).rejects.toThrow(/data: Invalid value: field is immutable/);
    const negative = apps.createNamespacedControllerRevision({
      namespace: "default",
      body: { metadata: { name: "negative" }, data: {}, revision: -1 },
    });
    await expect(negative).rejects.toThrow(/revision: Invalid value: -1: must be greater than or equal to 0/);
  });

  it("Validating and mutating webhook configurations are stored (cluster-scoped)", async () => {
    const admission = api.kubeConfig.makeApiClient(AdmissionregistrationV1Api);
    const created = await admission.createValidatingWebhookConfiguration({
      body: {
        metadata: { name: "switchboard" },
        webhooks: [
          {
            name: "validate.switchboard.dev",
            admissionReviewVersions: ["v1"],
            sideEffects: "None",
            clientConfig: { url: "https://127.0.0.1:9443/validate" },
            rules: [
              {
                apiGroups: ["switchboard.dev"],
                apiVersions: ["*"],
                operations: ["CREATE", "UPDATE"],
                resources: ["*"],
              },
            ],
          },
        ],
      },
    });
    expect(created.webhooks?.[0]?.name).toBe("validate.switchboard.dev");
    const list = await admission.listMutatingWebhookConfiguration();
    expect(list.items).toEqual([]);
  });

  it("serves TLS with a certificate only its own CA verifies", async () => {
    const url = new URL("/version", api.running.url);
    const untrusted = await new Promise<string>((resolve) => {
      const req = request(url, { rejectUnauthorized: true }, () => resolve("connected"));
      req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.end();
    });
    expect(untrusted).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/);
    const trusted = await api.raw("GET", "/version");
    expect(trusted.status).toBe(200);
  });
});
