import type { SchemaNode } from "./structural-schema.js";

/** Fills `default`s of absent properties (and of map values and list items), deep-copied, as kube does. */
export function applyDefaults(node: SchemaNode, value: unknown): void {
  if (Array.isArray(value)) {
    if (node.items) for (const item of value) applyDefaults(node.items, item);
    return;
  }
  if (!value || typeof value !== "object") return;
  const object = value as Record<string, unknown>;
  if (node.properties) {
    for (const [key, child] of node.properties) {
      if (object[key] === undefined && child.hasDefault) object[key] = structuredClone(child.default);
      else if (object[key] === null && child.hasDefault && !child.nullable)
        object[key] = structuredClone(child.default);
      if (object[key] !== undefined) applyDefaults(child, object[key]);
    }
  }
  if (node.additionalProperties && node.additionalProperties !== true) {
    for (const [key, child] of Object.entries(object))
      if (!node.properties?.has(key)) applyDefaults(node.additionalProperties, child);
  }
}
