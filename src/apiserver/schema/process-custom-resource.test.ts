import { describe, expect, it } from "vitest";
import type { KubeObject } from "../types.js";
import { processCustomResource } from "./process-custom-resource.js";
import { compileSchema, schemaProblems } from "./structural-schema.js";

const schema = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      properties: {
        name: { type: "string", maxLength: 5, minLength: 2 },
        count: { type: "integer", maximum: 3, exclusiveMinimum: true, minimum: 0, multipleOf: 1 },
        ratio: { type: "number" },
        items: {
          type: "array",
          maxItems: 2,
          minItems: 1,
          items: { type: "string" },
          "x-kubernetes-list-type": "set",
        },
        when: { type: "string", format: "date-time" },
        port: { "x-kubernetes-int-or-string": true },
        nested: { type: "object", properties: { flag: { type: "boolean", default: true } }, default: {} },
        map: {
          type: "object",
          additionalProperties: { type: "object", properties: { v: { type: "integer", default: 7 } } },
        },
        open: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        optional: { type: "string", nullable: true },
        embedded: {
          type: "object",
          "x-kubernetes-embedded-resource": true,
          properties: { spec: { type: "object" } },
        },
        limited: {
          type: "object",
          maxProperties: 1,
          additionalProperties: { type: "string" },
          "x-kubernetes-validations": [{ rule: "size(self) >= 0", messageExpression: "'never'" }],
        },
        either: { type: "string", anyOf: [{ enum: ["a"] }, { pattern: "^z" }] },
      },
      "x-kubernetes-validations": [
        {
          rule: "!has(self.count) || self.count != 2",
          messageExpression: "'count ' + string(self.count) + ' is unlucky'",
          fieldPath: ".count",
        },
        {
          rule: "!has(self.name) || self.name == oldSelf.name",
          message: "name is immutable",
          reason: "FieldValueForbidden",
        },
      ],
    },
  },
};

const process = (spec: Record<string, unknown>, oldSpec?: Record<string, unknown>) => {
  const object: KubeObject = { apiVersion: "x.example.com/v1", kind: "X", metadata: { name: "x" }, spec };
  const old: KubeObject | undefined = oldSpec
    ? { apiVersion: "x.example.com/v1", kind: "X", metadata: { name: "x" }, spec: oldSpec }
    : undefined;
  const result = processCustomResource(compileSchema(schema), object, old);
  return { ...result, object, messages: result.errors.map((e) => `${e.field}: ${e.message}`) };
};

describe("custom resource pruning, defaulting and validation (apiextensions-apiserver)", () => {
  it("prunes unknown fields except under preserve-unknown-fields and an embedded resource's apiVersion/kind/metadata", () => {
    const { object, unknownFields } = process({
      bogus: 1,
      open: { anything: { goes: true } },
      embedded: { apiVersion: "v1", kind: "K", metadata: { name: "e" }, extra: 1 },
    });
    expect(unknownFields).toEqual(["spec.bogus", "spec.embedded.extra"]);
    expect(object.spec).toMatchObject({
      open: { anything: { goes: true } },
      embedded: { apiVersion: "v1", kind: "K", metadata: { name: "e" } },
    });
  });

  it("applies defaults to absent fields, nested objects and map values", () => {
    const { object } = process({ map: { a: {} } });
    expect(object.spec).toEqual({ nested: { flag: true }, map: { a: { v: 7 } } });
  });

  it.each([
    [{ name: "a" }, 'spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long'],
    [{ name: "toolong" }, "spec.name: Too long: may not be more than 5 bytes"],
    [{ count: 4 }, "spec.count: Invalid value: 4: spec.count in body should be less than or equal to 3"],
    [{ count: 0 }, "spec.count: Invalid value: 0: spec.count in body should be greater than 0"],
    [
      { count: 1.5 },
      'spec.count: Invalid value: "number": spec.count in body must be of type integer: "number"',
    ],
    [
      { ratio: "x" },
      'spec.ratio: Invalid value: "string": spec.ratio in body must be of type number: "string"',
    ],
    [{ items: [] }, "spec.items: Invalid value: 0: spec.items in body should have at least 1 items"],
    [{ items: ["a", "b", "c"] }, "spec.items: Too many: 3: must have at most 2 items"],
    [{ items: ["a", "a"] }, 'spec.items[1]: Duplicate value: "a"'],
    [
      { when: "yesterday" },
      'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
    ],
    [
      { port: true },
      'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    ],
    [{ name: null }, 'spec.name: Invalid value: "null": spec.name in body must be of type string: "null"'],
    [{ limited: { a: "1", b: "2" } }, "spec.limited: Too many: 2: must have at most 1 items"],
    [
      { either: "b" },
      'spec.either: Invalid value: "b": spec.either in body must validate at least one schema (anyOf)',
    ],
    [{ count: 2 }, 'spec.count: Invalid value: "object": count 2 is unlucky'],
  ])("%j → %s", (spec, message) => {
    expect(process(spec).messages).toContain(message);
  });

  it("accepts null for a nullable field, and both forms of int-or-string", () => {
    expect(process({ optional: null, port: 8080 }).errors).toEqual([]);
    expect(process({ port: "http" }).errors).toEqual([]);
  });

  it("transition rules run on update only, with the reason they name", () => {
    expect(process({ name: "ab" }).errors).toEqual([]);
    expect(process({ name: "cd" }, { name: "ab" }).errors).toEqual([
      { reason: "FieldValueForbidden", field: "spec", message: "Forbidden: name is immutable" },
    ]);
  });

  it("reports patterns and rules that do not compile, by path", () => {
    const problems = schemaProblems(
      compileSchema({
        type: "object",
        properties: {
          a: { type: "string", pattern: "(" },
          b: { type: "object", "x-kubernetes-validations": [{ rule: "self.x ==" }] },
        },
      }),
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^a: pattern "\(" does not compile/);
    expect(problems[1]).toMatch(/^b: x-kubernetes-validations\[0\]: rule "self.x ==" does not compile/);
  });

  it("compiles a schema once and reuses it", () => {
    expect(compileSchema(schema)).toBe(compileSchema(schema));
  });
});
