import { isDeepStrictEqual } from "node:util";
import type { FieldsV1 } from "../types.js";

/**
 * Field paths as managedFields write them, one element per step: `f:name` (a field), `k:{"name":"a"}`
 * (a keyed list element, key fields sorted), `v:"x"` (a set element), `i:0` (an index). A path is
 * the elements joined by a separator no element contains, so sets of paths are plain string sets.
 */
export const separator = "\u0000";

export function keyElement(item: Record<string, unknown>, keys: string[]): string {
  const key: Record<string, unknown> = {};
  for (const name of [...keys].sort()) if (item[name] !== undefined) key[name] = item[name];
  return `k:${JSON.stringify(key)}`;
}

export function valueElement(value: unknown): string {
  return `v:${JSON.stringify(value)}`;
}

/** The value at a path, or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const element of path.split(separator)) {
    value = step(value, element);
    if (value === undefined) return undefined;
  }
  return value;
}

function step(value: unknown, element: string): unknown {
  const kind = element.slice(0, 2);
  const rest = element.slice(2);
  if (kind === "f:")
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)[rest]
      : undefined;
  if (!Array.isArray(value)) return undefined;
  if (kind === "k:") {
    const key = JSON.parse(rest) as Record<string, unknown>;
    return value.find(
      (item) =>
        item &&
        typeof item === "object" &&
        Object.entries(key).every(([k, v]) => isDeepStrictEqual((item as Record<string, unknown>)[k], v)),
    );
  }
  if (kind === "v:") {
    const wanted = JSON.parse(rest) as unknown;
    return value.find((item) => isDeepStrictEqual(item, wanted));
  }
  if (kind === "i:") return value[Number(rest)];
  return undefined;
}

/**
 * Removes the field or list element a path names, if present; a list or map left empty by the removal
 * goes too, as structured-merge-diff's removing walker leaves no empty containers behind.
 */
export function removeAt(root: unknown, path: string): void {
  const elements = path.split(separator);
  const chain: unknown[] = [root];
  for (const element of elements.slice(0, -1)) chain.push(step(chain[chain.length - 1], element));
  for (let depth = elements.length - 1; depth >= 0; depth--) {
    const parent = chain[depth];
    const element = elements[depth] as string;
    if (parent === undefined || parent === null || typeof parent !== "object") return;
    if (element.startsWith("f:") && !Array.isArray(parent))
      delete (parent as Record<string, unknown>)[element.slice(2)];
    else if (Array.isArray(parent)) {
      const target = step(parent, element);
      const index = parent.indexOf(target);
      if (target === undefined || index < 0) return;
      parent.splice(index, 1);
    } else return;
    const emptied = Array.isArray(parent) ? parent.length === 0 : Object.keys(parent).length === 0;
    if (!emptied || depth === 0) return;
  }
}

/** Serializes a set of paths as a fieldsV1 trie, as kube writes it (`.` marks a member that has children). */
export function toFieldsV1(paths: Iterable<string>): FieldsV1 {
  const root: FieldsV1 = {};
  const members: string[] = [];
  for (const path of paths) members.push(path);
  members.sort();
  const memberSet = new Set(members);
  for (const path of members) {
    let node = root;
    const elements = path.split(separator);
    for (const element of elements) node = node[element] ??= {};
  }
  // A member whose node also has children is marked with ".".
  for (const path of memberSet) {
    let node = root;
    for (const element of path.split(separator)) node = node[element] as FieldsV1;
    if (Object.keys(node).some((k) => k !== ".")) node["."] = {};
  }
  return sortTrie(root);
}

/** The set of member paths a fieldsV1 trie holds. */
export function fromFieldsV1(fields: FieldsV1 | undefined): Set<string> {
  const paths = new Set<string>();
  const walk = (node: FieldsV1, prefix: string): void => {
    for (const [element, child] of Object.entries(node)) {
      if (element === ".") continue;
      const path = prefix ? `${prefix}${separator}${element}` : element;
      const children = Object.keys(child ?? {});
      if (children.length === 0 || children.includes(".")) paths.add(path);
      walk(child ?? {}, path);
    }
  };
  walk(fields ?? {}, "");
  return paths;
}

/** kube's `.spec.ports[name="http"].port` form of a path, for conflict messages. */
export function displayPath(path: string): string {
  return path
    .split(separator)
    .map((element) => {
      const rest = element.slice(2);
      switch (element.slice(0, 2)) {
        case "f:":
          return `.${rest}`;
        case "k:":
          return `[${Object.entries(JSON.parse(rest) as Record<string, unknown>)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(",")}]`;
        case "v:":
          return `[=${rest}]`;
        default:
          return `[${rest}]`;
      }
    })
    .join("");
}

function sortTrie(node: FieldsV1): FieldsV1 {
  const sorted: FieldsV1 = {};
  const keys = Object.keys(node).sort((a, b) =>
    a === "." ? -1 : b === "." ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  for (const key of keys) sorted[key] = sortTrie(node[key] as FieldsV1);
  return sorted;
}
