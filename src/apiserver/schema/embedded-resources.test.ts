import { describe, expect, it } from "vitest";
import { coerceEmbeddedObjectMeta, coerceRootObjectMeta } from "./coerce-object-meta.js";
import { compileSchema } from "./structural-schema.js";
import { validateEmbeddedResources } from "./validate-embedded-resources.js";

const schema = compileSchema({
  type: "object",
  properties: {
    spec: {
      type: "object",
      properties: {
        template: {
          type: "object",
          "x-kubernetes-embedded-resource": true,
          "x-kubernetes-preserve-unknown-fields": true,
        },
        resources: {
          type: "array",
          items: {
            type: "object",
            "x-kubernetes-embedded-resource": true,
            "x-kubernetes-preserve-unknown-fields": true,
          },
        },
      },
    },
  },
});

describe("metadata of embedded resources, coerced as ObjectMeta (objectmeta.Coerce)", () => {
  it("drops unknown metadata fields (reported for fieldValidation) and null or empty ones", () => {
    const object = {
      spec: {
        template: {
          apiVersion: "v1",
          kind: "Pod",
          metadata: {
            name: "p",
            bogus: 1,
            labels: {},
            namespace: "",
            annotations: null,
            ownerReferences: [{ name: "o", extra: true }],
          },
        },
      },
    };
    const result = coerceEmbeddedObjectMeta(schema, object, true);
    expect(result).toEqual({
      unknownFields: ["spec.template.metadata.bogus", "spec.template.metadata.ownerReferences[0].extra"],
      error: undefined,
    });
    expect(object.spec.template.metadata).toEqual({ name: "p", ownerReferences: [{ name: "o" }] });
  });

  it.each([
    [{ apiVersion: 1, kind: "Pod" }, "spec.template.apiVersion: Invalid value: 1: must be a string"],
    [
      { apiVersion: "v1", kind: "Pod", metadata: { labels: { a: 1 } } },
      'spec.template.metadata: Invalid value: map[string]interface {}{"labels":map[string]interface {}{"a":1}}: json: cannot unmarshal number into Go struct field ObjectMeta.labels of type string',
    ],
    [
      { apiVersion: "v1", kind: "Pod", metadata: "x" },
      'spec.template.metadata: Invalid value: "x": json: cannot unmarshal string into Go value of type v1.ObjectMeta',
    ],
  ])("a malformed embedded resource %j fails the request (400) with %s", (template, error) => {
    expect(coerceEmbeddedObjectMeta(schema, { spec: { template } }, true).error).toBe(error);
  });

  it("drops unknown fields of the root's metadata, which the server owns otherwise", () => {
    const object = { metadata: { name: "a", labels: { x: "y" }, unknownThing: 1 } };
    expect(coerceRootObjectMeta(object, true)).toEqual({
      unknownFields: ["metadata.unknownThing"],
      error: undefined,
    });
    expect(object.metadata).toEqual({ name: "a", labels: { x: "y" } });
  });
});

describe("embedded resources validated as objects (objectmeta.Validate)", () => {
  const messages = (spec: unknown) =>
    validateEmbeddedResources(schema, { spec }).map((e) => `${e.field}: ${e.message}`);

  it.each([
    [{ template: {} }, ["spec.template.apiVersion: Required value", "spec.template.kind: Required value"]],
    [
      { template: { apiVersion: "a/b/c", kind: "Pod" } },
      ['spec.template.apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c'],
    ],
    [
      { template: { apiVersion: "v1", kind: "Not_A_Kind" } },
      [
        "spec.template.kind: Invalid value: \"Not_A_Kind\": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    [
      { resources: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a/b" } }] },
      ["spec.resources[0].metadata.name: Invalid value: \"a/b\": may not contain '/'"],
    ],
    [{ template: { apiVersion: "v1", kind: "Pod", metadata: { labels: { app: "web" } } } }, []],
  ])("%j", (spec, expected) => {
    expect(messages(spec)).toEqual(expected);
  });
});
