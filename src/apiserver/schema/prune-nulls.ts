import type { SchemaNode } from "./structural-schema.js";

/**
 * kube's PruneNonNullableNullsWithoutDefaults, run right after pruning: an object field set to null
 * whose schema is neither nullable nor has a default is dropped, as if it had not been sent. (Nulls
 * with a default are left for defaulting; null list items are left for validation to report.)
 */
export function pruneNonNullableNulls(value: unknown, node: SchemaNode | undefined): void {
  if (Array.isArray(value)) {
    for (const item of value) pruneNonNullableNulls(item, node?.items);
    return;
  }
  if (!value || typeof value !== "object") return;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const field = fieldSchema(node, key);
    if (object[key] === null && field && !field.nullable && !field.hasDefault) delete object[key];
    else pruneNonNullableNulls(object[key], field);
  }
}

function fieldSchema(node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  const property = node?.properties?.get(key);
  if (property) return property;
  const additional = node?.additionalProperties;
  return additional && additional !== true ? additional : undefined;
}
