import { describe, expect, it } from "vitest";
import type { JsonSchemaProps } from "./structural-schema.js";
import { compileErrors, compileSchema } from "./structural-schema.js";
import { validateCel } from "./validate-cel.js";

const schema: JsonSchemaProps = {
  type: "object",
  "x-kubernetes-validations": [
    { rule: "self.metadata.name.startsWith('ok')", message: "names start with ok" },
  ],
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { type: "object" },
    spec: {
      type: "object",
      properties: {
        replicas: { type: "integer" },
        maxReplicas: { type: "integer" },
        size: {
          type: "string",
          "x-kubernetes-validations": [{ rule: "self == oldSelf", message: "size is immutable" }],
        },
        mode: {
          type: "string",
          "x-kubernetes-validations": [
            {
              rule: "!oldSelf.hasValue() || oldSelf.value() != 'locked'",
              message: "unlock first",
              optionalOldSelf: true,
            },
          ],
        },
        labels: {
          type: "object",
          additionalProperties: {
            type: "string",
            "x-kubernetes-validations": [{ rule: "self != ''", message: "no empty labels" }],
          },
        },
        frozen: {
          type: "object",
          "x-kubernetes-map-type": "atomic",
          properties: { v: { type: "string", "x-kubernetes-validations": [{ rule: "size(self) < 5" }] } },
        },
        ports: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
          items: {
            type: "object",
            properties: {
              name: { type: "string" },
              port: {
                type: "integer",
                "x-kubernetes-validations": [{ rule: "self >= oldSelf", message: "ports only grow" }],
              },
            },
          },
        },
        tags: {
          type: "array",
          items: {
            type: "string",
            "x-kubernetes-validations": [
              {
                rule: "self.lowerAscii() == self",
                messageExpression: "'tag ' + self + ' is not lower case'",
              },
            ],
          },
        },
      },
      "x-kubernetes-validations": [
        {
          rule: "!has(self.maxReplicas) || self.replicas <= self.maxReplicas",
          messageExpression: "'replicas ' + string(self.replicas) + ' exceed ' + string(self.maxReplicas)",
          fieldPath: ".replicas",
        },
        {
          rule: "!has(self.replicas) || self.replicas != 13",
          message: "unlucky",
          reason: "FieldValueForbidden",
        },
        {
          rule: "!has(self.replicas) || self.replicas != 14",
          message: "needed",
          reason: "FieldValueRequired",
        },
        { rule: "!has(self.replicas) || self.replicas != 15", reason: "FieldValueDuplicate" },
        { rule: "!has(self.replicas) || self.replicas != 16", messageExpression: "self.labels['missing']" },
        { rule: "!has(self.replicas) || self.replicas != 17" },
      ],
      allOf: [
        {
          "x-kubernetes-validations": [
            { rule: "!has(self.replicas) || self.replicas != 99", message: "not 99" },
          ],
        },
      ],
    },
  },
};

const object = (spec: Record<string, unknown>, name = "ok-1") => ({
  apiVersion: "x/v1",
  kind: "X",
  metadata: { name, labels: { a: "b" } },
  spec,
});

const run = (spec: Record<string, unknown>, oldSpec?: Record<string, unknown>, name?: string) => {
  const compiled = compileSchema(schema);
  expect(compileErrors(compiled)).toEqual([]);
  const result = validateCel(compiled, object(spec, name), oldSpec ? { value: object(oldSpec) } : undefined);
  return {
    errors: result.errors.map((e) => `${e.field}: ${e.message} [${e.reason}]`),
    warnings: result.warnings,
  };
};

describe("x-kubernetes-validations evaluated over the object (apiextensions-apiserver CEL validator)", () => {
  it("passes a valid object", () => {
    expect(run({ replicas: 1, maxReplicas: 2, size: "s", labels: { a: "x" }, tags: ["a"] })).toEqual({
      errors: [],
      warnings: [],
    });
  });

  it.each([
    [
      "a root rule sees metadata.name, and fails at <nil>",
      {},
      "bad",
      ['<nil>: Invalid value: "object": names start with ok [FieldValueInvalid]'],
    ],
    [
      "messageExpression gives the message; fieldPath the field",
      { replicas: 3, maxReplicas: 2 },
      undefined,
      ['spec.replicas: Invalid value: "object": replicas 3 exceed 2 [FieldValueInvalid]'],
    ],
    [
      "reason FieldValueForbidden",
      { replicas: 13 },
      undefined,
      ["spec: Forbidden: unlucky [FieldValueForbidden]"],
    ],
    [
      "reason FieldValueRequired",
      { replicas: 14 },
      undefined,
      ["spec: Required value: needed [FieldValueRequired]"],
    ],
    [
      "reason FieldValueDuplicate prints the type, not the message",
      { replicas: 15 },
      undefined,
      ['spec: Duplicate value: "object" [FieldValueDuplicate]'],
    ],
    [
      "a failing messageExpression falls back to `failed rule`",
      { replicas: 16 },
      undefined,
      [
        'spec: Invalid value: "object": failed rule: !has(self.replicas) || self.replicas != 16 [FieldValueInvalid]',
      ],
    ],
    [
      "no message: `failed rule: <rule>`",
      { replicas: 17 },
      undefined,
      [
        'spec: Invalid value: "object": failed rule: !has(self.replicas) || self.replicas != 17 [FieldValueInvalid]',
      ],
    ],
    [
      "rules in allOf run too",
      { replicas: 99 },
      undefined,
      ['spec: Invalid value: "object": not 99 [FieldValueInvalid]'],
    ],
    [
      "map values are named with brackets",
      { labels: { app: "" } },
      undefined,
      ['spec.labels[app]: Invalid value: "string": no empty labels [FieldValueInvalid]'],
    ],
    [
      "list items by index, messageExpression with self",
      { tags: ["ok", "Bad"] },
      undefined,
      ['spec.tags[1]: Invalid value: "string": tag Bad is not lower case [FieldValueInvalid]'],
    ],
  ])("%s", (_, spec, name, errors) => {
    expect(run(spec, undefined, name).errors).toEqual(errors);
  });

  it("transition rules (oldSelf) are skipped on create and checked on update", () => {
    expect(run({ size: "small" }).errors).toEqual([]);
    expect(run({ size: "large" }, { size: "small" }).errors).toEqual([
      'spec.size: Invalid value: "string": size is immutable [FieldValueInvalid]',
    ]);
    expect(run({ size: "small" }, { size: "small" }).errors).toEqual([]);
    expect(run({ size: "large" }, {}).errors).toEqual([]);
  });

  it("optionalOldSelf rules run on create too, with oldSelf as an optional", () => {
    expect(run({ mode: "locked" }).errors).toEqual([]);
    expect(run({ mode: "open" }, { mode: "locked" }).errors).toEqual([
      'spec.mode: Invalid value: "string": unlock first [FieldValueInvalid]',
    ]);
  });

  it("items of list-type map lists correlate with old items by key, not by index", () => {
    const old = {
      ports: [
        { name: "a", port: 80 },
        { name: "b", port: 90 },
      ],
    };
    expect(
      run(
        {
          ports: [
            { name: "b", port: 90 },
            { name: "a", port: 81 },
          ],
        },
        old,
      ).errors,
    ).toEqual([]);
    expect(
      run(
        {
          ports: [
            { name: "b", port: 85 },
            { name: "c", port: 1 },
          ],
        },
        old,
      ).errors,
    ).toEqual(['spec.ports[0].port: Invalid value: "integer": ports only grow [FieldValueInvalid]']);
  });

  it("ratchets on update: a failure of an unchanged value is a warning, not an error", () => {
    const result = run({ tags: ["Bad"], labels: { app: "" } }, { tags: ["Bad"], labels: { app: "" } });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      'spec.tags[0]: Invalid value: "string": tag Bad is not lower case',
      'spec.labels[app]: Invalid value: "string": no empty labels',
    ]);
    expect(run({ tags: ["Bad", "Worse"] }, { tags: ["Bad"] }).errors).toHaveLength(2);
  });

  it("does not correlate below an atomic map, and refuses oldSelf there when the CRD is written", () => {
    expect(run({ frozen: { v: "toolong" } }).errors).toEqual([
      'spec.frozen.v: Invalid value: "string": failed rule: size(self) < 5 [FieldValueInvalid]',
    ]);
    expect(
      compileErrors({
        type: "object",
        properties: {
          m: {
            type: "object",
            "x-kubernetes-map-type": "atomic",
            properties: { v: { type: "string", "x-kubernetes-validations": [{ rule: "self == oldSelf" }] } },
          },
        },
      }),
    ).toEqual([
      'openAPIV3Schema.properties[m].properties[v].x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within openAPIV3Schema.properties[m]',
    ]);
  });

  it("a null value is not validated by its own rules", () => {
    expect(run({ size: null }, { size: "a" }).errors).toEqual([]);
  });
});
