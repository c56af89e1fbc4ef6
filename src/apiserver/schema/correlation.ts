import type { SchemaNode } from "./structural-schema.js";

/**
 * How a part of a new object is paired with the same part of the old one on update, as kube's
 * CorrelatedObject does: object fields and map entries by key, items of `x-kubernetes-list-type: map`
 * lists by their key fields. Other list items have no old counterpart.
 */
export interface Old {
  value: unknown;
}

export function oldField(old: Old | undefined, key: string): Old | undefined {
  const value = old?.value;
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, key) ? { value: (value as Record<string, unknown>)[key] } : undefined;
}

/** Pairs the items of a new list with the old list's items, by the list's map keys. */
export function oldItems(
  list: SchemaNode,
  old: Old | undefined,
): ((item: unknown) => Old | undefined) | undefined {
  if (list.listType !== "map" || !Array.isArray(old?.value)) return undefined;
  const byKey = new Map<string, unknown>();
  for (const item of old.value as unknown[]) {
    const key = listMapKey(list, item);
    if (key !== undefined && !byKey.has(key)) byKey.set(key, item);
  }
  return (item) => {
    const key = listMapKey(list, item);
    return key !== undefined && byKey.has(key) ? { value: byKey.get(key) } : undefined;
  };
}

/** The identity of a list-map item: its key fields (a missing key takes the key's schema default). */
export function listMapKey(list: SchemaNode, item: unknown): string | undefined {
  if (!item || typeof item !== "object" || Array.isArray(item)) return undefined;
  const object = item as Record<string, unknown>;
  return JSON.stringify(
    list.listMapKeys.map((key) =>
      Object.hasOwn(object, key) ? object[key] : list.items?.properties?.get(key)?.default,
    ),
  );
}
