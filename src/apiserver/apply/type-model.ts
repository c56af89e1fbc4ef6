import { compareCodePoints } from "./go-text.js";
import type { JsonMap } from "./json-value.js";

/**
 * How a field is merged and tracked, as structured-merge-diff's schema says it: scalars are leaves;
 * maps are granular (each key tracked) unless atomic; lists are atomic unless they are sets
 * (`x-kubernetes-list-type: set`) or maps keyed by some of their items' fields.
 */
export type TypeInfo = ScalarType | UntypedType | MapType | ListType;

export interface ScalarType {
  readonly kind: "scalar";
}

/**
 * A value without a schema: its shape decides. Maps are granular, lists atomic (structured-merge-diff's
 * `__untyped_deduced_`). `keysAreFields` says whether map keys are struct fields (the parts of built-in
 * kinds this server does not describe) or map entries (`x-kubernetes-preserve-unknown-fields`).
 */
export interface UntypedType {
  readonly kind: "untyped";
  readonly keysAreFields: boolean;
}

export interface MapType {
  readonly kind: "map";
  readonly atomic: boolean;
  /** Declared (struct) fields. A declared field is never a member of a field set by itself, a map entry is. */
  readonly fields: ReadonlyMap<string, TypeInfo>;
  /** The type of other keys; undefined when the schema allows none ("field not declared in schema"). */
  readonly elements: TypeInfo | undefined;
  /** Other keys are struct fields too, not map entries (built-in kinds this server describes in part). */
  readonly elementsAreFields: boolean;
}

export interface ListType {
  readonly kind: "list";
  readonly listType: "atomic" | "set" | "map";
  /** Key fields of a `map` list, in the schema's order. */
  readonly keys: readonly string[];
  /** The same, in the order a key element writes them. */
  readonly sortedKeys: readonly string[];
  /** Values for key fields an element may omit (kube defaults `protocol` of ports to TCP). */
  readonly keyDefaults: ReadonlyMap<string, unknown>;
  readonly items: TypeInfo;
}

/** The type of a whole object, with the value kube starts from when it tracks a create. */
export interface ObjectType extends MapType {
  /** Go's zero value of the kind as kube serializes it: containers present in it get no `.` of their own on create. */
  readonly zero: JsonMap;
}

export const scalar: ScalarType = { kind: "scalar" };
export const untypedMap: UntypedType = { kind: "untyped", keysAreFields: false };
export const untypedStruct: UntypedType = { kind: "untyped", keysAreFields: true };

export function mapOf(
  fields: Record<string, TypeInfo>,
  options: Partial<Pick<MapType, "atomic" | "elements" | "elementsAreFields">> = {},
): MapType {
  return {
    kind: "map",
    atomic: options.atomic ?? false,
    fields: new Map(Object.entries(fields)),
    elements: options.elements,
    elementsAreFields: options.elementsAreFields ?? false,
  };
}

export function listOf(
  listType: ListType["listType"],
  items: TypeInfo,
  options: { keys?: readonly string[]; keyDefaults?: Record<string, unknown> } = {},
): ListType {
  return {
    kind: "list",
    listType,
    keys: options.keys ?? [],
    sortedKeys: [...(options.keys ?? [])].sort(compareCodePoints),
    keyDefaults: new Map(Object.entries(options.keyDefaults ?? {})),
    items,
  };
}

/** What a map says about one key: its type, and whether it is a declared field rather than an entry. */
export interface KeyType {
  type: TypeInfo;
  named: boolean;
}

export function keyType(map: MapType, key: string): KeyType | undefined {
  const declared = map.fields.get(key);
  if (declared) return { type: declared, named: true };
  if (!map.elements) return undefined;
  return { type: map.elements, named: map.elementsAreFields };
}

const untypedMaps = new Map<boolean, MapType>();

/** The map type an untyped map value has. */
export function untypedMapType(untyped: UntypedType): MapType {
  let type = untypedMaps.get(untyped.keysAreFields);
  if (!type) {
    type = mapOf({}, { elements: untyped, elementsAreFields: untyped.keysAreFields });
    untypedMaps.set(untyped.keysAreFields, type);
  }
  return type;
}

/** metav1.ObjectMeta, which every kind (custom resources included) has at `metadata`. */
export const objectMetaType: MapType = mapOf({
  ...Object.fromEntries(
    [
      "name",
      "generateName",
      "namespace",
      "selfLink",
      "uid",
      "resourceVersion",
      "generation",
      "creationTimestamp",
      "deletionTimestamp",
      "deletionGracePeriodSeconds",
    ].map((name) => [name, scalar]),
  ),
  labels: mapOf({}, { elements: scalar }),
  annotations: mapOf({}, { elements: scalar }),
  ownerReferences: listOf(
    "map",
    mapOf(
      Object.fromEntries(
        ["apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion"].map((name) => [
          name,
          scalar,
        ]),
      ),
    ),
    { keys: ["uid"] },
  ),
  finalizers: listOf("set", scalar),
  managedFields: listOf("atomic", untypedStruct),
});

/** A whole object: `apiVersion`, `kind` and ObjectMeta, with the kind's own fields. */
export function objectTypeOf(
  fields: Record<string, TypeInfo>,
  options: { zero: JsonMap; elements?: TypeInfo; elementsAreFields?: boolean },
): ObjectType {
  const base = mapOf(
    { ...fields, apiVersion: scalar, kind: scalar, metadata: objectMetaType },
    { elements: options.elements, elementsAreFields: options.elementsAreFields ?? false },
  );
  return { ...base, zero: options.zero };
}
