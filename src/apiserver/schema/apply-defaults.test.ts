import { describe, expect, it } from "vitest";
import { applyDefaults } from "./apply-defaults.js";
import { compileSchema } from "./structural-schema.js";

const schema = compileSchema({
  type: "object",
  properties: {
    spec: {
      type: "object",
      properties: {
        replicas: { type: "integer", default: 1 },
        mode: { type: "string", default: "fast" },
        tuning: {
          type: "object",
          default: {},
          properties: {
            level: { type: "integer", default: 3 },
            tags: { type: "array", items: { type: "string" }, default: ["a"] },
          },
        },
        optional: { type: "object", properties: { inner: { type: "string", default: "x" } } },
        ports: {
          type: "array",
          items: {
            type: "object",
            default: { name: "http" },
            properties: { name: { type: "string" }, protocol: { type: "string", default: "TCP" } },
          },
        },
        limits: {
          type: "object",
          additionalProperties: {
            type: "object",
            default: { max: 10 },
            properties: { max: { type: "integer" }, unit: { type: "string", default: "Mi" } },
          },
        },
      },
    },
  },
});

describe("structural defaulting (apiextensions-apiserver defaulting.Default)", () => {
  it.each([
    [
      "fills absent properties of an existing object",
      {},
      { replicas: 1, mode: "fast", tuning: { level: 3, tags: ["a"] } },
    ],
    [
      "keeps values that are set",
      { replicas: 5, mode: "slow" },
      { replicas: 5, mode: "slow", tuning: { level: 3, tags: ["a"] } },
    ],
    [
      "defaults inside a defaulted object (top-down)",
      { tuning: { tags: [] } },
      { replicas: 1, mode: "fast", tuning: { level: 3, tags: [] } },
    ],
    [
      "does not create an absent parent without a default of its own",
      {},
      { replicas: 1, mode: "fast", tuning: { level: 3, tags: ["a"] } },
    ],
    [
      "defaults inside an object that exists",
      { optional: {} },
      { replicas: 1, mode: "fast", tuning: { level: 3, tags: ["a"] }, optional: { inner: "x" } },
    ],
    [
      "defaults in list items, and a null item of a non-nullable list gets the items' default",
      { ports: [{ name: "a" }, null] },
      {
        replicas: 1,
        mode: "fast",
        tuning: { level: 3, tags: ["a"] },
        ports: [
          { name: "a", protocol: "TCP" },
          { name: "http", protocol: "TCP" },
        ],
      },
    ],
    [
      "defaults in map values, and a null map value gets the values' default",
      { limits: { cpu: { max: 2 }, memory: null } },
      {
        replicas: 1,
        mode: "fast",
        tuning: { level: 3, tags: ["a"] },
        limits: { cpu: { max: 2, unit: "Mi" }, memory: { max: 10, unit: "Mi" } },
      },
    ],
    [
      "replaces null with the default where the field is not nullable, keeps null where it is",
      { replicas: null, mode: null, tuning: null },
      { replicas: 1, mode: "fast", tuning: { level: 3, tags: ["a"] } },
    ],
  ])("%s", (_, spec, expected) => {
    const object = { spec: structuredClone(spec) as Record<string, unknown> };
    applyDefaults(schema, object);
    expect(object.spec).toEqual(expected);
  });

  it("keeps null where the field is nullable (absent, it still gets its default)", () => {
    const nullable = compileSchema({
      type: "object",
      properties: {
        a: { type: "string", nullable: true, default: "d" },
        b: { type: "string", nullable: true, default: "d" },
      },
    });
    const object: Record<string, unknown> = { a: null };
    applyDefaults(nullable, object);
    expect(object).toEqual({ a: null, b: "d" });
  });

  it("does not default an absent spec, and deep-copies defaults so objects never share them", () => {
    const empty: Record<string, unknown> = {};
    applyDefaults(schema, empty);
    expect(empty).toEqual({});
    const a = { spec: {} as { tuning?: { tags: string[] } } };
    const b = { spec: {} as { tuning?: { tags: string[] } } };
    applyDefaults(schema, a);
    applyDefaults(schema, b);
    a.spec.tuning?.tags.push("changed");
    expect(b.spec.tuning?.tags).toEqual(["a"]);
  });
});
