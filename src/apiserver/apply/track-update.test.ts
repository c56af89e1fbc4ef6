import { describe, expect, it } from "vitest";
import type { KubeObject, ManagedFieldsEntry } from "../types.js";
import { serverSideApply } from "./apply.js";
import { builtinTypeInfo } from "./builtin-type-info.js";
import { typeInfoFromSchema } from "./schema-type-info.js";
import type { TrackUpdateInput } from "./track-update.js";
import { trackUpdate } from "./track-update.js";

const t0 = new Date("2026-01-02T03:04:05Z");
const t1 = new Date("2026-01-02T04:00:00Z");
const configMap = builtinTypeInfo("", "ConfigMap");

/** A write as the storage layer makes it: the result carries the managedFields trackUpdate computes. */
function write(
  before: KubeObject | undefined,
  after: KubeObject,
  manager: string,
  options: Partial<TrackUpdateInput> = {},
): KubeObject {
  const managedFields = trackUpdate({
    before,
    after,
    manager,
    apiVersion: after.apiVersion,
    typeInfo: configMap,
    now: t0,
    ...options,
  });
  const result = { ...after, metadata: { ...after.metadata } };
  if (managedFields) result.metadata.managedFields = managedFields;
  else delete result.metadata.managedFields;
  return result;
}

const cm = (data: Record<string, string>, extra: Partial<KubeObject["metadata"]> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "x", namespace: "default", uid: "u1", ...extra },
  data,
});

/** The object a client sends back after reading `stored` and changing `data`, as a PUT or merge patch makes it. */
const edited = (stored: KubeObject, data: Record<string, string>): KubeObject => ({
  ...structuredClone(stored),
  data,
});

const owners = (object: KubeObject): [string, string, unknown][] =>
  (object.metadata.managedFields ?? []).map((m) => [m.manager, m.operation, m.fieldsV1]);

describe("managedFields of writes that are not applies (fieldmanager Update)", () => {
  it("gives every field of a created object to its creator, `.` on containers the create added", () => {
    const created = write(undefined, cm({ a: "1" }, { labels: { app: "x" } }), "kubectl-create");
    expect(created.metadata.managedFields).toEqual([
      {
        manager: "kubectl-create",
        operation: "Update",
        apiVersion: "v1",
        time: "2026-01-02T03:04:05Z",
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:data": { ".": {}, "f:a": {} },
          "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
        },
      },
    ]);
  });

  it("writes what kube writes for `kubectl create deployment nginx --image=nginx` (a real cluster's managedFields)", () => {
    const deployment: KubeObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "nginx", namespace: "default", uid: "u", generation: 1, labels: { app: "nginx" } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "nginx" } },
        template: {
          metadata: { labels: { app: "nginx" } },
          spec: {
            containers: [
              {
                name: "nginx",
                image: "nginx",
                resources: {},
                terminationMessagePath: "/dev/termination-log",
                terminationMessagePolicy: "File",
                imagePullPolicy: "Always",
              },
            ],
            restartPolicy: "Always",
            terminationGracePeriodSeconds: 30,
            dnsPolicy: "ClusterFirst",
            securityContext: {},
            schedulerName: "default-scheduler",
          },
        },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
    };
    const [entry] =
      trackUpdate({
        before: undefined,
        after: deployment,
        manager: "kubectl-create",
        apiVersion: "apps/v1",
        typeInfo: builtinTypeInfo("apps", "Deployment"),
        now: t0,
        resetFields: "status",
      }) ?? [];
    expect(JSON.stringify(entry?.fieldsV1)).toBe(
      String.raw`{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},"f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}}}`,
    );
  });

  it("marks a custom resource's spec with `.` on create: kube starts it from an empty object", () => {
    const widget = typeInfoFromSchema({
      type: "object",
      properties: { spec: { type: "object", properties: { size: { type: "string" } } } },
    });
    const created = trackUpdate({
      before: undefined,
      after: { apiVersion: "example.dev/v1", kind: "Widget", metadata: { name: "w" }, spec: { size: "s" } },
      manager: "kubectl-create",
      apiVersion: "example.dev/v1",
      typeInfo: widget,
      now: t0,
    });
    expect(created?.[0]?.fieldsV1).toEqual({ "f:spec": { ".": {}, "f:size": {} } });
  });

  it.each([
    ["PUT", (stored: KubeObject) => edited(stored, { a: "changed", b: "2", c: "3" })],
    [
      "merge patch",
      (stored: KubeObject) => ({
        ...structuredClone(stored),
        data: { ...(stored.data as Record<string, string>), a: "changed", c: "3" },
      }),
    ],
  ])("after a %s: changed and added fields are the updater's and no one else's", (_how, change) => {
    const applied = serverSideApply({
      live: undefined,
      applied: cm({ a: "1", b: "2" }, { uid: undefined }),
      manager: "op",
      force: false,
      apiVersion: "v1",
      typeInfo: configMap,
      now: t0,
    });
    const updated = write(applied, change(applied), "kubectl-edit", { now: t1 });
    expect(owners(updated)).toEqual([
      ["op", "Apply", { "f:data": { "f:b": {} } }],
      ["kubectl-edit", "Update", { "f:data": { "f:a": {}, "f:c": {} } }],
    ]);
    expect(updated.metadata.managedFields?.[1]?.time).toBe("2026-01-02T04:00:00Z");
  });

  it("removes a removed field from every manager, and drops managers left with nothing", () => {
    const first = write(undefined, cm({ a: "1" }), "one");
    const second = write(first, edited(first, { a: "1", b: "2" }), "two");
    const removed = write(second, edited(second, { a: "1" }), "three");
    expect(owners(removed)).toEqual([["one", "Update", { "f:data": { ".": {}, "f:a": {} } }]]);
  });

  it("keeps managedFields, timestamps and all, for a write that changes nothing", () => {
    const stored = write(undefined, cm({ a: "1" }), "one");
    const same = trackUpdate({
      before: stored,
      after: structuredClone(stored),
      manager: "other",
      apiVersion: "v1",
      typeInfo: configMap,
      now: t1,
    });
    expect(same).toBe(stored.metadata.managedFields);
  });

  it("keeps one Update entry per manager and version", () => {
    const v1 = write(undefined, cm({ a: "1" }), "ctl");
    const again = write(v1, edited(v1, { a: "2" }), "ctl", { now: t1 });
    expect(owners(again)).toEqual([["ctl", "Update", { "f:data": { ".": {}, "f:a": {} } }]]);
    const otherVersion = write(again, { ...edited(again, { a: "3" }), apiVersion: "v1beta1" }, "ctl");
    expect(otherVersion.metadata.managedFields?.map((m) => [m.manager, m.apiVersion])).toEqual([
      ["ctl", "v1beta1"],
      ["ctl", "v1"],
    ]);
  });

  it("stops tracking when the client sends `managedFields: []`, and does not start again on update", () => {
    const stored = write(undefined, cm({ a: "1" }), "one");
    const reset = write(
      stored,
      { ...edited(stored, { a: "2" }), metadata: { ...stored.metadata, managedFields: [] } },
      "two",
    );
    expect(reset.metadata.managedFields).toBeUndefined();
    const later = write(reset, edited(reset, { a: "3" }), "three");
    expect(later.metadata.managedFields).toBeUndefined();
  });

  it("takes valid managedFields the client sends as the starting point; ignores invalid ones", () => {
    const stored = write(undefined, cm({ a: "1" }), "one");
    const sent: ManagedFieldsEntry[] = [
      {
        manager: "claimed",
        operation: "Update",
        apiVersion: "v1",
        time: "2020-01-01T00:00:00Z",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:data": { "f:a": {} } },
      },
    ];
    const replaced = write(
      stored,
      { ...stored, metadata: { ...stored.metadata, managedFields: sent } },
      "two",
    );
    expect(owners(replaced)).toEqual([["claimed", "Update", { "f:data": { "f:a": {} } }]]);
    const invalid = [{ ...sent[0], fieldsType: "FieldsV2" }] as unknown as ManagedFieldsEntry[];
    const kept = write(
      stored,
      { ...stored, metadata: { ...stored.metadata, managedFields: invalid } },
      "two",
    );
    expect(kept.metadata.managedFields).toBe(stored.metadata.managedFields);
  });

  it("on the status subresource, records entries with `subresource: status` and ignores managedFields sent", () => {
    const widget = typeInfoFromSchema({
      type: "object",
      properties: {
        spec: { type: "object", properties: { size: { type: "string" } } },
        status: { type: "object", properties: { phase: { type: "string" } } },
      },
    });
    const stored: KubeObject = {
      apiVersion: "example.dev/v1",
      kind: "Widget",
      metadata: { name: "w", uid: "u" },
      spec: { size: "s" },
    };
    stored.metadata.managedFields = trackUpdate({
      before: undefined,
      after: stored,
      manager: "creator",
      apiVersion: "example.dev/v1",
      typeInfo: widget,
      now: t0,
      resetFields: "status",
    });
    const status = trackUpdate({
      before: stored,
      after: { ...stored, status: { phase: "Up" }, metadata: { ...stored.metadata, managedFields: [] } },
      manager: "controller",
      apiVersion: "example.dev/v1",
      subresource: "status",
      typeInfo: widget,
      now: t1,
      resetFields: "spec",
    });
    expect(status?.map((m) => [m.manager, m.subresource, m.fieldsV1])).toEqual([
      ["creator", undefined, { "f:spec": { ".": {}, "f:size": {} } }],
      ["controller", "status", { "f:status": { ".": {}, "f:phase": {} } }],
    ]);
  });

  it("merges the oldest of more than ten updaters into ancient-changes", () => {
    let object = write(undefined, cm({ k0: "v" }), "m0");
    for (let i = 1; i <= 10; i++) {
      const data = { ...(object.data as Record<string, string>), [`k${i}`]: "v" };
      object = write(object, edited(object, data), `m${i}`, { now: new Date(t0.getTime() + i * 1000) });
    }
    const names = object.metadata.managedFields?.map((m) => m.manager);
    expect(names).toHaveLength(10);
    expect(names?.[0]).toBe("ancient-changes");
    expect(object.metadata.managedFields?.[0]?.fieldsV1).toEqual({
      "f:data": { ".": {}, "f:k0": {}, "f:k1": {} },
    });
    expect(object.metadata.managedFields?.[0]?.time).toBe("2026-01-02T03:04:06Z");
  });
});
