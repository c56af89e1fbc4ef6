import { isDeepStrictEqual } from "node:util";
import type { TypeNode } from "./type-node.js";

/**
 * Merges an applied configuration into the live value: granular maps field by field, atomic values and
 * lists replaced, set lists unioned, keyed lists element by element (live order kept, new elements
 * appended). Returns a new value; neither input is changed.
 */
export function mergeValue(live: unknown, applied: unknown, type: TypeNode): unknown {
  if (applied === undefined) return live;
  if (Array.isArray(applied)) {
    if (!Array.isArray(live)) return structuredClone(applied);
    if (type.kind === "list-set") {
      const merged: unknown[] = [...(live as unknown[])];
      for (const item of applied)
        if (!merged.some((existing) => isDeepStrictEqual(existing, item))) merged.push(structuredClone(item));
      return merged;
    }
    if (type.kind === "list-map") {
      const merged: unknown[] = [...(live as unknown[])];
      const itemType = type.item();
      for (const item of applied) {
        const index = merged.findIndex((existing) => sameKey(existing, item, type.keys));
        if (index >= 0) merged[index] = mergeValue(merged[index], item, itemType);
        else merged.push(structuredClone(item));
      }
      return merged;
    }
    return structuredClone(applied);
  }
  if (applied && typeof applied === "object" && type.kind === "granular") {
    const base =
      live && typeof live === "object" && !Array.isArray(live)
        ? { ...(live as Record<string, unknown>) }
        : {};
    for (const [key, value] of Object.entries(applied as Record<string, unknown>)) {
      base[key] = mergeValue(base[key], value, type.child(key));
    }
    return base;
  }
  return structuredClone(applied);
}

function sameKey(a: unknown, b: unknown, keys: string[]): boolean {
  if (!a || !b || typeof a !== "object" || typeof b !== "object") return false;
  return keys.every((k) =>
    isDeepStrictEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}
