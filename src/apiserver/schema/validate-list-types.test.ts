import { describe, expect, it } from "vitest";
import { compileSchema } from "./structural-schema.js";
import { validateListTypes } from "./validate-list-types.js";

const schema = compileSchema({
  type: "object",
  properties: {
    spec: {
      type: "object",
      properties: {
        tags: { type: "array", "x-kubernetes-list-type": "set", items: { type: "string" } },
        ports: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
          items: { type: "object", properties: { name: { type: "string" }, port: { type: "integer" } } },
        },
        routes: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["host", "path"],
          items: { type: "object", properties: { host: { type: "string" }, path: { type: "string" } } },
        },
        anything: { type: "array", "x-kubernetes-list-type": "atomic", items: { type: "string" } },
        groups: {
          type: "object",
          additionalProperties: {
            type: "array",
            "x-kubernetes-list-type": "set",
            items: { type: "integer" },
          },
        },
      },
    },
  },
});

const check = (spec: unknown) =>
  validateListTypes(schema, { spec }).map((e) => `${e.field}: ${e.message} [${e.reason}]`);

describe("x-kubernetes-list-type invariants (apiextensions-apiserver listtype validation)", () => {
  it.each([
    [
      "a set's repeated item, reported at its second occurrence only",
      { tags: ["a", "b", "a", "a"] },
      ['spec.tags[2]: Duplicate value: "a" [FieldValueDuplicate]'],
    ],
    ['a set distinguishes 1 from "1"', { tags: [1, "1"] }, []],
    [
      "a map list's repeated key, printed as the Go map kube prints",
      {
        ports: [
          { name: "a", port: 1 },
          { name: "a", port: 2 },
        ],
      },
      ['spec.ports[1]: Duplicate value: map[string]interface {}{"name":"a"} [FieldValueDuplicate]'],
    ],
    [
      "a map list with two keys compares both",
      {
        routes: [
          { host: "h", path: "/" },
          { host: "h", path: "/x" },
          { host: "h", path: "/" },
        ],
      },
      [
        'spec.routes[2]: Duplicate value: map[string]interface {}{"host":"h", "path":"/"} [FieldValueDuplicate]',
      ],
    ],
    [
      "items without the key field count as the same (unspecified) key",
      { ports: [{ port: 1 }, { port: 2 }] },
      ["spec.ports[1]: Duplicate value: map[string]interface {}{} [FieldValueDuplicate]"],
    ],
    [
      "a map list's items must be objects",
      { ports: [{ name: "a" }, "b"] },
      [
        'spec.ports[1]: Invalid value: "b": must be an object for an array of list-type map [FieldValueInvalid]',
      ],
    ],
    ["an atomic list may repeat", { anything: ["a", "a"] }, []],
    [
      "sets inside map values, with the key in brackets",
      { groups: { g: [1, 1] } },
      ["spec.groups[g][1]: Duplicate value: 1 [FieldValueDuplicate]"],
    ],
  ])("%s", (_, spec, expected) => {
    expect(check(spec)).toEqual(expected);
  });
});
