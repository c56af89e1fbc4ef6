import { describe, expect, it } from "vitest";
import type { KubeObject } from "../types.js";
import { fromFieldsV1, toFieldsV1 } from "./field-path.js";
import { fieldSetOf } from "./field-set.js";
import { serverSideApply } from "./server-side-apply.js";
import { trackUpdate } from "./track-update.js";
import { builtinType } from "./type-node.js";

const type = builtinType();
const time = "2026-01-01T00:00:00Z";
const apply = (live: KubeObject | undefined, applied: KubeObject, manager: string, force = false) =>
  serverSideApply({ live, applied, manager, force, subresource: undefined, type, time, reset: "none" });

const configMap = (data: Record<string, string>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "test-cm", namespace: "default", ...(labels ? { labels } : {}) },
  data,
});

describe("server-side apply (structured-merge-diff semantics)", () => {
  it("records fieldsV1 as the Server-Side Apply documentation's ConfigMap example shows", () => {
    const result = apply(undefined, configMap({ key: "some value" }, { "test-label": "test" }), "kubectl");
    expect(result.metadata.managedFields).toEqual([
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "v1",
        time,
        fieldsType: "FieldsV1",
        fieldsV1: { "f:data": { "f:key": {} }, "f:metadata": { "f:labels": { "f:test-label": {} } } },
      },
    ]);
  });

  it("tracks keyed list elements with `.` and their fields, as kube writes containers", () => {
    const deployment: KubeObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "d" },
      spec: { template: { spec: { containers: [{ name: "nginx", image: "nginx:1.14.2" }] } } },
    };
    const fields = apply(undefined, deployment, "m").metadata.managedFields?.[0]?.fieldsV1;
    expect(fields).toEqual({
      "f:spec": {
        "f:template": {
          "f:spec": { "f:containers": { 'k:{"name":"nginx"}': { ".": {}, "f:image": {}, "f:name": {} } } },
        },
      },
    });
    expect(toFieldsV1(fromFieldsV1(fields))).toEqual(fields);
  });

  it("re-applying the same configuration returns the live object itself (no write)", () => {
    const live = apply(undefined, configMap({ a: "1" }), "m");
    expect(apply(live, configMap({ a: "1" }), "m")).toBe(live);
  });

  it("reports every conflict, grouped by manager, in kube's message format", () => {
    const live = apply(undefined, configMap({ a: "1", b: "2" }), "first");
    let error: unknown;
    try {
      apply(live, configMap({ a: "x", b: "y" }), "second");
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 409,
      reason: "Conflict",
      message: 'Apply failed with 2 conflicts: conflicts with "first":\n- .data.a\n- .data.b',
    });
  });

  it("names an Update manager with its apiVersion in a conflict", () => {
    const created = configMap({ a: "1" });
    created.metadata.managedFields = trackUpdate({
      before: undefined,
      after: created,
      manager: "kubectl-edit",
      subresource: undefined,
      type,
      time,
      reset: "none",
    });
    expect(() => apply(created, configMap({ a: "2" }), "applier")).toThrow(
      'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.a',
    );
  });

  it("shares ownership when values agree, so the field survives one manager dropping it", () => {
    const one = apply(undefined, configMap({ a: "1" }), "one");
    const both = apply(one, configMap({ a: "1" }), "two");
    const dropped = apply(both, configMap({}), "one");
    expect(dropped.data).toEqual({ a: "1" });
  });

  it("a set list (finalizers) merges by value", () => {
    const withA: KubeObject = { ...configMap({}), metadata: { name: "c", finalizers: ["a.example.com/x"] } };
    const withB: KubeObject = { ...configMap({}), metadata: { name: "c", finalizers: ["b.example.com/y"] } };
    const merged = apply(apply(undefined, withA, "one"), withB, "two");
    expect(merged.metadata.finalizers).toEqual(["a.example.com/x", "b.example.com/y"]);
  });

  it("field sets leave out server-owned fields", () => {
    const paths = fieldSetOf(
      {
        apiVersion: "v1",
        kind: "X",
        metadata: { name: "n", uid: "u", labels: { a: "b" } },
        status: { s: 1 },
      },
      type,
      "status",
    );
    expect([...paths]).toEqual(["f:metadata\u0000f:labels\u0000f:a"]);
  });
});

describe("managedFields after updates", () => {
  it("moves changed fields to the updater and drops removed ones", () => {
    const applied = apply(undefined, configMap({ a: "1", b: "2" }), "applier");
    const after = { ...configMap({ a: "changed" }), metadata: { ...applied.metadata } };
    const managed = trackUpdate({
      before: applied,
      after,
      manager: "editor",
      subresource: undefined,
      type,
      time: "2026-01-02T00:00:00Z",
      reset: "none",
    });
    expect(managed?.map((m) => [m.manager, m.operation, Object.keys(m.fieldsV1["f:data"] ?? {})])).toEqual([
      ["editor", "Update", ["f:a"]],
    ]);
  });

  it("a write that changes nothing keeps managedFields as they were", () => {
    const applied = apply(undefined, configMap({ a: "1" }), "applier");
    expect(
      trackUpdate({
        before: applied,
        after: applied,
        manager: "x",
        subresource: undefined,
        type,
        time: "2030-01-01T00:00:00Z",
        reset: "none",
      }),
    ).toBe(applied.metadata.managedFields);
  });
});
