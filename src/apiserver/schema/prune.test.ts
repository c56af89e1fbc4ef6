import { describe, expect, it } from "vitest";
import { pruneNonNullableNulls } from "./prune-nulls.js";
import { pruneUnknownFields } from "./prune.js";
import { compileSchema } from "./structural-schema.js";

const schema = compileSchema({
  type: "object",
  properties: {
    spec: {
      type: "object",
      properties: {
        name: { type: "string" },
        nested: { type: "object", properties: { kept: { type: "string" } } },
        list: { type: "array", items: { type: "object", properties: { a: { type: "string" } } } },
        map: {
          type: "object",
          additionalProperties: { type: "object", properties: { v: { type: "integer" } } },
        },
        open: {
          type: "object",
          "x-kubernetes-preserve-unknown-fields": true,
          properties: { known: { type: "object", properties: { k: { type: "string" } } } },
        },
        anyMap: { type: "object", additionalProperties: true },
        port: { "x-kubernetes-int-or-string": true },
        embedded: {
          type: "object",
          "x-kubernetes-embedded-resource": true,
          properties: { spec: { type: "object", properties: { x: { type: "string" } } } },
        },
        nullable: { type: "string", nullable: true },
        defaulted: { type: "string", default: "d" },
        plain: { type: "string" },
        strings: { type: "array", items: { type: "string" } },
      },
    },
  },
});

describe("pruning unknown fields (apiextensions-apiserver pruning.PruneWithOptions)", () => {
  it.each([
    ["an unknown field of an object", { bogus: 1 }, {}, ["spec.bogus"]],
    [
      "unknown fields in nested objects",
      { nested: { kept: "y", extra: true } },
      { nested: { kept: "y" } },
      ["spec.nested.extra"],
    ],
    [
      "unknown fields of list items, by index",
      { list: [{ a: "x", b: 1 }, { c: 2 }] },
      { list: [{ a: "x" }, {}] },
      ["spec.list[0].b", "spec.list[1].c"],
    ],
    [
      "unknown fields of map values, keys joined with dots",
      { map: { k: { v: 1, w: 2 } } },
      { map: { k: { v: 1 } } },
      ["spec.map.k.w"],
    ],
    [
      "nothing unknown under x-kubernetes-preserve-unknown-fields, known properties still pruned",
      { open: { anything: { goes: [1] }, known: { k: "a", extra: 1 } } },
      { open: { anything: { goes: [1] }, known: { k: "a" } } },
      ["spec.open.known.extra"],
    ],
    [
      "only scalars under additionalProperties: true (its values have no schema)",
      { anyMap: { s: "x", o: { dropped: 1 } } },
      { anyMap: { s: "x", o: {} } },
      ["spec.anyMap.o.dropped"],
    ],
    ["nothing inside an int-or-string value", { port: 8080 }, { port: 8080 }, []],
    [
      "apiVersion, kind and metadata of an embedded resource are kept, other unknown fields pruned",
      {
        embedded: {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "p" },
          spec: { x: "a", y: "b" },
          status: {},
        },
      },
      { embedded: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { x: "a" } } },
      ["spec.embedded.spec.y", "spec.embedded.status"],
    ],
  ])("%s", (_, spec, expected, pruned) => {
    const object = { apiVersion: "x/v1", kind: "X", metadata: { name: "n" }, spec: structuredClone(spec) };
    expect(pruneUnknownFields(schema, object)).toEqual(pruned);
    expect(object.spec).toEqual(expected);
  });

  it("keeps the root's apiVersion, kind and metadata (the root is treated as a resource), prunes unknown root fields", () => {
    const object: Record<string, unknown> = {
      apiVersion: "x/v1",
      kind: "X",
      metadata: { name: "n", anything: 1 },
      extra: 1,
      spec: {},
    };
    expect(pruneUnknownFields(schema, object)).toEqual(["extra"]);
    expect(object).toEqual({ apiVersion: "x/v1", kind: "X", metadata: { name: "n", anything: 1 }, spec: {} });
  });

  it("returns the pruned paths sorted, as kube does, and none when not asked to", () => {
    const object = { spec: { z: 1, a: 2, nested: { q: 1 } } };
    expect(pruneUnknownFields(schema, structuredClone(object))).toEqual([
      "spec.a",
      "spec.nested.q",
      "spec.z",
    ]);
    const untracked = structuredClone(object);
    expect(pruneUnknownFields(schema, untracked, { returnPruned: false })).toEqual([]);
    expect(untracked).toEqual({ spec: { nested: {} } });
  });
});

describe("dropping non-nullable nulls without defaults (PruneNonNullableNullsWithoutDefaults)", () => {
  it("drops a null field whose schema is not nullable and has no default", () => {
    const object = { spec: { plain: null, nullable: null, defaulted: null, nested: null } };
    pruneNonNullableNulls(object, schema);
    expect(object).toEqual({ spec: { nullable: null, defaulted: null } });
  });

  it("leaves null list items for validation to report, and nulls in unknown territory alone", () => {
    const object = { spec: { strings: ["a", null], open: { anything: null } } };
    pruneNonNullableNulls(object, schema);
    expect(object).toEqual({ spec: { strings: ["a", null], open: { anything: null } } });
  });
});
