import { describe, expect, it } from "vitest";
import type { JsonSchemaProps } from "./structural-schema.js";
import { compileSchema } from "./structural-schema.js";
import { validateValue } from "./validate-value.js";

/** Validates `{ spec: { x: value } }` against a schema whose `spec.x` is the given schema. */
function check(x: JsonSchemaProps, value: unknown, old?: unknown): string[] {
  const schema = compileSchema({
    type: "object",
    properties: { spec: { type: "object", properties: { x } } },
  });
  const object = { spec: { x: value } };
  return validateValue(schema, object, old === undefined ? {} : { old: { value: { spec: { x: old } } } }).map(
    (e) => `${e.field}: ${e.message} [${e.reason}]`,
  );
}

describe("OpenAPI value validation with kube's messages (kube-openapi validate + kubeOpenAPIResultToFieldErrors)", () => {
  it.each([
    // type
    [
      "type integer, a string",
      { type: "integer" },
      "3",
      [
        'spec.x: Invalid value: "string": spec.x in body must be of type integer: "string" [FieldValueTypeInvalid]',
      ],
    ],
    [
      "type integer, a fraction",
      { type: "integer" },
      1.5,
      [
        'spec.x: Invalid value: "number": spec.x in body must be of type integer: "number" [FieldValueTypeInvalid]',
      ],
    ],
    ["type number accepts an integer", { type: "number" }, 3, []],
    [
      "type string, an object",
      { type: "string" },
      { a: 1 },
      [
        'spec.x: Invalid value: "object": spec.x in body must be of type string: "object" [FieldValueTypeInvalid]',
      ],
    ],
    [
      "type boolean, an array",
      { type: "boolean" },
      [true],
      [
        'spec.x: Invalid value: "array": spec.x in body must be of type boolean: "array" [FieldValueTypeInvalid]',
      ],
    ],
    [
      "null where not nullable",
      { type: "string" },
      null,
      [
        'spec.x: Invalid value: "null": spec.x in body must be of type string: "null" [FieldValueTypeInvalid]',
      ],
    ],
    ["null where nullable", { type: "string", nullable: true }, null, []],
    ["int-or-string: an integer", { "x-kubernetes-int-or-string": true }, 8080, []],
    ["int-or-string: a string", { "x-kubernetes-int-or-string": true }, "http", []],
    [
      "int-or-string: a boolean",
      { "x-kubernetes-int-or-string": true },
      true,
      [
        'spec.x: Invalid value: "boolean": spec.x in body must be of type integer,string: "boolean" [FieldValueTypeInvalid]',
      ],
    ],
    [
      "untyped (preserve-unknown-fields) accepts anything",
      { "x-kubernetes-preserve-unknown-fields": true },
      [1, "a"],
      [],
    ],
    // enum
    [
      "enum: a value not listed",
      { type: "string", enum: ["a", "b"] },
      "c",
      ['spec.x: Unsupported value: "c": supported values: "a", "b" [FieldValueNotSupported]'],
    ],
    [
      "enum: numbers are listed quoted",
      { type: "integer", enum: [1, 2] },
      3,
      ['spec.x: Unsupported value: 3: supported values: "1", "2" [FieldValueNotSupported]'],
    ],
    [
      "enum: null never matches",
      { type: "string", nullable: true, enum: ["a"] },
      null,
      ['spec.x: Unsupported value: "null": supported values: "a" [FieldValueNotSupported]'],
    ],
    // strings
    [
      "maxLength",
      { type: "string", maxLength: 3 },
      "abcd",
      ["spec.x: Too long: may not be more than 3 bytes [FieldValueTooLong]"],
    ],
    ["maxLength counts characters, not bytes", { type: "string", maxLength: 3 }, "äöü", []],
    [
      "minLength",
      { type: "string", minLength: 2 },
      "a",
      ['spec.x: Invalid value: "a": spec.x in body should be at least 2 chars long [FieldValueInvalid]'],
    ],
    [
      "pattern",
      { type: "string", pattern: "^[a-z]+$" },
      "A_b",
      ["spec.x: Invalid value: \"A_b\": spec.x in body should match '^[a-z]+$' [FieldValueInvalid]"],
    ],
    [
      "maxLength ends the string checks",
      { type: "string", maxLength: 2, pattern: "^[a-z]+$" },
      "ABC",
      ["spec.x: Too long: may not be more than 2 bytes [FieldValueTooLong]"],
    ],
    // formats
    [
      "format date-time",
      { type: "string", format: "date-time" },
      "yesterday",
      [
        'spec.x: Invalid value: "yesterday": spec.x in body must be of type date-time: "yesterday" [FieldValueTypeInvalid]',
      ],
    ],
    ["format date-time, valid", { type: "string", format: "date-time" }, "2024-02-29T10:00:00Z", []],
    [
      "format uuid",
      { type: "string", format: "uuid" },
      "nope",
      ['spec.x: Invalid value: "nope": spec.x in body must be of type uuid: "nope" [FieldValueTypeInvalid]'],
    ],
    [
      "format ipv4",
      { type: "string", format: "ipv4" },
      "300.1.1.1",
      [
        'spec.x: Invalid value: "300.1.1.1": spec.x in body must be of type ipv4: "300.1.1.1" [FieldValueTypeInvalid]',
      ],
    ],
    [
      "format date",
      { type: "string", format: "date" },
      "2023-02-29",
      [
        'spec.x: Invalid value: "2023-02-29": spec.x in body must be of type date: "2023-02-29" [FieldValueTypeInvalid]',
      ],
    ],
    ["format duration (Go or Scala style)", { type: "string", format: "duration" }, "5 minutes", []],
    ["format unknown to kube is ignored", { type: "string", format: "zip-code" }, "anything", []],
    [
      "format with a non-string value is reported against the format",
      { type: "string", format: "uuid" },
      5,
      [
        'spec.x: Invalid value: "int64": spec.x in body must be of type uuid: "int64" [FieldValueTypeInvalid]',
      ],
    ],
    // numbers
    [
      "maximum",
      { type: "integer", maximum: 50 },
      100,
      ["spec.x: Invalid value: 100: spec.x in body should be less than or equal to 50 [FieldValueInvalid]"],
    ],
    [
      "exclusiveMaximum",
      { type: "integer", maximum: 50, exclusiveMaximum: true },
      50,
      ["spec.x: Invalid value: 50: spec.x in body should be less than 50 [FieldValueInvalid]"],
    ],
    [
      "minimum",
      { type: "integer", minimum: 0 },
      -1,
      ["spec.x: Invalid value: -1: spec.x in body should be greater than or equal to 0 [FieldValueInvalid]"],
    ],
    [
      "exclusiveMinimum",
      { type: "number", minimum: 0.5, exclusiveMinimum: true },
      0.5,
      ["spec.x: Invalid value: 0.5: spec.x in body should be greater than 0.5 [FieldValueInvalid]"],
    ],
    [
      "an integer is checked against the bound truncated to an integer",
      { type: "integer", maximum: 3.5 },
      4,
      ["spec.x: Invalid value: 4: spec.x in body should be less than or equal to 3 [FieldValueInvalid]"],
    ],
    [
      "multipleOf",
      { type: "integer", multipleOf: 5 },
      12,
      ["spec.x: Invalid value: 12: spec.x in body should be a multiple of 5 [FieldValueInvalid]"],
    ],
    ["multipleOf with a fraction", { type: "number", multipleOf: 0.1 }, 0.3, []],
    [
      "multipleOf, minimum and maximum report in that order",
      { type: "integer", multipleOf: 2, minimum: 10 },
      3,
      [
        "spec.x: Invalid value: 3: spec.x in body should be a multiple of 2 [FieldValueInvalid]",
        "spec.x: Invalid value: 3: spec.x in body should be greater than or equal to 10 [FieldValueInvalid]",
      ],
    ],
    // arrays
    [
      "maxItems",
      { type: "array", maxItems: 3, items: { type: "string" } },
      ["a", "b", "c", "d", "e"],
      ["spec.x: Too many: 5: must have at most 3 items [FieldValueTooMany]"],
    ],
    [
      "maxItems 1",
      { type: "array", maxItems: 1, items: { type: "string" } },
      ["a", "b"],
      ["spec.x: Too many: 2: must have at most 1 item [FieldValueTooMany]"],
    ],
    [
      "minItems",
      { type: "array", minItems: 1, items: { type: "string" } },
      [],
      ["spec.x: Invalid value: 0: spec.x in body should have at least 1 items [FieldValueInvalid]"],
    ],
    [
      "uniqueItems",
      { type: "array", uniqueItems: true, items: { type: "string" } },
      ["a", "a"],
      ['spec.x: Invalid value: "": spec.x in body shouldn\'t contain duplicates [FieldValueInvalid]'],
    ],
    [
      "items are validated before the list's own checks",
      { type: "array", maxItems: 1, items: { type: "integer" } },
      ["a", 2],
      [
        'spec.x[0]: Invalid value: "string": spec.x[0] in body must be of type integer: "string" [FieldValueTypeInvalid]',
        "spec.x: Too many: 2: must have at most 1 item [FieldValueTooMany]",
      ],
    ],
    // objects
    [
      "required",
      { type: "object", required: ["name"], properties: { name: { type: "string" } } },
      {},
      ["spec.x.name: Required value [FieldValueRequired]"],
    ],
    [
      "maxProperties",
      { type: "object", maxProperties: 1, additionalProperties: { type: "string" } },
      { a: "1", b: "2" },
      ["spec.x: Too many: 2: must have at most 1 item [FieldValueTooMany]"],
    ],
    [
      "minProperties",
      { type: "object", minProperties: 2, additionalProperties: { type: "string" } },
      { a: "1" },
      ["spec.x: Invalid value: 1: spec.x in body should have at least 2 properties [FieldValueInvalid]"],
    ],
    [
      "min/maxProperties end the object's checks",
      { type: "object", maxProperties: 0, required: ["a"], properties: { a: { type: "integer" } } },
      { a: "x" },
      ["spec.x: Too many: 1: must have at most 0 items [FieldValueTooMany]"],
    ],
    [
      "map values are named with a dot, as kube-openapi names them",
      { type: "object", additionalProperties: { type: "string", maxLength: 2 } },
      { app: "long" },
      ["spec.x.app: Too long: may not be more than 2 bytes [FieldValueTooLong]"],
    ],
    [
      "nested fields and list items",
      {
        type: "object",
        properties: {
          flows: {
            type: "array",
            items: { type: "object", properties: { name: { type: "string", minLength: 2 } } },
          },
        },
      },
      { flows: [{ name: "ok" }, { name: "x" }] },
      [
        'spec.x.flows[1].name: Invalid value: "x": spec.x.flows[1].name in body should be at least 2 chars long [FieldValueInvalid]',
      ],
    ],
    // composition
    [
      "anyOf: none matches, with the best branch's errors",
      { type: "object", anyOf: [{ required: ["a"] }, { required: ["b"] }] },
      {},
      [
        '<nil>: Invalid value: "": "spec.x" must validate at least one schema (anyOf) [FieldValueInvalid]',
        "spec.x.a: Required value [FieldValueRequired]",
      ],
    ],
    [
      "anyOf: one matches",
      { type: "object", anyOf: [{ required: ["a"] }, { required: ["b"] }] },
      { b: 1 },
      [],
    ],
    [
      "oneOf: none valid",
      { type: "string", oneOf: [{ pattern: "^a" }, { pattern: "^b" }] },
      "c",
      [
        '<nil>: Invalid value: "": "spec.x" must validate one and only one schema (oneOf). Found none valid [FieldValueInvalid]',
        "spec.x: Invalid value: \"c\": spec.x in body should match '^a' [FieldValueInvalid]",
      ],
    ],
    [
      "oneOf: two valid",
      { type: "string", oneOf: [{ pattern: "^a" }, { pattern: "b$" }] },
      "ab",
      [
        '<nil>: Invalid value: "": "spec.x" must validate one and only one schema (oneOf). Found 2 valid alternatives [FieldValueInvalid]',
      ],
    ],
    [
      "allOf: every branch's errors, then the summary",
      { type: "integer", allOf: [{ minimum: 5 }, { maximum: 1 }] },
      3,
      [
        "spec.x: Invalid value: 3: spec.x in body should be greater than or equal to 5 [FieldValueInvalid]",
        "spec.x: Invalid value: 3: spec.x in body should be less than or equal to 1 [FieldValueInvalid]",
        '<nil>: Invalid value: "": "spec.x" must validate all the schemas (allOf). None validated [FieldValueInvalid]',
      ],
    ],
    [
      "not",
      { type: "string", not: { enum: ["forbidden"] } },
      "forbidden",
      ['<nil>: Invalid value: "": "spec.x" must not validate the schema (not) [FieldValueInvalid]'],
    ],
  ] as [string, JsonSchemaProps, unknown, string[]][])("%s", (_, schema, value, expected) => {
    expect(check(schema, value)).toEqual(expected);
  });

  it("validates the whole object, apiVersion, kind and metadata included, with root required fields", () => {
    const schema = compileSchema({
      type: "object",
      required: ["spec"],
      properties: {
        metadata: { type: "object", properties: { name: { type: "string", maxLength: 3 } } },
        spec: { type: "object" },
      },
    });
    expect(
      validateValue(schema, { metadata: { name: "toolong" } }).map((e) => `${e.field}: ${e.message}`),
    ).toEqual(["metadata.name: Too long: may not be more than 3 bytes", "spec: Required value"]);
  });

  it("reports under a base path for the status subresource", () => {
    const status = compileSchema({
      type: "object",
      properties: { phase: { type: "string", enum: ["Ready"] } },
    });
    expect(
      validateValue(status, { phase: "x" }, { basePath: "status" }).map((e) => `${e.field}: ${e.message}`),
    ).toEqual(['status.phase: Unsupported value: "x": supported values: "Ready"']);
  });

  it("ratchets on update: a value equal to its old counterpart is not reported, a changed one is", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "string", maxLength: 2 }, b: { type: "string", maxLength: 2 } },
    };
    expect(check(schema, { a: "long", b: "long" }, { a: "long", b: "old" })).toEqual([
      "spec.x.b: Too long: may not be more than 2 bytes [FieldValueTooLong]",
    ]);
    const list = {
      type: "array",
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["name"],
      items: { type: "object", properties: { name: { type: "string" }, v: { type: "integer", maximum: 1 } } },
    };
    expect(
      check(
        list,
        [
          { name: "b", v: 5 },
          { name: "a", v: 5 },
        ],
        [{ name: "a", v: 5 }],
      ),
    ).toEqual([
      "spec.x[0].v: Invalid value: 5: spec.x[0].v in body should be less than or equal to 1 [FieldValueInvalid]",
    ]);
  });
});
