import type { SchemaNode } from "./structural-schema.js";

/**
 * Drops fields the schema does not know, as apiextensions-apiserver's pruning does, and returns their
 * paths (`spec.foo`) for `fieldValidation`. Root `apiVersion`, `kind` and `metadata` are kept, and so
 * are those of embedded resources.
 */
export function prune(node: SchemaNode, value: unknown, path: string, pruned: string[], root = false): void {
  if (Array.isArray(value)) {
    if (node.items) for (const [i, item] of value.entries()) prune(node.items, item, `${path}[${i}]`, pruned);
    return;
  }
  if (!value || typeof value !== "object") return;
  const object = value as Record<string, unknown>;
  const keepMeta = root || node.embeddedResource;
  for (const key of Object.keys(object)) {
    if (keepMeta && (key === "apiVersion" || key === "kind" || key === "metadata")) continue;
    const child = node.properties?.get(key);
    const childPath = path ? `${path}.${key}` : key;
    if (child) prune(child, object[key], childPath, pruned);
    else if (node.additionalProperties && node.additionalProperties !== true)
      prune(node.additionalProperties, object[key], childPath, pruned);
    else if (!node.preserveUnknownFields && node.additionalProperties !== true) {
      delete object[key];
      pruned.push(childPath);
    }
  }
}
