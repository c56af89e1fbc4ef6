import { CoreV1Api, KubernetesObjectApi, PatchStrategy } from "@kubernetes/client-node";
import { K8s, kind } from "kubernetes-fluent-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";
import { widgetCrd } from "../support/widget-crd.js";

const widgets = "/apis/example.switchboard.dev/v1/namespaces/default/widgets";
const apply = { "content-type": "application/apply-patch+yaml" };

describe("patch and server-side apply", () => {
  let api: ApiServerFixture;
  let objects: KubernetesObjectApi;
  beforeAll(async () => {
    api = await startApiServer({ crds: [widgetCrd()] });
    objects = KubernetesObjectApi.makeApiClient(api.kubeConfig);
  });
  afterAll(() => api.close());

  it("JSON merge patch merges maps and deletes with null", async () => {
    const core = api.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "merge" }, data: { a: "1", b: "2" } },
    });
    const patched = await api.raw(
      "PATCH",
      "/api/v1/namespaces/default/configmaps/merge",
      { data: { a: null, c: "3" } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(patched.json.data).toEqual({ b: "2", c: "3" });
  });

  it("JSON patch applies operations in order; a failing test operation is 422 and changes nothing", async () => {
    const ops = [
      { op: "add", path: "/data/d", value: "4" },
      { op: "replace", path: "/data/b", value: "two" },
    ];
    const patched = await api.raw("PATCH", "/api/v1/namespaces/default/configmaps/merge", ops, {
      "content-type": "application/json-patch+json",
    });
    expect(patched.json.data).toEqual({ b: "two", c: "3", d: "4" });
    const failed = await api.raw(
      "PATCH",
      "/api/v1/namespaces/default/configmaps/merge",
      [
        { op: "test", path: "/data/b", value: "nope" },
        { op: "remove", path: "/data/b" },
      ],
      {
        "content-type": "application/json-patch+json",
      },
    );
    expect(failed.status).toBe(422);
    expect((await api.raw("GET", "/api/v1/namespaces/default/configmaps/merge")).json.data.b).toBe("two");
  });

  it("strategic merge patch merges a Deployment's containers by name", async () => {
    await api.raw("POST", "/apis/apps/v1/namespaces/default/deployments", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "smp" },
      spec: {
        selector: { matchLabels: { app: "smp" } },
        template: {
          metadata: { labels: { app: "smp" } },
          spec: {
            containers: [
              { name: "a", image: "a:1" },
              { name: "b", image: "b:1" },
            ],
          },
        },
      },
    });
    const patched = await api.raw(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/smp",
      { spec: { template: { spec: { containers: [{ name: "b", image: "b:2" }] } } } },
      { "content-type": "application/strategic-merge-patch+json" },
    );
    expect(patched.json.spec.template.spec.containers).toEqual([
      { name: "a", image: "a:1" },
      { name: "b", image: "b:2" },
    ]);
  });

  it("server-side apply creates the object (201) and records the manager's fields in managedFields", async () => {
    const body = {
      apiVersion: "example.switchboard.dev/v1",
      kind: "Widget",
      metadata: { name: "ssa", labels: { team: "a" } },
      spec: { size: "small", ports: [{ name: "http", port: 80 }] },
    };
    const created = await api.raw("PATCH", `${widgets}/ssa?fieldManager=team-a`, JSON.stringify(body), apply);
    expect(created.status).toBe(201);
    const entry = created.json.metadata.managedFields.find(
      (m: { manager: string }) => m.manager === "team-a",
    );
    expect(entry).toMatchObject({
      operation: "Apply",
      apiVersion: "example.switchboard.dev/v1",
      fieldsType: "FieldsV1",
    });
    expect(entry.fieldsV1).toMatchObject({
      "f:metadata": { "f:labels": { "f:team": {} } },
      "f:spec": { "f:size": {}, "f:ports": { 'k:{"name":"http"}': { ".": {}, "f:name": {}, "f:port": {} } } },
    });
    // Defaults the schema applied are not the applier's fields.
    expect(created.json.spec.color).toBe("blue");
  });

  it("re-applying the same configuration is a no-op: same resourceVersion", async () => {
    const body = {
      apiVersion: "example.switchboard.dev/v1",
      kind: "Widget",
      metadata: { name: "ssa", labels: { team: "a" } },
      spec: { size: "small", ports: [{ name: "http", port: 80 }] },
    };
    const before = await api.raw("GET", `${widgets}/ssa`);
    const again = await api.raw("PATCH", `${widgets}/ssa?fieldManager=team-a`, JSON.stringify(body), apply);
    expect(again.status).toBe(200);
    expect(again.json.metadata.resourceVersion).toBe(before.json.metadata.resourceVersion);
  });

  it("a second manager changing an owned field conflicts (409) naming the manager and field; force takes ownership", async () => {
    const theirs = {
      apiVersion: "example.switchboard.dev/v1",
      kind: "Widget",
      metadata: { name: "ssa" },
      spec: { size: "large" },
    };
    const conflict = await api.raw(
      "PATCH",
      `${widgets}/ssa?fieldManager=team-b`,
      JSON.stringify(theirs),
      apply,
    );
    expect(conflict.status).toBe(409);
    expect(conflict.json.reason).toBe("Conflict");
    expect(conflict.json.message).toBe('Apply failed with 1 conflict: conflict with "team-a": .spec.size');
    expect(conflict.json.details.causes).toEqual([
      { reason: "FieldManagerConflict", message: 'conflict with "team-a"', field: ".spec.size" },
    ]);
    const forced = await api.raw(
      "PATCH",
      `${widgets}/ssa?fieldManager=team-b&force=true`,
      JSON.stringify(theirs),
      apply,
    );
    expect(forced.status).toBe(200);
    expect(forced.json.spec.size).toBe("large");
    const managers = forced.json.metadata.managedFields.map(
      (m: { manager: string; fieldsV1: Record<string, Record<string, unknown>> }) => [
        m.manager,
        Object.keys(m.fieldsV1["f:spec"] ?? {}),
      ],
    );
    expect(managers).toEqual(
      expect.arrayContaining([
        ["team-a", ["f:ports"]],
        ["team-b", ["f:size"]],
      ]),
    );
  });

  it("a field the manager no longer applies is removed", async () => {
    const body = {
      apiVersion: "example.switchboard.dev/v1",
      kind: "Widget",
      metadata: { name: "ssa", labels: { team: "a" } },
      spec: { size: "large" },
    };
    const applied = await api.raw(
      "PATCH",
      `${widgets}/ssa?fieldManager=team-a&force=true`,
      JSON.stringify(body),
      apply,
    );
    expect(applied.status, applied.text).toBe(200);
    expect(applied.json.spec.ports).toBeUndefined();
  });

  it("apply without fieldManager is refused with 422, as kube validates PatchOptions", async () => {
    const body = {
      apiVersion: "example.switchboard.dev/v1",
      kind: "Widget",
      metadata: { name: "ssa" },
      spec: { size: "large" },
    };
    const response = await api.raw("PATCH", `${widgets}/ssa`, JSON.stringify(body), apply);
    expect(response.status).toBe(422);
    expect(response.json.message).toContain("fieldManager");
  });

  it("apply to the status subresource writes status only, under its own managedFields entry", async () => {
    const status = {
      apiVersion: "example.switchboard.dev/v1",
      kind: "Widget",
      metadata: { name: "ssa" },
      status: { observedGeneration: 1, conditions: [{ type: "Ready", status: "True" }] },
    };
    const response = await api.raw(
      "PATCH",
      `${widgets}/ssa/status?fieldManager=controller`,
      JSON.stringify(status),
      apply,
    );
    expect(response.status).toBe(200);
    expect(response.json.status.conditions[0].type).toBe("Ready");
    const entry = response.json.metadata.managedFields.find(
      (m: { manager: string }) => m.manager === "controller",
    );
    expect(entry.subresource).toBe("status");
  });

  it("client-node's KubernetesObjectApi.patch with server-side apply works", async () => {
    const result = await objects.patch(
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "applied", namespace: "default" },
        data: { k: "v" },
      } as never,
      undefined,
      undefined,
      "client-node",
      true,
      PatchStrategy.ServerSideApply,
    );
    expect((result as { data?: unknown }).data).toEqual({ k: "v" });
  });

  it("kubernetes-fluent-client Apply creates then updates through server-side apply", async () => {
    process.env.KUBECONFIG = api.kubeconfigPath;
    await K8s(kind.ConfigMap).Apply({
      metadata: { name: "fluent-applied", namespace: "default" },
      data: { one: "1" },
    });
    const updated = await K8s(kind.ConfigMap).Apply(
      { metadata: { name: "fluent-applied", namespace: "default" }, data: { two: "2" } },
      { force: true },
    );
    expect(updated.data).toEqual({ two: "2" });
  });
});
