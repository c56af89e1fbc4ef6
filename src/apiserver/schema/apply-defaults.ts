import type { SchemaNode } from "./structural-schema.js";

/**
 * apiextensions-apiserver's structural defaulting, in place: an absent property with a `default` gets a
 * deep copy of it when its parent object exists, and so does a property, map value or list item that is
 * null where the schema is not nullable. Defaults are applied top-down, so a defaulted object is itself
 * defaulted. Subtrees without defaults are not visited.
 */
export function applyDefaults(node: SchemaNode, value: unknown): void {
  if (!node.subtree.defaults) return;
  if (Array.isArray(value)) {
    const items = node.items;
    if (!items) return;
    value.forEach((item, i) => {
      if (item === null && !items.nullable && items.hasDefault) value[i] = structuredClone(items.default);
      applyDefaults(items, value[i]);
    });
    return;
  }
  if (!value || typeof value !== "object") return;
  const object = value as Record<string, unknown>;
  if (node.properties) {
    for (const [key, property] of node.properties) {
      if (!property.hasDefault) continue;
      if (!Object.hasOwn(object, key) || (object[key] === null && !property.nullable))
        object[key] = structuredClone(property.default);
    }
  }
  const additional = node.additionalProperties;
  for (const key of Object.keys(object)) {
    const property = node.properties?.get(key);
    if (property) applyDefaults(property, object[key]);
    else if (additional && additional !== true) {
      if (object[key] === null && !additional.nullable && additional.hasDefault)
        object[key] = structuredClone(additional.default);
      applyDefaults(additional, object[key]);
    }
  }
}
