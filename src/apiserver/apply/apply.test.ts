import { describe, expect, it } from "vitest";
import { isApiError } from "../api-error.js";
import type { KubeObject } from "../types.js";
import { serverSideApply } from "./apply.js";
import { builtinTypeInfo } from "./builtin-type-info.js";
import { typeInfoFromSchema } from "./schema-type-info.js";
import { trackUpdate } from "./track-update.js";
import type { ObjectType } from "./type-model.js";

const t0 = new Date("2026-01-02T03:04:05Z");
const t1 = new Date("2026-01-02T04:00:00Z");

const configMap = builtinTypeInfo("", "ConfigMap");
const deployment = builtinTypeInfo("apps", "Deployment");
const networkPolicy = builtinTypeInfo("networking.k8s.io", "NetworkPolicy");
const widget = typeInfoFromSchema({
  type: "object",
  properties: {
    spec: {
      type: "object",
      properties: {
        size: { type: "string" },
        replicas: { type: "integer" },
        ports: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
          items: { type: "object", properties: { name: { type: "string" }, port: { type: "integer" } } },
        },
        tags: { type: "array", "x-kubernetes-list-type": "set", items: { type: "string" } },
        hosts: { type: "array", items: { type: "string" } },
        extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      },
    },
    status: {
      type: "object",
      properties: { phase: { type: "string" }, observedGeneration: { type: "integer" } },
    },
  },
});

interface Step {
  manager: string;
  body: Record<string, unknown>;
  force?: boolean;
  at?: Date;
  subresource?: string;
}

/** Applies configurations one after the other, as separate requests would. */
function applyAll(
  type: ObjectType,
  apiVersion: string,
  kind: string,
  steps: Step[],
  start?: KubeObject,
): KubeObject {
  let live = start;
  for (const step of steps) {
    live = serverSideApply({
      live,
      applied: {
        apiVersion,
        kind,
        metadata: { name: "x", namespace: "default" },
        ...step.body,
      },
      manager: step.manager,
      force: step.force ?? false,
      apiVersion,
      subresource: step.subresource,
      typeInfo: type,
      now: step.at ?? t0,
      resetFields: step.subresource === "status" ? "spec" : type === widget ? "status" : "none",
    });
  }
  if (!live) throw new Error("no steps");
  return live;
}

const cm = (...steps: Step[]): KubeObject => applyAll(configMap, "v1", "ConfigMap", steps);
const wd = (...steps: Step[]): KubeObject => applyAll(widget, "example.dev/v1", "Widget", steps);
const fieldsOf = (object: KubeObject, manager: string): unknown =>
  object.metadata.managedFields?.find((m) => m.manager === manager)?.fieldsV1;
const managers = (object: KubeObject): string[] =>
  (object.metadata.managedFields ?? []).map((m) => m.manager);

function failure(run: () => unknown): { code: number; reason: string; message: string; details: unknown } {
  try {
    run();
  } catch (error) {
    if (!isApiError(error)) throw error;
    return { code: error.code, reason: error.reason, message: error.message, details: error.details };
  }
  throw new Error("expected the apply to fail");
}

describe("server-side apply (kube fieldmanager + structured-merge-diff)", () => {
  it("creates the object; every field of the configuration is the applier's (the Server-Side Apply docs' ConfigMap)", () => {
    const created = cm({
      manager: "kubectl",
      body: {
        metadata: { name: "test-cm", namespace: "default", labels: { "test-label": "test" } },
        data: { key: "some value" },
      },
    });
    expect(created).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "test-cm",
        namespace: "default",
        labels: { "test-label": "test" },
        managedFields: [
          {
            manager: "kubectl",
            operation: "Apply",
            apiVersion: "v1",
            time: "2026-01-02T03:04:05Z",
            fieldsType: "FieldsV1",
            fieldsV1: { "f:data": { "f:key": {} }, "f:metadata": { "f:labels": { "f:test-label": {} } } },
          },
        ],
      },
      data: { key: "some value" },
    });
  });

  it("re-applying an unchanged configuration changes nothing: byte-identical object, timestamps kept", () => {
    const body = { data: { a: "1" }, metadata: { name: "x", namespace: "default", labels: { l: "v" } } };
    const live = cm({ manager: "op", body });
    const again = applyAll(configMap, "v1", "ConfigMap", [{ manager: "op", body, at: t1 }], live);
    expect(JSON.stringify(again)).toBe(JSON.stringify(live));
    expect(again).not.toBe(live);
  });

  it("removes a field the applier applied before and no longer applies", () => {
    const live = cm(
      { manager: "op", body: { data: { a: "1", b: "2" } } },
      { manager: "op", body: { data: { a: "1" } } },
    );
    expect(live.data).toEqual({ a: "1" });
    expect(fieldsOf(live, "op")).toEqual({ "f:data": { "f:a": {} } });
  });

  it("removes a declared field left holding nothing anyone owns (EnsureNamedFieldsAreMembers)", () => {
    const builtin = cm({ manager: "op", body: { data: { a: "1" } } }, { manager: "op", body: {} });
    expect(builtin).not.toHaveProperty("data");
    expect(builtin.metadata.managedFields).toBeUndefined();
    const custom = wd(
      { manager: "op", body: { spec: { extra: { a: 1 } } } },
      { manager: "op", body: { spec: { size: "s" } } },
    );
    expect(custom.spec).toEqual({ size: "s" });
  });

  it("shares a field applied with the same value by two appliers; one dropping it leaves it to the other", () => {
    const shared = cm(
      { manager: "a", body: { data: { k: "v" } } },
      { manager: "b", body: { data: { k: "v" } } },
    );
    expect(fieldsOf(shared, "a")).toEqual({ "f:data": { "f:k": {} } });
    expect(fieldsOf(shared, "b")).toEqual({ "f:data": { "f:k": {} } });
    const dropped = applyAll(configMap, "v1", "ConfigMap", [{ manager: "a", body: {} }], shared);
    expect(dropped.data).toEqual({ k: "v" });
    expect(managers(dropped)).toEqual(["b"]);
  });

  it.each([
    {
      behaviour: "another applier",
      steps: [{ manager: "a", body: { data: { k: "1" } } }],
      message: 'Apply failed with 1 conflict: conflict with "a": .data.k',
      causes: [{ reason: "FieldManagerConflict", message: 'conflict with "a"', field: ".data.k" }],
    },
    {
      behaviour: "several managers, grouped by manager, updaters with their version",
      steps: [
        { manager: "b", body: { data: { x: "1", y: "1" } } },
        { manager: "a", body: { data: { z: "1" } } },
      ],
      message:
        'Apply failed with 3 conflicts: conflicts with "a":\n- .data.z\nconflicts with "b":\n- .data.x\n- .data.y',
      causes: [
        { reason: "FieldManagerConflict", message: 'conflict with "a"', field: ".data.z" },
        { reason: "FieldManagerConflict", message: 'conflict with "b"', field: ".data.x" },
        { reason: "FieldManagerConflict", message: 'conflict with "b"', field: ".data.y" },
      ],
    },
  ])("refuses with 409 a value another manager owns: $behaviour", ({ steps, message, causes }) => {
    const live = cm(...steps);
    const error = failure(() =>
      applyAll(
        configMap,
        "v1",
        "ConfigMap",
        [{ manager: "c", body: { data: { k: "2", x: "2", y: "2", z: "2" } } }],
        live,
      ),
    );
    expect(error).toEqual({ code: 409, reason: "Conflict", message, details: { causes } });
  });

  it("names an updater with its version and subresource, as printManager does", () => {
    const created: KubeObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "x", namespace: "default", uid: "u" },
      spec: { replicas: 1, selector: { matchLabels: { app: "x" } } },
    };
    created.metadata.managedFields = trackUpdate({
      before: undefined,
      after: created,
      manager: "kubectl-client-side-apply",
      apiVersion: "apps/v1",
      typeInfo: deployment,
      now: t0,
      resetFields: "status",
    });
    const error = failure(() =>
      applyAll(
        deployment,
        "apps/v1",
        "Deployment",
        [{ manager: "ci", body: { spec: { replicas: 3 } } }],
        created,
      ),
    );
    expect(error.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
    const status = applyAll(
      widget,
      "example.dev/v1",
      "Widget",
      [{ manager: "ctl", subresource: "status", body: { status: { phase: "Up" } } }],
      wd({ manager: "op", body: { spec: { size: "s" } } }),
    );
    const fromStatus = failure(() =>
      applyAll(
        widget,
        "example.dev/v1",
        "Widget",
        [{ manager: "other", subresource: "status", body: { status: { phase: "Down" } } }],
        status,
      ),
    );
    expect(fromStatus.message).toBe(
      'Apply failed with 1 conflict: conflict with "ctl" with subresource "status": .status.phase',
    );
  });

  it("with force, takes the field: the value changes and the former owner no longer owns it", () => {
    const live = cm(
      { manager: "a", body: { data: { k: "1", other: "o" } } },
      { manager: "b", force: true, body: { data: { k: "2" } } },
    );
    expect(live.data).toEqual({ k: "2", other: "o" });
    expect(fieldsOf(live, "a")).toEqual({ "f:data": { "f:other": {} } });
    expect(fieldsOf(live, "b")).toEqual({ "f:data": { "f:k": {} } });
    const back = failure(() =>
      applyAll(
        configMap,
        "v1",
        "ConfigMap",
        [{ manager: "a", body: { data: { k: "1", other: "o" } } }],
        live,
      ),
    );
    expect(back.message).toBe('Apply failed with 1 conflict: conflict with "b": .data.k');
  });

  it("merges map lists item by item by key, keeping fields and items only the live object has", () => {
    const live = wd(
      {
        manager: "a",
        body: {
          spec: {
            ports: [
              { name: "http", port: 80 },
              { name: "grpc", port: 90 },
            ],
          },
        },
      },
      { manager: "b", body: { spec: { ports: [{ name: "metrics", port: 9090 }] } } },
      {
        manager: "a",
        body: {
          spec: {
            ports: [
              { name: "http", port: 80 },
              { name: "grpc", port: 90 },
              { name: "admin", port: 70 },
            ],
          },
        },
      },
    );
    expect(live.spec).toEqual({
      ports: [
        { name: "http", port: 80 },
        { name: "grpc", port: 90 },
        { name: "metrics", port: 9090 },
        { name: "admin", port: 70 },
      ],
    });
    expect(fieldsOf(live, "b")).toEqual({
      "f:spec": { "f:ports": { 'k:{"name":"metrics"}': { ".": {}, "f:name": {}, "f:port": {} } } },
    });
  });

  it("orders a merged list by the configuration, live-only items staying next to the items before them", () => {
    const list = (...names: string[]): { name: string }[] => names.map((name) => ({ name }));
    const live = wd({ manager: "other", body: { spec: { ports: list("a", "b", "c") } } });
    const reordered = applyAll(
      widget,
      "example.dev/v1",
      "Widget",
      [{ manager: "op", body: { spec: { ports: list("c", "a") } } }],
      live,
    );
    expect(reordered.spec).toEqual({ ports: list("b", "c", "a") });
  });

  it("unions sets (x-kubernetes-list-type: set) and removes only the applier's own elements", () => {
    const both = wd(
      { manager: "a", body: { spec: { tags: ["x", "y"] } } },
      { manager: "b", body: { spec: { tags: ["y", "z"] } } },
    );
    expect(both.spec).toEqual({ tags: ["x", "y", "z"] });
    expect(fieldsOf(both, "a")).toEqual({ "f:spec": { "f:tags": { 'v:"x"': {}, 'v:"y"': {} } } });
    const dropped = applyAll(
      widget,
      "example.dev/v1",
      "Widget",
      [{ manager: "a", body: { spec: { tags: [] } } }],
      both,
    );
    expect(dropped.spec).toEqual({ tags: ["y", "z"] });
  });

  it("replaces atomic lists whole and owns them whole; another applier's different list conflicts", () => {
    const live = wd({ manager: "a", body: { spec: { hosts: ["a", "b"] } } });
    expect(fieldsOf(live, "a")).toEqual({ "f:spec": { "f:hosts": {} } });
    const error = failure(() =>
      applyAll(
        widget,
        "example.dev/v1",
        "Widget",
        [{ manager: "b", body: { spec: { hosts: ["c"] } } }],
        live,
      ),
    );
    expect(error.message).toBe('Apply failed with 1 conflict: conflict with "a": .spec.hosts');
    const policy = applyAll(networkPolicy, "networking.k8s.io/v1", "NetworkPolicy", [
      {
        manager: "a",
        body: {
          spec: { podSelector: { matchLabels: { app: "x" } }, ingress: [{ from: [] }, { ports: [] }] },
        },
      },
      { manager: "b", force: true, body: { spec: { ingress: [{ ports: [{ port: 80 }] }] } } },
    ]);
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { app: "x" } },
      ingress: [{ ports: [{ port: 80 }] }],
    });
    expect(fieldsOf(policy, "a")).toEqual({ "f:spec": { "f:podSelector": {} } });
  });

  it("tracks preserve-unknown-fields maps entry by entry, nested entries marked with `.`", () => {
    const live = wd({ manager: "a", body: { spec: { extra: { one: { two: 2 }, list: [1] } } } });
    expect(fieldsOf(live, "a")).toEqual({
      "f:spec": { "f:extra": { "f:list": {}, "f:one": { ".": {}, "f:two": {} } } },
    });
  });

  it("ignores status on the main resource and everything but status on the status subresource", () => {
    const main = wd({ manager: "op", body: { spec: { size: "s" }, status: { phase: "ignored" } } });
    expect(main).not.toHaveProperty("status");
    expect(fieldsOf(main, "op")).toEqual({ "f:spec": { "f:size": {} } });
    const status = applyAll(
      widget,
      "example.dev/v1",
      "Widget",
      [
        {
          manager: "ctl",
          subresource: "status",
          body: { spec: { size: "ignored" }, status: { phase: "Up" } },
        },
      ],
      main,
    );
    expect(status.spec).toEqual({ size: "s" });
    expect(status.status).toEqual({ phase: "Up" });
    expect(status.metadata.managedFields?.find((m) => m.manager === "ctl")).toEqual({
      manager: "ctl",
      operation: "Apply",
      apiVersion: "example.dev/v1",
      time: "2026-01-02T03:04:05Z",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:status": { "f:phase": {} } },
      subresource: "status",
    });
  });

  it("gives an object nobody tracked to before-first-apply, which the first apply then conflicts with", () => {
    const untracked: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x", namespace: "default" },
      data: { k: "1" },
    };
    const error = failure(() =>
      applyAll(configMap, "v1", "ConfigMap", [{ manager: "op", body: { data: { k: "2" } } }], untracked),
    );
    expect(error.message).toBe(
      'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.k',
    );
  });

  it.each([
    {
      behaviour: "duplicate keys in a map list",
      body: { spec: { ports: [{ name: "a" }, { name: "a" }] } },
      message:
        'failed to create typed patch object (default/x; example.dev/v1, Kind=Widget): .spec.ports: duplicate entries for key [name="a"]',
    },
    {
      behaviour: "an item without its key",
      body: { spec: { ports: [{ port: 1 }] } },
      message:
        'failed to create typed patch object (default/x; example.dev/v1, Kind=Widget): .spec.ports: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    },
    {
      behaviour: "fields the schema does not declare",
      body: { spec: { size: "s", bogus: 1 }, nope: 2 },
      message:
        "failed to create typed patch object (default/x; example.dev/v1, Kind=Widget): errors:\n  .spec.bogus: field not declared in schema\n  .nope: field not declared in schema",
    },
  ])(
    "refuses a configuration that does not fit the schema with kube's 500: $behaviour",
    ({ body, message }) => {
      expect(failure(() => wd({ manager: "op", body }))).toEqual({
        code: 500,
        reason: "",
        message,
        details: undefined,
      });
    },
  );

  it("refuses managedFields in the configuration and a configuration at another version (400)", () => {
    const withManagedFields = failure(() =>
      cm({ manager: "op", body: { metadata: { name: "x", managedFields: [] } } }),
    );
    expect(withManagedFields).toMatchObject({
      code: 400,
      reason: "BadRequest",
      message: "metadata.managedFields must be nil",
    });
    const otherVersion = failure(() =>
      serverSideApply({
        live: undefined,
        applied: { apiVersion: "v1beta1", kind: "ConfigMap", metadata: { name: "x" } },
        manager: "op",
        force: false,
        apiVersion: "v1",
        typeInfo: configMap,
        now: t0,
      }),
    );
    expect(otherVersion.message).toBe(
      "Incorrect version specified in apply patch. Specified patch version: v1beta1, expected: v1",
    );
  });

  it("merges built-in containers by name and ports by containerPort and protocol, TCP by default", () => {
    const body = (image: string): Record<string, unknown> => ({
      spec: { template: { spec: { containers: [{ name: "app", image, ports: [{ containerPort: 80 }] }] } } },
    });
    const live = applyAll(deployment, "apps/v1", "Deployment", [{ manager: "op", body: body("app:1") }]);
    expect(fieldsOf(live, "op")).toEqual({
      "f:spec": {
        "f:template": {
          "f:spec": {
            "f:containers": {
              'k:{"name":"app"}': {
                ".": {},
                "f:image": {},
                "f:name": {},
                "f:ports": { 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} } },
              },
            },
          },
        },
      },
    });
    const updated = applyAll(
      deployment,
      "apps/v1",
      "Deployment",
      [{ manager: "op", body: body("app:2") }],
      live,
    );
    expect(
      (updated.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers,
    ).toEqual([{ name: "app", image: "app:2", ports: [{ containerPort: 80 }] }]);
  });

  it("lets kubectl take over what its client-side apply holds at the last-applied values, and syncs the annotation", () => {
    const lastApplied = (data: Record<string, string>): string =>
      `${JSON.stringify({ apiVersion: "v1", data, kind: "ConfigMap", metadata: { annotations: {}, name: "x", namespace: "default" } })}\n`;
    const annotations = {
      "kubectl.kubernetes.io/last-applied-configuration": lastApplied({ a: "1", b: "1" }),
    };
    const created: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x", namespace: "default", uid: "u", annotations },
      data: { a: "1", b: "1" },
    };
    created.metadata.managedFields = trackUpdate({
      before: undefined,
      after: created,
      manager: "kubectl-client-side-apply",
      apiVersion: "v1",
      typeInfo: configMap,
      now: t0,
    });
    const edited: KubeObject = { ...created, data: { a: "1", b: "2" } };
    edited.metadata = {
      ...created.metadata,
      managedFields: trackUpdate({
        before: created,
        after: edited,
        manager: "editor",
        apiVersion: "v1",
        typeInfo: configMap,
        now: t0,
      }),
    };

    const changedSince = failure(() =>
      applyAll(
        configMap,
        "v1",
        "ConfigMap",
        [{ manager: "kubectl", body: { data: { a: "9", b: "9" } } }],
        edited,
      ),
    );
    expect(changedSince.message).toBe(
      'Apply failed with 1 conflict: conflict with "editor" using v1: .data.b',
    );
    const notKubectl = failure(() =>
      applyAll(configMap, "v1", "ConfigMap", [{ manager: "helm", body: { data: { a: "9" } } }], edited),
    );
    expect(notKubectl.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.a',
    );

    const upgraded = applyAll(
      configMap,
      "v1",
      "ConfigMap",
      [{ manager: "kubectl", body: { data: { a: "9" } } }],
      edited,
    );
    expect(upgraded.data).toEqual({ a: "9", b: "2" });
    expect(fieldsOf(upgraded, "kubectl")).toEqual({ "f:data": { "f:a": {} } });
    expect(upgraded.metadata.annotations).toEqual({
      "kubectl.kubernetes.io/last-applied-configuration":
        '{"apiVersion":"v1","data":{"a":"9"},"kind":"ConfigMap","metadata":{"name":"x","namespace":"default"}}\n',
    });
  });

  it("answers an unchanged re-apply to the stored object cheaply and byte-identically", () => {
    const containers = Array.from({ length: 20 }, (_, i) => ({
      name: `c${i}`,
      image: `image:${i}`,
      env: Array.from({ length: 20 }, (_, j) => ({ name: `E${j}`, value: `${j}` })),
      ports: [{ containerPort: 8000 + i }],
    }));
    const applied = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "x", namespace: "default", labels: { app: "x" } },
      spec: { replicas: 2, template: { spec: { containers } } },
    } as KubeObject;
    const input = {
      applied,
      manager: "op",
      force: false,
      apiVersion: "apps/v1",
      typeInfo: deployment,
      now: t0,
    };
    const stored = serverSideApply({ ...input, live: undefined });
    let again = stored;
    const start = performance.now();
    for (let i = 0; i < 500; i++) again = serverSideApply({ ...input, live: stored, now: t1 });
    const perApply = (performance.now() - start) / 500;
    expect(JSON.stringify(again)).toBe(JSON.stringify(stored));
    // A fraction of a millisecond for this 1,300-field object; the bound only catches losing the fast path.
    expect(perApply).toBeLessThan(5);
  });

  it("computes, rather than remembers, anything that differs from an apply that changed nothing", () => {
    const input = {
      applied: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "x" },
        data: { k: "1" },
      } as KubeObject,
      manager: "a",
      force: false,
      apiVersion: "v1",
      typeInfo: configMap,
      now: t0,
    };
    const stored = serverSideApply({ ...input, live: undefined });
    serverSideApply({ ...input, live: stored });
    const other = failure(() =>
      serverSideApply({
        ...input,
        live: stored,
        manager: "b",
        applied: { ...input.applied, data: { k: "2" } },
      }),
    );
    expect(other.code).toBe(409);
    const changed = serverSideApply({
      ...input,
      live: stored,
      applied: { ...input.applied, data: { k: "3" } },
    });
    expect(changed.data).toEqual({ k: "3" });
    const strict = typeInfoFromSchema({ type: "object", properties: { spec: { type: "object" } } });
    expect(failure(() => serverSideApply({ ...input, live: stored, typeInfo: strict })).code).toBe(500);
  });
});
