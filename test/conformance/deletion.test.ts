import { CoreV1Api, KubernetesObjectApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";
import { eventually } from "../support/eventually.js";
import { widgetCrd } from "../support/widget-crd.js";

describe("deletion: finalizers, garbage collection, namespaces, CRDs", () => {
  let api: ApiServerFixture;
  let core: CoreV1Api;
  let objects: KubernetesObjectApi;
  beforeAll(async () => {
    api = await startApiServer({ crds: [widgetCrd()] });
    core = api.kubeConfig.makeApiClient(CoreV1Api);
    objects = KubernetesObjectApi.makeApiClient(api.kubeConfig);
  });
  afterAll(() => api.close());

  const exists = async (path: string): Promise<boolean> => (await api.raw("GET", path)).status === 200;

  it("a finalizer holds a deleted object with deletionTimestamp (202) until the finalizer is removed", async () => {
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "held", finalizers: ["example.com/hold"] } },
    });
    const deleted = await api.raw("DELETE", "/api/v1/namespaces/default/configmaps/held");
    expect(deleted.status).toBe(202);
    expect(deleted.json.metadata.deletionTimestamp).toBeDefined();
    expect(await exists("/api/v1/namespaces/default/configmaps/held")).toBe(true);
    const addFinalizer = await api.raw(
      "PATCH",
      "/api/v1/namespaces/default/configmaps/held",
      { metadata: { finalizers: ["example.com/hold", "example.com/another"] } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(addFinalizer.status).toBe(422);
    expect(addFinalizer.json.message).toContain(
      "no new finalizers can be added if the object is being deleted",
    );
    await core.patchNamespacedConfigMap(
      { name: "held", namespace: "default", body: { metadata: { finalizers: null } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(await exists("/api/v1/namespaces/default/configmaps/held")).toBe(false);
  });

  it("background propagation (the default) deletes dependents after their owner is gone", async () => {
    const owner = await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "owner-bg" } },
    });
    const ref = { apiVersion: "v1", kind: "ConfigMap", name: "owner-bg", uid: owner.metadata?.uid ?? "" };
    await core.createNamespacedSecret({
      namespace: "default",
      body: { metadata: { name: "dependent-bg", ownerReferences: [ref] } },
    });
    await core.deleteNamespacedConfigMap({ name: "owner-bg", namespace: "default" });
    await eventually(async () =>
      expect(await exists("/api/v1/namespaces/default/secrets/dependent-bg")).toBe(false),
    );
  });

  it("foreground propagation deletes dependents first, then the owner", async () => {
    const owner = await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "owner-fg" } },
    });
    const ref = {
      apiVersion: "v1",
      kind: "ConfigMap",
      name: "owner-fg",
      uid: owner.metadata?.uid ?? "",
      blockOwnerDeletion: true,
    };
    await core.createNamespacedSecret({
      namespace: "default",
      body: { metadata: { name: "dependent-fg", ownerReferences: [ref], finalizers: ["example.com/slow"] } },
    });
    const response = await api.raw("DELETE", "/api/v1/namespaces/default/configmaps/owner-fg", {
      propagationPolicy: "Foreground",
    });
    expect(response.status).toBe(202);
    expect(response.json.metadata.finalizers).toContain("foregroundDeletion");
    await eventually(async () => {
      const dependent = await api.raw("GET", "/api/v1/namespaces/default/secrets/dependent-fg");
      expect(dependent.json.metadata.deletionTimestamp).toBeDefined();
    });
    expect(await exists("/api/v1/namespaces/default/configmaps/owner-fg")).toBe(true);
    await api.raw(
      "PATCH",
      "/api/v1/namespaces/default/secrets/dependent-fg",
      { metadata: { finalizers: null } },
      { "content-type": "application/merge-patch+json" },
    );
    await eventually(async () =>
      expect(await exists("/api/v1/namespaces/default/configmaps/owner-fg")).toBe(false),
    );
  });

  it("orphan propagation keeps dependents and removes their owner reference", async () => {
    const owner = await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "owner-or" } },
    });
    const ref = { apiVersion: "v1", kind: "ConfigMap", name: "owner-or", uid: owner.metadata?.uid ?? "" };
    await core.createNamespacedSecret({
      namespace: "default",
      body: { metadata: { name: "dependent-or", ownerReferences: [ref] } },
    });
    await api.raw("DELETE", "/api/v1/namespaces/default/configmaps/owner-or?propagationPolicy=Orphan");
    await eventually(async () =>
      expect(await exists("/api/v1/namespaces/default/configmaps/owner-or")).toBe(false),
    );
    const dependent = await core.readNamespacedSecret({ name: "dependent-or", namespace: "default" });
    expect(dependent.metadata?.ownerReferences).toBeUndefined();
  });

  it("a dependent whose owner never existed is collected", async () => {
    const ref = {
      apiVersion: "v1",
      kind: "ConfigMap",
      name: "ghost",
      uid: "00000000-0000-0000-0000-000000000000",
    };
    await core.createNamespacedSecret({
      namespace: "default",
      body: { metadata: { name: "orphaned", ownerReferences: [ref] } },
    });
    await eventually(async () =>
      expect(await exists("/api/v1/namespaces/default/secrets/orphaned")).toBe(false),
    );
  });

  it("delete preconditions on uid and resourceVersion answer 409 when they do not hold", async () => {
    await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "guarded" } } });
    const response = await api.raw("DELETE", "/api/v1/namespaces/default/configmaps/guarded", {
      preconditions: { uid: "not-the-uid" },
    });
    expect(response.status).toBe(409);
    expect(response.json.message).toContain("Precondition failed: UID in precondition: not-the-uid");
  });

  it("deleting a namespace makes it Terminating, refuses new content (403), deletes its content, then goes", async () => {
    await core.createNamespace({ body: { metadata: { name: "doomed" } } });
    await core.createNamespacedConfigMap({
      namespace: "doomed",
      body: { metadata: { name: "content", finalizers: ["example.com/hold"] } },
    });
    await objects.create({
      apiVersion: "example.switchboard.dev/v1",
      kind: "Widget",
      metadata: { name: "w", namespace: "doomed" },
      spec: { size: "small" },
    } as never);
    await core.deleteNamespace({ name: "doomed" });
    await eventually(async () => {
      const ns = await core.readNamespace({ name: "doomed" });
      expect(ns.status?.phase).toBe("Terminating");
    });
    const refused = await api.raw("POST", "/api/v1/namespaces/doomed/configmaps", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "late" },
    });
    expect(refused.status).toBe(403);
    expect(refused.json.message).toContain(
      "unable to create new content in namespace doomed because it is being terminated",
    );
    await eventually(async () =>
      expect(await exists("/apis/example.switchboard.dev/v1/namespaces/doomed/widgets/w")).toBe(false),
    );
    expect(await exists("/api/v1/namespaces/doomed")).toBe(true);
    await api.raw(
      "PATCH",
      "/api/v1/namespaces/doomed/configmaps/content",
      { metadata: { finalizers: null } },
      { "content-type": "application/merge-patch+json" },
    );
    await eventually(async () => expect(await exists("/api/v1/namespaces/doomed")).toBe(false));
  });

  it("deleting a CRD deletes its instances, then stops serving the resource (404)", async () => {
    const crd = widgetCrd();
    crd.metadata.name = "gadgets.example.switchboard.dev";
    const spec = crd.spec as { names: Record<string, unknown> };
    spec.names = { plural: "gadgets", singular: "gadget", kind: "Gadget" };
    await objects.create(crd as never);
    await objects.create({
      apiVersion: "example.switchboard.dev/v1",
      kind: "Gadget",
      metadata: { name: "g", namespace: "default" },
      spec: { size: "small" },
    } as never);
    await api.raw(
      "DELETE",
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.switchboard.dev",
    );
    await eventually(async () =>
      expect(
        await exists(
          "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.switchboard.dev",
        ),
      ).toBe(false),
    );
    const gone = await api.raw("GET", "/apis/example.switchboard.dev/v1/namespaces/default/gadgets");
    expect(gone.status).toBe(404);
  });
});
