import type { FieldSet } from "./field-set.js";
import { FieldSetBuilder } from "./field-set.js";
import { jsonEqual } from "./json-value.js";
import type { PathElement } from "./path-element.js";
import { fieldElement } from "./path-element.js";
import type { ListType, TypeInfo } from "./type-model.js";
import { keyType, untypedMap } from "./type-model.js";
import type { Shape } from "./typed-value.js";
import { isEmptyShape, shapeOf, storedItemElement } from "./typed-value.js";

/** What changed between two values, as structured-merge-diff's `Comparison`. */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * Compares two values of a type. Leaves that differ are modified; a container (granular map, set or map
 * list, list item) that appears or disappears is added or removed together with everything in it.
 */
export function compareValues(before: unknown, after: unknown, type: TypeInfo): Comparison {
  const sets = {
    added: new FieldSetBuilder(),
    modified: new FieldSetBuilder(),
    removed: new FieldSetBuilder(),
  };
  compare(before, after, type, [], sets);
  return { added: sets.added.build(), modified: sets.modified.build(), removed: sets.removed.build() };
}

interface Builders {
  added: FieldSetBuilder;
  modified: FieldSetBuilder;
  removed: FieldSetBuilder;
}

function compare(before: unknown, after: unknown, type: TypeInfo, path: PathElement[], sets: Builders): void {
  // Unchanged subtrees are shared by the merge: nothing in them can differ.
  if (before === after) return;
  // An absent side takes the shape of the other.
  const left = before === undefined ? undefined : shapeOf(type, before);
  const right = after === undefined ? undefined : shapeOf(type, after);
  const shape = (right ?? left) as Shape;
  const mismatch = left !== undefined && right !== undefined && left.kind !== right.kind;
  const bothEmpty = (!left || isEmptyShape(left)) && (!right || isEmptyShape(right));
  if (shape.kind === "leaf" || mismatch || bothEmpty) {
    if (before === undefined) sets.added.insert(path);
    else if (after === undefined) sets.removed.insert(path);
    else if (!jsonEqual(before, after)) sets.modified.insert(path);
    return;
  }
  if (shape.kind === "map") {
    const l = left?.kind === "map" ? (left.value ?? {}) : {};
    const r = right?.kind === "map" ? (right.value ?? {}) : {};
    for (const key of new Set([...Object.keys(l), ...Object.keys(r)])) {
      const childType = keyType(shape.type, key)?.type ?? untypedMap;
      compare(l[key], r[key], childType, [...path, fieldElement(key)], sets);
    }
  } else {
    const l = left?.kind === "list" ? (left.value ?? []) : [];
    const r = right?.kind === "list" ? (right.value ?? []) : [];
    compareLists(l, r, shape.type, path, sets);
  }
  if (before === undefined) sets.added.insert(path);
  else if (after === undefined) sets.removed.insert(path);
}

function compareLists(
  before: unknown[],
  after: unknown[],
  list: ListType,
  path: PathElement[],
  sets: Builders,
): void {
  const group = (items: unknown[]): Map<PathElement, unknown[]> => {
    const groups = new Map<PathElement, unknown[]>();
    for (const item of items) {
      const element = storedItemElement(list, item);
      const same = groups.get(element);
      if (same) same.push(item);
      else groups.set(element, [item]);
    }
    return groups;
  };
  const left = group(before);
  const right = group(after);
  for (const element of new Set([...left.keys(), ...right.keys()])) {
    const l = left.get(element) ?? [];
    const r = right.get(element) ?? [];
    const itemPath = [...path, element];
    if (l.length <= 1 && r.length <= 1) {
      compare(l[0], r[0], list.items, itemPath, sets);
    } else if (l.length >= 2 && r.length >= 2) {
      // Duplicates on both sides are compared as one atomic value, as kube does.
      if (!jsonEqual(l, r)) sets.modified.insert(itemPath);
    } else if (l.length >= 2) {
      if (r.length > 0) compare(undefined, r[0], list.items, itemPath, sets);
      sets.removed.insert(itemPath);
    } else {
      if (l.length > 0) compare(l[0], undefined, list.items, itemPath, sets);
      sets.added.insert(itemPath);
    }
  }
}
