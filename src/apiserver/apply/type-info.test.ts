import { describe, expect, it } from "vitest";
import { builtinTypeInfo } from "./builtin-type-info.js";
import type { JsonMap } from "./json-value.js";
import { typeInfoFromSchema } from "./schema-type-info.js";
import { toFieldSet } from "./to-field-set.js";
import type { ObjectType } from "./type-model.js";

/** The fieldsV1 an object's fields make under a type: what the type info decides, made visible. */
const fieldsOf = (type: ObjectType, object: JsonMap): unknown => toFieldSet(object, type).toFieldsV1();

describe("type information from a CRD schema (kube-openapi schemaconv)", () => {
  const type = typeInfoFromSchema({
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: {
          struct: { type: "object", properties: { a: { type: "string" } } },
          map: {
            type: "object",
            additionalProperties: { type: "object", properties: { v: { type: "string" } } },
          },
          atomicMap: {
            type: "object",
            "x-kubernetes-map-type": "atomic",
            additionalProperties: { type: "string" },
          },
          free: { type: "object" },
          unknown: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          atomic: { type: "array", items: { type: "string" } },
          set: { type: "array", "x-kubernetes-list-type": "set", items: { type: "integer" } },
          keyed: {
            type: "array",
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["port", "protocol"],
            items: {
              type: "object",
              properties: { port: { type: "integer" }, protocol: { type: "string", default: "TCP" } },
            },
          },
          intOrString: { "x-kubernetes-int-or-string": true },
          embedded: {
            type: "object",
            "x-kubernetes-embedded-resource": true,
            properties: { spec: { type: "object", properties: { x: { type: "string" } } } },
          },
        },
      },
    },
  });

  it.each<[string, JsonMap, unknown]>([
    [
      "struct fields are not members, their leaves are",
      { struct: { a: "x" } },
      { "f:struct": { "f:a": {} } },
    ],
    [
      "map entries are members, even holding more",
      { map: { k: { v: "x" } } },
      { "f:map": { "f:k": { ".": {}, "f:v": {} } } },
    ],
    ["x-kubernetes-map-type: atomic is owned whole", { atomicMap: { k: "v" } }, { "f:atomicMap": {} }],
    [
      "an object with no properties holds anything",
      { free: { k: { n: 1 } } },
      { "f:free": { "f:k": { ".": {}, "f:n": {} } } },
    ],
    [
      "preserve-unknown-fields: granular maps, atomic lists",
      { unknown: { l: [1, 2] } },
      { "f:unknown": { "f:l": {} } },
    ],
    ["lists are atomic by default", { atomic: ["a"] }, { "f:atomic": {} }],
    ["x-kubernetes-list-type: set", { set: [2, 1] }, { "f:set": { "v:1": {}, "v:2": {} } }],
    [
      "map lists are keyed, key defaults filled in",
      { keyed: [{ port: 80 }] },
      { "f:keyed": { 'k:{"port":80,"protocol":"TCP"}': { ".": {}, "f:port": {} } } },
    ],
    ["x-kubernetes-int-or-string is a scalar", { intOrString: "50%" }, { "f:intOrString": {} }],
    [
      "embedded resources have ObjectMeta",
      { embedded: { apiVersion: "v1", kind: "K", metadata: { labels: { a: "b" } }, spec: { x: "y" } } },
      {
        "f:embedded": {
          "f:apiVersion": {},
          "f:kind": {},
          "f:metadata": { "f:labels": { "f:a": {} } },
          "f:spec": { "f:x": {} },
        },
      },
    ],
  ])("%s", (_rule, spec, expected) => {
    expect(fieldsOf(type, { spec })).toEqual({ "f:spec": expected });
  });

  it("gives every kind apiVersion, kind and ObjectMeta: finalizers a set, ownerReferences keyed by uid", () => {
    const metadata = {
      finalizers: ["a"],
      ownerReferences: [{ apiVersion: "v1", kind: "K", name: "n", uid: "1" }],
      annotations: { x: "y" },
    };
    expect(fieldsOf(type, { apiVersion: "v", kind: "K", metadata })).toEqual({
      "f:apiVersion": {},
      "f:kind": {},
      "f:metadata": {
        "f:annotations": { "f:x": {} },
        "f:finalizers": { 'v:"a"': {} },
        "f:ownerReferences": {
          'k:{"uid":"1"}': { ".": {}, "f:apiVersion": {}, "f:kind": {}, "f:name": {}, "f:uid": {} },
        },
      },
    });
  });

  it("refuses what a closed schema does not declare, and remembers its answer per schema", () => {
    const problems: string[] = [];
    toFieldSet({ spec: { struct: { b: 1 } } }, type, problems);
    expect(problems).toEqual([".spec.struct.b: field not declared in schema"]);
    const schema = { type: "object" };
    expect(typeInfoFromSchema(schema)).toBe(typeInfoFromSchema(schema));
  });
});

describe("type information of built-in kinds (the merge keys kube's types declare)", () => {
  it.each<[string, string, JsonMap, unknown]>([
    [
      "apps",
      "Deployment",
      {
        spec: {
          selector: { matchLabels: { a: "b" } },
          template: {
            spec: {
              containers: [
                {
                  name: "c",
                  env: [{ name: "E", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }],
                  volumeMounts: [{ mountPath: "/m", name: "v" }],
                },
              ],
              volumes: [{ name: "v" }],
              imagePullSecrets: [{ name: "r" }],
              tolerations: [{ key: "k" }],
            },
          },
        },
        status: { conditions: [{ type: "Available", status: "True" }] },
      },
      {
        "f:spec": {
          "f:selector": {},
          "f:template": {
            "f:spec": {
              "f:containers": {
                'k:{"name":"c"}': {
                  ".": {},
                  "f:env": {
                    'k:{"name":"E"}': { ".": {}, "f:name": {}, "f:valueFrom": { "f:secretKeyRef": {} } },
                  },
                  "f:name": {},
                  "f:volumeMounts": { 'k:{"mountPath":"/m"}': { ".": {}, "f:mountPath": {}, "f:name": {} } },
                },
              },
              "f:imagePullSecrets": { 'k:{"name":"r"}': {} },
              "f:tolerations": {},
              "f:volumes": { 'k:{"name":"v"}': { ".": {}, "f:name": {} } },
            },
          },
        },
        "f:status": {
          "f:conditions": { 'k:{"type":"Available"}': { ".": {}, "f:status": {}, "f:type": {} } },
        },
      },
    ],
    [
      "",
      "Service",
      { spec: { ports: [{ port: 443 }, { port: 53, protocol: "UDP" }], selector: { app: "x" } } },
      {
        "f:spec": {
          "f:ports": {
            'k:{"port":53,"protocol":"UDP"}': { ".": {}, "f:port": {}, "f:protocol": {} },
            'k:{"port":443,"protocol":"TCP"}': { ".": {}, "f:port": {} },
          },
          "f:selector": {},
        },
      },
    ],
    [
      "networking.k8s.io",
      "NetworkPolicy",
      { spec: { podSelector: {}, ingress: [{}], egress: [{}], policyTypes: ["Ingress"] } },
      { "f:spec": { "f:egress": {}, "f:ingress": {}, "f:podSelector": {}, "f:policyTypes": {} } },
    ],
    [
      "policy",
      "PodDisruptionBudget",
      { status: { conditions: [{ type: "DisruptionAllowed" }] } },
      { "f:status": { "f:conditions": { 'k:{"type":"DisruptionAllowed"}': { ".": {}, "f:type": {} } } } },
    ],
    [
      "",
      "ConfigMap",
      { data: { a: "1" }, binaryData: { b: "Mg==" } },
      { "f:binaryData": { "f:b": {} }, "f:data": { "f:a": {} } },
    ],
    ["", "ServiceAccount", { secrets: [{ name: "t" }] }, { "f:secrets": { 'k:{"name":"t"}': {} } }],
  ])("%s %s", (group, kind, object, expected) => {
    expect(fieldsOf(builtinTypeInfo(group, kind), object)).toEqual(expected);
  });

  it("treats fields it does not name in a kind it does not know as struct fields with atomic lists", () => {
    expect(fieldsOf(builtinTypeInfo("example.com", "Unknown"), { spec: { a: { b: [1] } } })).toEqual({
      "f:spec": { "f:a": { "f:b": {} } },
    });
  });
});
