import { describe, expect, it } from "vitest";
import type { KubeObject } from "../types.js";
import { processCustomResource } from "./process-custom-resource.js";
import { compileSchema } from "./structural-schema.js";

const schema = compileSchema({
  type: "object",
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { type: "object" },
    spec: {
      type: "object",
      required: ["size"],
      properties: {
        size: { type: "string", enum: ["small", "large"] },
        replicas: { type: "integer", minimum: 0, default: 1 },
        maxReplicas: { type: "integer", default: 10 },
        name: { type: "string" },
        template: {
          type: "object",
          "x-kubernetes-embedded-resource": true,
          "x-kubernetes-preserve-unknown-fields": true,
        },
        ports: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
          items: { type: "object", properties: { name: { type: "string" }, port: { type: "integer" } } },
        },
      },
      "x-kubernetes-validations": [
        { rule: "self.replicas <= self.maxReplicas", message: "replicas must not exceed maxReplicas" },
        { rule: "!has(oldSelf.name) || self.name == oldSelf.name", message: "name is immutable" },
      ],
    },
    status: { type: "object", properties: { phase: { type: "string", enum: ["Ready"] } } },
  },
});

const widget = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "x.example.com/v1",
  kind: "Widget",
  metadata: { name: "w" },
  spec,
  ...extra,
});

const messages = (result: { errors: { field: string; message: string }[] }) =>
  result.errors.map((e) => `${e.field}: ${e.message}`);

describe("what kube-apiserver does to a custom resource on write", () => {
  it("prunes, drops non-nullable nulls, coerces metadata, then defaults (kube's decode order), in place", () => {
    const object = widget({ size: "small", bogus: 1, name: null }, { extra: true });
    object.metadata.unknownMeta = "x";
    const result = processCustomResource(schema, object);
    expect(result.object).toBe(object);
    expect(result.unknownFields).toEqual(["extra", "spec.bogus", "metadata.unknownMeta"]);
    expect(object).toEqual(widget({ size: "small", replicas: 1, maxReplicas: 10 }));
    expect(result.errors).toEqual([]);
  });

  it("does not collect unknown fields for fieldValidation=Ignore (still prunes)", () => {
    const object = widget({ size: "small", bogus: 1 });
    expect(processCustomResource(schema, object, { fieldValidation: "Ignore" }).unknownFields).toEqual([]);
    expect(object.spec).not.toHaveProperty("bogus");
  });

  it("validates after defaulting: a rule sees defaulted values", () => {
    expect(messages(processCustomResource(schema, widget({ size: "small", replicas: 11 })))).toEqual([
      'spec: Invalid value: "object": replicas must not exceed maxReplicas',
    ]);
  });

  it("runs OpenAPI, embedded-resource, list-type and then CEL validation, in kube's order", () => {
    const result = processCustomResource(
      schema,
      widget({
        size: "small",
        replicas: -1,
        maxReplicas: -2,
        template: { apiVersion: "v1", kind: "Not_A_Kind" },
        ports: [{ name: "a" }, { name: "a" }],
      }),
    );
    expect(messages(result)).toEqual([
      "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0",
      expect.stringMatching(/^spec\.template\.kind: Invalid value: "Not_A_Kind": may have mixed case/),
      'spec.ports[1]: Duplicate value: map[string]interface {}{"name":"a"}',
      'spec: Invalid value: "object": replicas must not exceed maxReplicas',
    ]);
  });

  it.each([
    [
      "a wrong type",
      { size: "small", replicas: "x" },
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ],
    ["a missing required field", { replicas: 50 }, "spec.size: Required value"],
    [
      "a value outside the enum",
      { size: "huge", replicas: 50 },
      'spec.size: Unsupported value: "huge": supported values: "small", "large"',
    ],
  ])("does not run CEL rules after a blocking error (%s), and says so", (_, spec, first) => {
    expect(messages(processCustomResource(schema, widget(spec)))).toEqual([
      first,
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });

  it("counts the caller's ObjectMeta errors as blocking too", () => {
    const result = processCustomResource(schema, widget({ size: "small", replicas: 50 }), {
      precedingErrors: [
        { reason: "FieldValueRequired", field: "metadata.namespace", message: "Required value" },
      ],
    });
    expect(messages(result)).toEqual([
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });

  it("on update: transition rules compare with the old object, unchanged invalid values are ratcheted", () => {
    const old = widget({ size: "small", name: "a", replicas: 1, maxReplicas: 10 });
    expect(
      messages(processCustomResource(schema, widget({ size: "small", name: "b" }), { oldObject: old })),
    ).toEqual(['spec: Invalid value: "object": name is immutable']);
    const stored = widget({ size: "small", replicas: -5, maxReplicas: 10 });
    const unchanged = processCustomResource(schema, widget({ size: "small", replicas: -5 }), {
      oldObject: stored,
    });
    expect(unchanged.errors).toEqual([]);
  });

  it("accepts the old object as the third argument, as callers did before options", () => {
    const old = widget({ size: "small", name: "a", replicas: 1, maxReplicas: 10 });
    expect(messages(processCustomResource(schema, widget({ size: "small", name: "b" }), old))).toEqual([
      'spec: Invalid value: "object": name is immutable',
    ]);
  });

  it("for the status subresource validates only status against the schema", () => {
    const old = widget({ size: "small", replicas: 1, maxReplicas: 10 });
    const result = processCustomResource(
      schema,
      widget({ size: "small", replicas: 1, maxReplicas: 10 }, { status: { phase: "x" } }),
      {
        oldObject: old,
        subresource: "status",
      },
    );
    expect(messages(result)).toEqual([
      'status.phase: Unsupported value: "x": supported values: "Ready"',
      expect.stringContaining("some validation rules were not checked"),
    ]);
  });

  it("fails decoding (400) on malformed metadata, before validating anything", () => {
    const object = widget({
      size: "small",
      template: { apiVersion: "v1", kind: "Pod", metadata: { labels: "x" } },
    });
    const result = processCustomResource(schema, object);
    expect(result.errors).toEqual([]);
    expect(result.decodeError).toBe(
      'spec.template.metadata: Invalid value: map[string]interface {}{"labels":"x"}: json: cannot unmarshal string into Go struct field ObjectMeta.labels of type map[string]string',
    );
  });
});
