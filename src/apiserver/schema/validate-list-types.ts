import type { FieldError } from "../types.js";
import { childPath, duplicate, indexPath, invalid, keyPath } from "./field-error.js";
import type { SchemaNode } from "./structural-schema.js";

/**
 * apiextensions-apiserver's listtype validation: items of `x-kubernetes-list-type: set` lists unique,
 * items of `map` lists objects with unique key fields. Each repeated value is reported once, at its
 * second occurrence, with the (key) value as kube prints it.
 */
export function validateListTypes(schema: SchemaNode, value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (schema.subtree.listInvariants) walk(schema, value, "", errors);
  return errors;
}

function walk(node: SchemaNode | undefined, value: unknown, path: string, errors: FieldError[]): void {
  if (!node || !node.subtree.listInvariants) return;
  if (Array.isArray(value)) {
    if (node.listType === "set") {
      for (const i of nonUnique(value)) errors.push(duplicate(indexPath(path, i), value[i]));
    } else if (node.listType === "map") {
      errors.push(...validateListMap(node, value, path));
    }
    value.forEach((item, i) => walk(node.items, item, indexPath(path, i), errors));
    return;
  }
  if (!value || typeof value !== "object") return;
  const object = value as Record<string, unknown>;
  const additional = node.additionalProperties;
  if (additional && additional !== true)
    for (const [key, child] of Object.entries(object)) walk(additional, child, keyPath(path, key), errors);
  if (node.properties)
    for (const [key, child] of Object.entries(object)) {
      const property = node.properties.get(key);
      if (property) walk(property, child, childPath(path, key), errors);
    }
}

const unspecified = Symbol("unspecified key");

function validateListMap(node: SchemaNode, items: unknown[], path: string): FieldError[] {
  for (const [i, item] of items.entries()) {
    if (item !== null && (typeof item !== "object" || Array.isArray(item)))
      return [invalid(indexPath(path, i), item, "must be an object for an array of list-type map")];
  }
  if (items.length <= 1) return [];
  if (node.listMapKeys.length === 1) {
    const keyField = node.listMapKeys[0] ?? "";
    const keys = items.map((item) => {
      const object = item as Record<string, unknown> | null;
      return object && Object.hasOwn(object, keyField) ? object[keyField] : unspecified;
    });
    return nonUnique(keys).map((i) =>
      duplicate(indexPath(path, i), keys[i] === unspecified ? {} : { [keyField]: keys[i] }),
    );
  }
  const keys = items.map((item) => {
    const key: Record<string, unknown> = {};
    const object = item as Record<string, unknown> | null;
    for (const field of node.listMapKeys)
      if (object && Object.hasOwn(object, field)) key[field] = object[field];
    return key;
  });
  return nonUnique(keys).map((i) => duplicate(indexPath(path, i), keys[i]));
}

/** The indexes of second occurrences of repeated values (kube's validateListSet). */
function nonUnique(values: unknown[]): number[] {
  if (values.length <= 1) return [];
  const seen = new Map<string, number>();
  const indexes: number[] = [];
  values.forEach((value, i) => {
    const key = identity(value);
    const times = seen.get(key) ?? 0;
    if (times === 1) indexes.push(i);
    seen.set(key, times + 1);
  });
  return indexes;
}

// Scalars compare by Go type and value (int64 1 and float64 1.5 differ by type), compounds by their JSON.
function identity(value: unknown): string {
  if (value === unspecified) return "unspecified";
  if (value === null) return "null";
  if (typeof value === "number") return `${Number.isInteger(value) ? "int" : "float"}:${value}`;
  if (typeof value === "string" || typeof value === "boolean") return `${typeof value}:${value}`;
  if (typeof value !== "object") return `${typeof value}`;
  return `json:${canonicalJson(value)}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}
