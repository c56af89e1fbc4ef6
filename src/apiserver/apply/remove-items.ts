import type { FieldSet } from "./field-set.js";
import type { JsonMap } from "./json-value.js";
import { fieldElement } from "./path-element.js";
import type { TypeInfo } from "./type-model.js";
import { keyType, untypedMap } from "./type-model.js";
import { shapeOf, storedItemElement } from "./typed-value.js";

/**
 * Removes from a value every map key and list item that is a member of `toRemove`, with everything
 * under it, as structured-merge-diff's `RemoveItems`. Leaves and atomic values are not looked into.
 * A container emptied by the removal stays, empty, as kube keeps it. Returns a new value; unchanged
 * subtrees are shared with the input.
 */
export function removeItems(value: unknown, toRemove: FieldSet, type: TypeInfo): unknown {
  if (toRemove.isEmpty()) return value;
  const shape = shapeOf(type, value);
  if (shape.kind === "leaf" || shape.value === null) return value;
  if (shape.kind === "map") {
    const out: JsonMap = {};
    for (const [key, child] of Object.entries(shape.value)) {
      if (child === undefined) continue;
      const element = fieldElement(key);
      if (toRemove.members.has(element)) continue;
      const below = toRemove.children.get(element);
      if (!below) {
        out[key] = child;
        continue;
      }
      out[key] = removeItems(child, below, keyType(shape.type, key)?.type ?? untypedMap);
    }
    return out;
  }
  const out: unknown[] = [];
  for (const item of shape.value) {
    const element = storedItemElement(shape.type, item);
    if (toRemove.members.has(element)) continue;
    const below = toRemove.children.get(element);
    out.push(below ? removeItems(item, below, shape.type.items) : item);
  }
  return out;
}
