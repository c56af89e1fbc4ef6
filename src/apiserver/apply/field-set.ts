import { keyElement, separator, valueElement } from "./field-path.js";
import type { TypeNode } from "./type-node.js";

/** Which part of an object a write may own: everything but status, or only status. */
export type ResetFields = "status" | "spec" | "none";

const trackedMetadata = new Set(["labels", "annotations", "finalizers", "ownerReferences"]);

/**
 * The member paths of an object, as structured-merge-diff's `ToFieldSet`: every leaf value, every
 * element of a set or keyed list, atomic lists and maps whole. Server-owned fields are left out:
 * apiVersion, kind, metadata other than labels/annotations/finalizers/ownerReferences, and status or
 * everything but status depending on `reset`.
 */
export function fieldSetOf(object: Record<string, unknown>, type: TypeNode, reset: ResetFields): Set<string> {
  const paths = new Set<string>();
  for (const [key, value] of Object.entries(object)) {
    if (key === "apiVersion" || key === "kind" || value === undefined) continue;
    if (reset === "status" && key === "status") continue;
    if (reset === "spec" && key !== "status") continue;
    if (key === "metadata") {
      if (!value || typeof value !== "object") continue;
      for (const [field, child] of Object.entries(value as Record<string, unknown>)) {
        if (!trackedMetadata.has(field) || child === undefined) continue;
        collect(child, type.child("metadata").child(field), `f:metadata${separator}f:${field}`, paths);
      }
      continue;
    }
    collect(value, type.child(key), `f:${key}`, paths);
  }
  return paths;
}

function collect(value: unknown, type: TypeNode, path: string, paths: Set<string>): void {
  if (Array.isArray(value)) {
    if (type.kind === "list-set") {
      for (const item of value) paths.add(`${path}${separator}${valueElement(item)}`);
      if (value.length === 0) paths.add(path);
    } else if (type.kind === "list-map") {
      for (const item of value) {
        if (!item || typeof item !== "object") continue;
        const elementPath = `${path}${separator}${keyElement(item as Record<string, unknown>, type.keys)}`;
        paths.add(elementPath);
        const itemType = type.item();
        for (const [field, child] of Object.entries(item as Record<string, unknown>)) {
          if (child !== undefined)
            collect(child, itemType.child(field), `${elementPath}${separator}f:${field}`, paths);
        }
      }
      if (value.length === 0) paths.add(path);
    } else paths.add(path);
    return;
  }
  if (value && typeof value === "object" && type.kind === "granular") {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, child]) => child !== undefined,
    );
    if (entries.length === 0) {
      paths.add(path);
      return;
    }
    for (const [field, child] of entries)
      collect(child, type.child(field), `${path}${separator}f:${field}`, paths);
    return;
  }
  paths.add(path);
}
