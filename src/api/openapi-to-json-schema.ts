import type { Schema } from "./schema/schema-builders.js";

/**
 * The Kubernetes vendor extensions. ajv knows them as keywords so that a misspelled keyword in a
 * schema still fails compilation. ajv checks list-map keys (manifest-ajv.ts); the CEL rules are
 * evaluated apart (evaluate-validation-rules.ts).
 */
export const kubernetesKeywords = [
  "x-kubernetes-validations",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-map-type",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-int-or-string",
  "x-kubernetes-embedded-resource",
] as const;

const nested = ["items", "additionalProperties", "not"] as const;
const lists = ["allOf", "anyOf", "oneOf"] as const;

/**
 * A CRD's structural schema as JSON Schema that ajv validates the way kube-apiserver does:
 * - objects with `properties` are closed (kube prunes unknown fields, `kubectl --validate=strict`
 *   rejects them) unless they preserve unknown fields;
 * - `nullable` becomes a `null` type;
 * - `x-kubernetes-int-or-string` becomes an integer-or-string `anyOf`;
 * - `x-kubernetes-list-type: set` becomes `uniqueItems`.
 * The root's `metadata` stays open: kube validates ObjectMeta itself and a CRD may only narrow `name`.
 */
export function toJsonSchema(node: Schema, root = true): Schema {
  const converted: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "properties" && value && typeof value === "object") {
      converted.properties = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, child]) => [
          name,
          toJsonSchema(child, false),
        ]),
      );
    } else if ((nested as readonly string[]).includes(key) && value && typeof value === "object") {
      converted[key] = toJsonSchema(value as Schema, false);
    } else if ((lists as readonly string[]).includes(key) && Array.isArray(value)) {
      converted[key] = (value as Schema[]).map((child) => toJsonSchema(child, false));
    } else converted[key] = value;
  }
  if (node["x-kubernetes-int-or-string"] === true) {
    delete converted.type;
    converted.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (node.nullable === true) {
    delete converted.nullable;
    if (typeof converted.type === "string") converted.type = [converted.type, "null"];
    if (Array.isArray(converted.enum)) converted.enum = [...(converted.enum as unknown[]), null];
  }
  if (node["x-kubernetes-list-type"] === "set") converted.uniqueItems = true;
  if (
    converted.properties &&
    converted.additionalProperties === undefined &&
    node["x-kubernetes-preserve-unknown-fields"] !== true
  ) {
    converted.additionalProperties = false;
  }
  const metadata = root ? (converted.properties as Record<string, Schema> | undefined)?.metadata : undefined;
  if (metadata) delete metadata.additionalProperties;
  return converted;
}
