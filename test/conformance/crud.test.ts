import { AppsV1Api, CoreV1Api, KubernetesObjectApi, PatchStrategy } from "@kubernetes/client-node";
import type { V1ConfigMap } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";
import { widgetCrd } from "../support/widget-crd.js";

describe("create, get, update (client-node over HTTPS)", () => {
  let api: ApiServerFixture;
  let core: CoreV1Api;
  let objects: KubernetesObjectApi;
  beforeAll(async () => {
    api = await startApiServer({ crds: [widgetCrd()] });
    core = api.kubeConfig.makeApiClient(CoreV1Api);
    objects = KubernetesObjectApi.makeApiClient(api.kubeConfig);
  });
  afterAll(() => api.close());

  it("a fresh cluster has the default, kube-system, kube-public and kube-node-lease namespaces, Active", async () => {
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual([
      "default",
      "kube-node-lease",
      "kube-public",
      "kube-system",
    ]);
    expect(list.items.every((n) => n.status?.phase === "Active")).toBe(true);
    expect(list.items[0]?.metadata?.labels?.["kubernetes.io/metadata.name"]).toBe("default");
  });

  it("create fills uid, creationTimestamp and resourceVersion; get returns the same object", async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "settings", labels: { app: "demo" } }, data: { a: "1" } },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(0);
    const read = await core.readNamespacedConfigMap({ name: "settings", namespace: "default" });
    expect(read.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
    expect(read.data).toEqual({ a: "1" });
  });

  it("generateName makes a unique name with a five character suffix", async () => {
    const a = await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { generateName: "gen-" } },
    });
    const b = await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { generateName: "gen-" } },
    });
    expect(a.metadata?.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(a.metadata?.name).not.toBe(b.metadata?.name);
  });

  it("creating an existing name is 409 AlreadyExists", async () => {
    const response = await api.raw("POST", "/api/v1/namespaces/default/configmaps", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings" },
    });
    expect(response.status).toBe(409);
    expect(response.json).toMatchObject({
      reason: "AlreadyExists",
      message: 'configmaps "settings" already exists',
      details: { name: "settings", kind: "configmaps" },
    });
  });

  it("creating in a namespace that does not exist is 404 naming the namespace", async () => {
    const response = await api.raw("POST", "/api/v1/namespaces/nowhere/configmaps", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x" },
    });
    expect(response.status).toBe(404);
    expect(response.json.message).toBe('namespaces "nowhere" not found');
  });

  it("a body whose namespace differs from the URL's is 400", async () => {
    const response = await api.raw("POST", "/api/v1/namespaces/default/configmaps", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x", namespace: "kube-system" },
    });
    expect(response.status).toBe(400);
    expect(response.json.message).toBe(
      "the namespace of the provided object does not match the namespace sent on the request",
    );
  });

  it("update with a stale resourceVersion is 409 Conflict; with the current one it succeeds and bumps the version", async () => {
    const current = await core.readNamespacedConfigMap({ name: "settings", namespace: "default" });
    const stale: V1ConfigMap = {
      ...current,
      metadata: { ...current.metadata, resourceVersion: "1" },
      data: { a: "2" },
    };
    const conflict = await api.raw("PUT", "/api/v1/namespaces/default/configmaps/settings", {
      apiVersion: "v1",
      kind: "ConfigMap",
      ...stale,
    });
    expect(conflict.status).toBe(409);
    expect(conflict.json).toMatchObject({
      reason: "Conflict",
      message:
        'Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again',
    });
    const updated = await core.replaceNamespacedConfigMap({
      name: "settings",
      namespace: "default",
      body: { ...current, data: { a: "2" } },
    });
    expect(updated.data).toEqual({ a: "2" });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(
      Number(current.metadata?.resourceVersion),
    );
    expect(updated.metadata?.uid).toBe(current.metadata?.uid);
  });

  it("an update that changes nothing is not a write: the resourceVersion stays", async () => {
    const current = await core.readNamespacedConfigMap({ name: "settings", namespace: "default" });
    const again = await core.replaceNamespacedConfigMap({
      name: "settings",
      namespace: "default",
      body: current,
    });
    expect(again.metadata?.resourceVersion).toBe(current.metadata?.resourceVersion);
  });

  it("custom resources refuse an update without resourceVersion (422), as their strategy does not allow unconditional updates", async () => {
    await objects.create({
      apiVersion: "example.switchboard.dev/v1",
      kind: "Widget",
      metadata: { name: "w-uncond", namespace: "default" },
      spec: { size: "small" },
    });
    const response = await api.raw(
      "PUT",
      "/apis/example.switchboard.dev/v1/namespaces/default/widgets/w-uncond",
      {
        apiVersion: "example.switchboard.dev/v1",
        kind: "Widget",
        metadata: { name: "w-uncond" },
        spec: { size: "large" },
      },
    );
    expect(response.status).toBe(422);
    expect(response.json.message).toContain(
      "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
    );
  });

  it("metadata.generation starts at 1 and moves only when the spec changes, never for metadata or status", async () => {
    const apps = api.kubeConfig.makeApiClient(AppsV1Api);
    const body = {
      metadata: { name: "web" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: "nginx:1" }] },
        },
      },
    };
    const created = await apps.createNamespacedDeployment({ namespace: "default", body });
    expect(created.metadata?.generation).toBe(1);
    expect(created.spec?.replicas).toBe(1);
    const labelled = await objects.patch(
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "default", labels: { tier: "front" } },
      },
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    expect((labelled.metadata as { generation?: number }).generation).toBe(1);
    const status = await api.raw(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/web/status",
      { status: { replicas: 1, readyReplicas: 1 } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(status.status).toBe(200);
    expect(status.json.metadata.generation).toBe(1);
    expect(status.json.status.readyReplicas).toBe(1);
    const respec = await api.raw(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/web",
      { spec: { replicas: 3 } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(respec.json.metadata.generation).toBe(2);
  });

  it("the status subresource ignores spec, and the main resource ignores status", async () => {
    const created = await objects.create({
      apiVersion: "example.switchboard.dev/v1",
      kind: "Widget",
      metadata: { name: "w-status", namespace: "default" },
      spec: { size: "small" },
      status: { observedGeneration: 99 },
    } as never);
    expect((created as { status?: unknown }).status).toBeUndefined();
    const viaStatus = await api.raw(
      "PUT",
      "/apis/example.switchboard.dev/v1/namespaces/default/widgets/w-status/status",
      { ...(created as object), spec: { size: "large" }, status: { observedGeneration: 1 } },
    );
    expect(viaStatus.status).toBe(200);
    expect(viaStatus.json.spec.size).toBe("small");
    expect(viaStatus.json.status.observedGeneration).toBe(1);
    const viaMain = await api.raw(
      "PUT",
      "/apis/example.switchboard.dev/v1/namespaces/default/widgets/w-status",
      {
        ...viaStatus.json,
        spec: { size: "medium" },
        status: { observedGeneration: 7 },
      },
    );
    expect(viaMain.json.spec.size).toBe("medium");
    expect(viaMain.json.status.observedGeneration).toBe(1);
    expect(viaMain.json.metadata.generation).toBe(2);
  });

  it("Secrets take stringData and store it base64-encoded in data", async () => {
    const secret = await core.createNamespacedSecret({
      namespace: "default",
      body: { metadata: { name: "token" }, stringData: { token: "s3cret" } },
    });
    expect(secret.data).toEqual({ token: Buffer.from("s3cret").toString("base64") });
    expect(secret.type).toBe("Opaque");
    expect((secret as { stringData?: unknown }).stringData).toBeUndefined();
  });

  it("Services get a cluster IP and TCP ports by default", async () => {
    const service = await core.createNamespacedService({
      namespace: "default",
      body: { metadata: { name: "web" }, spec: { ports: [{ port: 80 }] } },
    });
    expect(service.spec?.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(service.spec?.type).toBe("ClusterIP");
    expect(service.spec?.ports?.[0]).toMatchObject({ port: 80, protocol: "TCP", targetPort: 80 });
  });

  it("a custom resource is served at every served version of its CRD (None conversion)", async () => {
    const created: { metadata?: { uid?: string } } = await objects.create({
      apiVersion: "example.switchboard.dev/v1",
      kind: "Widget",
      metadata: { name: "w-versions", namespace: "default" },
      spec: { size: "large" },
    } as never);
    const beta = await api.raw(
      "GET",
      "/apis/example.switchboard.dev/v1beta1/namespaces/default/widgets/w-versions",
    );
    expect(beta.json.apiVersion).toBe("example.switchboard.dev/v1beta1");
    expect(beta.json.metadata.uid).toBe(created.metadata?.uid);
  });

  it("dryRun=All validates and answers as if written, but stores nothing", async () => {
    const response = await api.raw("POST", "/api/v1/namespaces/default/configmaps?dryRun=All", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "dry" },
    });
    expect(response.status).toBe(201);
    expect(response.json.metadata.uid).toBeDefined();
    expect((await api.raw("GET", "/api/v1/namespaces/default/configmaps/dry")).status).toBe(404);
  });
});
