import { describe, expect, it } from "vitest";
import { ConditionType, Reason } from "./conditions.js";
import { customResourceDefinitions } from "./custom-resource-definitions.js";
import { createManifestAjv } from "./manifest-ajv.js";
import { toJsonSchema } from "./openapi-to-json-schema.js";
import { condition } from "./schema/conditions.js";
import type { Schema } from "./schema/schema-builders.js";

interface Node {
  path: string;
  schema: Schema;
  /** The name of the property this node is, when it is one. */
  property?: string;
}

/** Every node of every CRD's schema, with its field path (`Integration.spec.flows[].name`). */
function nodes(): Node[] {
  const found: Node[] = [];
  const walk = (schema: Schema, path: string, property?: string): void => {
    found.push({ path, schema, ...(property ? { property } : {}) });
    for (const [name, child] of Object.entries(
      (schema.properties as Record<string, Schema> | undefined) ?? {},
    ))
      walk(child, `${path}.${name}`, name);
    if (schema.items) walk(schema.items as Schema, `${path}[]`);
    if (schema.additionalProperties && typeof schema.additionalProperties === "object")
      walk(schema.additionalProperties as Schema, `${path}{}`);
  };
  for (const crd of customResourceDefinitions()) {
    const spec = crd.spec as { names: { kind: string }; versions: { schema: { openAPIV3Schema: Schema } }[] };
    walk(spec.versions[0]!.schema.openAPIV3Schema, spec.names.kind);
  }
  return found;
}

const all = nodes();
const where = (test: (node: Node) => boolean): string[] => all.filter(test).map((n) => n.path);

describe("the schemas follow the rules of structural schemas and of this API", () => {
  it("are walked down to the leaves of every kind", () => {
    expect(all.map((n) => n.path)).toEqual(
      expect.arrayContaining([
        "Integration.spec.flows[].target.sink.url",
        "Integration.spec.resources.limits{}",
        "ClusterConnector.spec.webhook.verification.hmac.header",
        "Credential.status.conditions[].reason",
        "IntegrationPolicy.spec.rules[].requiredLabels[].allowedValues[]",
      ]),
    );
  });

  it("document every field, so `kubectl explain` helps", () => {
    expect(
      where(
        (n) =>
          n.property !== undefined && n.property !== "metadata" && typeof n.schema.description !== "string",
      ),
    ).toEqual([]);
  });

  it("type every node (int-or-string aside), as a structural schema must", () => {
    expect(
      where((n) => n.schema.type === undefined && n.schema["x-kubernetes-int-or-string"] !== true),
    ).toEqual([]);
  });

  it("never set additionalProperties beside properties", () => {
    expect(
      where((n) => n.schema.properties !== undefined && n.schema.additionalProperties !== undefined),
    ).toEqual([]);
  });

  it("bound every list, string and map, so the cost of CEL rules can be estimated", () => {
    const unboundedString = (s: Schema) =>
      s.type === "string" && s.maxLength === undefined && s.enum === undefined && s.format !== "date-time";
    expect(
      where(
        (n) =>
          !n.path.includes(".metadata") &&
          !["apiVersion", "kind"].includes(n.property ?? "") &&
          ((n.schema.type === "array" && n.schema.maxItems === undefined) ||
            (n.schema.additionalProperties !== undefined && n.schema.maxProperties === undefined) ||
            unboundedString(n.schema)),
      ),
    ).toEqual([]);
  });

  it("require the keys of every list map, so server-side apply can merge its entries", () => {
    const problems = all.flatMap(({ path, schema }) => {
      if (schema["x-kubernetes-list-type"] !== "map") return [];
      const items = schema.items as Schema;
      const required = (items.required as string[] | undefined) ?? [];
      return (schema["x-kubernetes-list-map-keys"] as string[])
        .filter(
          (key) =>
            !required.includes(key) &&
            (items.properties as Record<string, Schema>)[key]?.default === undefined,
        )
        .map((key) => `${path}: ${key}`);
    });
    expect(problems).toEqual([]);
  });

  it("keep metadata to what kube-apiserver allows a CRD to say about it: the name", () => {
    for (const node of all.filter((n) => /^\w+\.metadata$/.test(n.path)))
      expect(Object.keys((node.schema.properties as object | undefined) ?? {}), node.path).toEqual(
        node.schema.properties ? ["name"] : [],
      );
  });
});

describe("the schemas in ajv", () => {
  const ajv = createManifestAjv();

  it("compile, strictly, for every kind", () => {
    for (const crd of customResourceDefinitions()) {
      const schema = (crd.spec as { versions: { schema: { openAPIV3Schema: Schema } }[] }).versions[0]!.schema
        .openAPIV3Schema;
      expect(() => ajv.compile(toJsonSchema(schema))).not.toThrow();
    }
  });

  it("accept every default under its own schema", () => {
    const defaults = all.filter((n) => "default" in n.schema);
    expect(defaults.length).toBeGreaterThan(20);
    const problems = defaults.flatMap(({ path, schema }) => {
      const { default: value, ...rest } = schema;
      const validate = ajv.compile(toJsonSchema(rest, false));
      return validate(value) ? [] : [`${path}: ${JSON.stringify(value)}: ${ajv.errorsText(validate.errors)}`];
    });
    expect(problems).toEqual([]);
  });
});

describe("the condition types and reasons the controllers write", () => {
  const field = (name: string) => (condition.properties as Record<string, Schema>)[name]!;
  const matches = (name: string) => new RegExp(String(field(name).pattern), "u");

  it("fit metav1.Condition's patterns, so status writes are never refused", () => {
    expect(Object.values(ConditionType).filter((t) => !matches("type").test(t))).toEqual([]);
    expect(Object.values(Reason).filter((r) => !matches("reason").test(r))).toEqual([]);
  });

  it("are each spelled the same as their key", () => {
    for (const constants of [ConditionType, Reason])
      for (const [key, value] of Object.entries(constants)) expect(value).toBe(key);
  });
});
