import { FieldSet, FieldSetBuilder } from "./field-set.js";
import type { PathElement } from "./path-element.js";
import { displayElement, displayPath, fieldElement, fieldName, isFieldElement } from "./path-element.js";
import type { TypeInfo } from "./type-model.js";
import { keyType, untypedMap } from "./type-model.js";
import { itemElement, shapeOf, storedItemElement } from "./typed-value.js";

/**
 * The fields a value sets, as structured-merge-diff's `ToFieldSet`: every leaf, every item of a set or
 * map list, every entry of a granular map (map entries are members even when they hold more), and
 * atomic maps and lists whole. Declared struct fields are not members unless they are leaves.
 *
 * With `problems`, the value is checked as kube checks an applied configuration, and each problem is
 * reported in kube's words (`.spec.ports: element 0: associative list with keys has an element that
 * omits key field "name" (and doesn't have default value)`). Without, it is read leniently, as a stored
 * object this server wrote.
 */
export function toFieldSet(value: unknown, type: TypeInfo, problems?: string[]): FieldSet {
  const root = new FieldSetBuilder();
  // The whole object is never a member: its parts go straight into the root node.
  walkChildren(value, type, root, { path: [], problems });
  return root.build();
}

interface Walk {
  /** The path being walked, for problems. */
  path: PathElement[];
  problems: string[] | undefined;
}

/** Records a value found at `element` under `parent`. */
function walk(value: unknown, type: TypeInfo, parent: FieldSetBuilder, element: PathElement, at: Walk): void {
  if (shapeOf(type, value).kind === "leaf") parent.add(element);
  else {
    at.path.push(element);
    walkChildren(value, type, parent.child(element), at);
    at.path.pop();
  }
}

function walkChildren(value: unknown, type: TypeInfo, node: FieldSetBuilder, at: Walk): void {
  const shape = shapeOf(type, value);
  if (shape.kind === "leaf" || shape.value === null) return;
  if (shape.kind === "map") {
    for (const [key, child] of Object.entries(shape.value)) {
      if (child === undefined) continue;
      const element = fieldElement(key);
      const declared = keyType(shape.type, key);
      if (!declared && at.problems) {
        // kube stops looking at a map at its first undeclared field.
        at.problems.push(problem([...at.path, element], "field not declared in schema"));
        return;
      }
      walk(child, declared?.type ?? untypedMap, node, element, at);
      if (!declared?.named) node.add(element);
    }
    return;
  }
  const seen = at.problems ? new Set<PathElement>() : undefined;
  for (let i = 0; i < shape.value.length; i++) {
    const item = shape.value[i];
    let element: PathElement;
    if (at.problems && seen) {
      const named = itemElement(shape.type, item);
      if (named.element === undefined) {
        at.problems.push(problem(at.path, `element ${i}: ${named.error}`));
        return;
      }
      element = named.element;
      if (seen.has(element))
        at.problems.push(problem(at.path, `duplicate entries for key ${displayElement(element)}`));
      seen.add(element);
    } else element = storedItemElement(shape.type, item);
    walk(item, shape.type.items, node, element, at);
    node.add(element);
  }
}

function problem(path: readonly PathElement[], message: string): string {
  return path.length > 0 ? `${displayPath(path)}: ${message}` : message;
}

/**
 * structured-merge-diff's `EnsureNamedFieldsAreMembers`: every declared struct field on the way to a
 * member becomes a member too, so that removing the set's items removes those fields.
 */
export function withNamedFieldsAsMembers(set: FieldSet, type: TypeInfo): FieldSet {
  if (set.children.size === 0) return set;
  const members = new Set(set.members);
  const children = new Map<PathElement, FieldSet>();
  for (const [element, child] of set.children) {
    const below = descend(type, element);
    if (below.named) members.add(element);
    children.set(element, withNamedFieldsAsMembers(child, below.type));
  }
  return FieldSet.of(members, children);
}

function descend(type: TypeInfo, element: PathElement): { type: TypeInfo; named: boolean } {
  switch (type.kind) {
    case "map":
      if (!isFieldElement(element)) return { type: untypedMap, named: false };
      return keyType(type, fieldName(element)) ?? { type: untypedMap, named: false };
    case "untyped":
      return { type, named: isFieldElement(element) && type.keysAreFields };
    case "list":
      return { type: type.items, named: false };
    case "scalar":
      return { type: untypedMap, named: false };
  }
}
