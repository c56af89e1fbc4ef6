import type { JsonMap } from "./json-value.js";
import { isMap } from "./json-value.js";
import type { PathElement } from "./path-element.js";
import { keyElement, sortedKeyElement, valueElement } from "./path-element.js";
import type { ListType, MapType, TypeInfo } from "./type-model.js";
import { untypedMapType } from "./type-model.js";

/**
 * How the walkers (field sets, merge, compare, removal) treat one value of one type. A value whose
 * shape does not fit its type, an atomic map or list, and every scalar are leaves: owned, compared
 * and replaced whole. `null` for a granular map or a set/map list is a container with nothing in it.
 */
export type Shape =
  | { kind: "leaf" }
  | { kind: "map"; type: MapType; value: JsonMap | null }
  | { kind: "list"; type: ListType; value: unknown[] | null };

const leaf: Shape = { kind: "leaf" };

export function shapeOf(type: TypeInfo, value: unknown): Shape {
  switch (type.kind) {
    case "scalar":
      return leaf;
    case "untyped":
      return isMap(value) ? { kind: "map", type: untypedMapType(type), value } : leaf;
    case "map":
      if (type.atomic) return leaf;
      if (isMap(value)) return { kind: "map", type, value };
      return value === null ? { kind: "map", type, value: null } : leaf;
    case "list":
      if (type.listType === "atomic") return leaf;
      if (Array.isArray(value)) return { kind: "list", type, value };
      return value === null ? { kind: "list", type, value: null } : leaf;
  }
}

/** Whether a container shape holds nothing: kube then treats it as a leaf, keeping `{}` apart from `null`. */
export function isEmptyShape(shape: Shape): boolean {
  if (shape.kind === "map") return shape.value === null || Object.keys(shape.value).length === 0;
  if (shape.kind === "list") return shape.value === null || shape.value.length === 0;
  return false;
}

export type ItemElement =
  { element: PathElement; error?: undefined } | { element?: undefined; error: string };

/** The element that names an item of a set or map list, or why the item cannot be named (kube's messages). */
export function itemElement(list: ListType, item: unknown): ItemElement {
  if (list.listType === "map") {
    if (item === null) return { error: "associative list with keys may not have a null element" };
    if (!isMap(item)) return { error: "associative list with keys may not have non-map elements" };
    const values: unknown[] = [];
    for (const name of list.sortedKeys) {
      const value = item[name] !== undefined ? item[name] : list.keyDefaults.get(name);
      if (value === undefined) {
        // Named in the schema's key order, as kube reports the first one missing.
        const missing = list.keys.find((key) => item[key] === undefined && !list.keyDefaults.has(key));
        return {
          error: `associative list with keys has an element that omits key field "${missing ?? name}" (and doesn't have default value)`,
        };
      }
      values.push(value);
    }
    return { element: sortedKeyElement(list.sortedKeys, values) };
  }
  if (isMap(item)) return { error: "associative list without keys has an element that's a map type" };
  if (Array.isArray(item)) return { error: "not supported: associative list with lists as elements" };
  if (item === null) return { error: "associative list without keys has an element that's an explicit null" };
  return { element: valueElement(item) };
}

/**
 * The element for an item of a stored object, which kube requires to be valid but this server does
 * not: an item that cannot be named is named by what it has, so it stays in place and is never lost.
 */
export function storedItemElement(list: ListType, item: unknown): PathElement {
  const named = itemElement(list, item);
  if (named.element !== undefined) return named.element;
  if (isMap(item) && list.listType === "map") {
    const key: JsonMap = {};
    for (const name of list.keys) if (item[name] !== undefined) key[name] = item[name];
    return keyElement(key);
  }
  return valueElement(item);
}
